/**
 * A terminal progress bar for `Trainer.run` (cli-progress): step, loss,
 * validation loss, tokens per second and the time left. Falls back to a
 * line every few percent when the output is not a terminal (CI logs).
 */
import { SingleBar } from 'cli-progress';
import type { ProgressEvent } from '../train/trainer.js';

/**
 * A progress callback that draws a bar on stderr.
 * @param label - shown before the bar
 * @returns `onProgress` for `Trainer.run`, and `stop()` to end the bar
 * @example
 * const bar = trainingProgressBar('char-small');
 * await trainer.run({ onProgress: bar.onProgress });
 * bar.stop();
 */
export function trainingProgressBar(label = 'train'): {
  onProgress: (event: ProgressEvent) => void;
  stop: () => void;
} {
  const tty = process.stderr.isTTY === true;
  const bar = new SingleBar({
    format: `${label} [{bar}] {value}/{total} | loss {loss} | val {val} | {speed} tok/s | ETA {eta_formatted}`,
    stream: process.stderr,
    noTTYOutput: !tty,
    notTTYSchedule: 10_000,
    etaBuffer: 50,
    hideCursor: tty,
  });
  let started = false;
  let val = '-';
  return {
    onProgress(event) {
      if (!started) {
        bar.start(event.steps, event.step - 1, { loss: '-', val, speed: '-' });
        started = true;
      }
      if (event.valLoss !== undefined) val = event.valLoss.toFixed(4);
      bar.update(event.step, {
        loss: event.loss.toFixed(4),
        val,
        speed: Math.round(event.tokensPerSecond),
      });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
