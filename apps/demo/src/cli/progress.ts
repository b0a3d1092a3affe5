/**
 * Indexing progress on stderr with cli-progress: one bar per stage (BM25, LSA, HNSW)
 * on a terminal, one line per stage when stderr is not a terminal (CI logs).
 */
import cliProgress from 'cli-progress';
import type { IndexStage } from '../store/index-store.js';

const LABELS: Record<IndexStage, string> = {
  bm25: 'BM25 index ',
  lsa: 'LSA fit    ',
  embed: 'vectors    ',
  hnsw: 'HNSW graph ',
};

/**
 * A progress callback for `openPipeline`, and `stop` to call when it returns.
 * @param stream - where the bars go
 * @returns the callback and its stop
 */
export function indexingProgress(stream: NodeJS.WriteStream = process.stderr): {
  onProgress: (stage: IndexStage, done: number, total: number) => void;
  stop: () => void;
} {
  const bars = new cliProgress.MultiBar(
    {
      stream,
      format: ' {stage} [{bar}] {percentage}% | {value}/{total} | {duration_formatted}',
      hideCursor: true,
      clearOnComplete: false,
      noTTYOutput: false,
    },
    cliProgress.Presets.shades_classic,
  );
  const started = new Map<IndexStage, cliProgress.SingleBar>();
  const tty = stream.isTTY === true;
  const began = new Map<IndexStage, number>();
  // a stage may report only when it ends: it began when the one before it ended
  let lastEnd = performance.now();
  return {
    onProgress(stage, done, total) {
      if (!tty) {
        if (!began.has(stage)) began.set(stage, lastEnd);
        if (done >= total) {
          stream.write(
            `${LABELS[stage].trim()}: ${total} done in ${((performance.now() - began.get(stage)!) / 1000).toFixed(1)} s\n`,
          );
          lastEnd = performance.now();
        }
        return;
      }
      let bar = started.get(stage);
      if (!bar) {
        bar = bars.create(total, 0, { stage: LABELS[stage] });
        started.set(stage, bar);
      }
      bar.setTotal(total);
      bar.update(done);
    },
    stop: () => {
      if (tty) bars.stop();
    },
  };
}
