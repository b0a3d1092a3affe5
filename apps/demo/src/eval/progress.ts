/**
 * Progress bars (cli-progress) for the evaluation scripts: one bar per
 * stage, drawn on stderr so stdout keeps only the table and the JSON line.
 */

import cliProgress from 'cli-progress';

/** A set of named bars. */
export interface StageBars {
  /** Moves the bar of `stage` (created on first use). */
  update(stage: string, done: number, total: number): void;
  /** Writes a line above the bars. */
  log(line: string): void;
  /** Stops drawing. */
  stop(): void;
}

/**
 * @returns bars that draw on stderr (plain lines when it is not a terminal)
 */
export function stageBars(): StageBars {
  const multi = new cliProgress.MultiBar(
    {
      format: '{stage} [{bar}] {value}/{total} {duration_formatted}',
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: false,
      noTTYOutput: true,
      notTTYSchedule: 5000,
    },
    cliProgress.Presets.shades_classic,
  );
  const bars = new Map<string, cliProgress.SingleBar>();
  // the bars redraw on a timer, which never fires while a synchronous loop (a training
  // run, the query loop) holds the thread: redraw from the updates, throttled as the timer is
  const every = process.stderr.isTTY ? 200 : 5000;
  let drawn = performance.now();
  const redraw = (force = false) => {
    const now = performance.now();
    if (!force && now - drawn < every) return;
    drawn = now;
    multi.update();
  };
  return {
    update(stage, done, total) {
      let bar = bars.get(stage);
      if (!bar) {
        bar = multi.create(total, 0, { stage: stage.padEnd(8) });
        bars.set(stage, bar);
      }
      bar.setTotal(total);
      bar.update(done, { stage: stage.padEnd(8) });
      redraw();
    },
    log(line) {
      multi.log(`${line}\n`);
      redraw(true);
    },
    stop() {
      multi.stop();
    },
  };
}
