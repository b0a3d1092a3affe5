/**
 * Scores the retrieval lists of judged queries: nDCG@10, Recall@100 and
 * MAP@100 per system (BM25, vectors, RRF, weighted fusion, and the ranker
 * over the fused top 100 when one is given), each compared with BM25 query
 * by query (paired randomization test, bootstrap interval).
 */

import type { Ranker } from '../ranker/model.js';
import {
  evaluateRun,
  ndcgPerQuery,
  type PairedComparison,
  pairedComparison,
  type RunMetrics,
} from './metrics.js';
import { type QueryLists, rankCandidates } from './retrieval.js';
import type { Qrels } from './scifact.js';

/** The systems in the order the table shows them. */
export const SYSTEMS = ['bm25', 'vector', 'rrf', 'weighted', 'ranker'] as const;
/** One of {@link SYSTEMS}. */
export type SystemName = (typeof SYSTEMS)[number];

/** Labels of the table. */
export const SYSTEM_LABELS: Record<SystemName, string> = {
  bm25: 'BM25F (title + text, @x/inverted-index defaults)',
  vector: 'LSA vectors (HNSW, cosine)',
  rrf: 'RRF (k 60) of BM25 + vectors',
  weighted: 'weighted fusion (min-max, 0.5 / 0.5)',
  ranker: 'learned ranker over the RRF top 100',
};

/** One system's figures. */
export interface SystemResult {
  name: SystemName;
  metrics: RunMetrics;
  /** Against BM25 (absent for BM25 itself). */
  vsBm25?: PairedComparison;
}

/**
 * The runs of every system, query id -> ranked ids.
 * @param lists - from `runRetrieval`
 * @param ranker - the learned ranker (its row is left out when absent)
 * @returns system -> run
 */
export function systemRuns(
  lists: ReadonlyMap<string, QueryLists>,
  ranker?: Ranker | null,
): Map<SystemName, Map<string, string[]>> {
  const runs = new Map<SystemName, Map<string, string[]>>();
  for (const name of SYSTEMS) {
    if (name === 'ranker' && !ranker) continue;
    const run = new Map<string, string[]>();
    for (const [queryId, l] of lists) {
      const list = name === 'ranker' ? rankCandidates(ranker!, l.candidates) : l[name];
      run.set(
        queryId,
        list.map((hit) => hit.id),
      );
    }
    runs.set(name, run);
  }
  return runs;
}

/**
 * @param lists - from `runRetrieval` (at least the judged queries)
 * @param qrels - the judgments (only these queries are scored)
 * @param ranker - the learned ranker, if any
 * @param options - resampling rounds of the significance test (default 20,000)
 * @returns one result per system, BM25 first
 */
export function evaluateSystems(
  lists: ReadonlyMap<string, QueryLists>,
  qrels: Qrels,
  ranker?: Ranker | null,
  options: { rounds?: number } = {},
): SystemResult[] {
  const runs = systemRuns(lists, ranker);
  const base = ndcgPerQuery(runs.get('bm25')!, qrels);
  return [...runs].map(([name, run]) => {
    const metrics = evaluateRun(run, qrels);
    if (name === 'bm25') return { name, metrics };
    return { name, metrics, vsBm25: pairedComparison(ndcgPerQuery(run, qrels), base, options) };
  });
}

/**
 * The results as a Markdown table.
 * @param results - from {@link evaluateSystems}
 * @returns the table's lines
 */
export function formatTable(results: readonly SystemResult[]): string[] {
  const f = (x: number) => x.toFixed(4);
  const lines = [
    '| system | nDCG@10 | Recall@100 | MAP@100 | nDCG@10 vs BM25 (p, 95% CI) |',
    '|---|---:|---:|---:|---|',
  ];
  for (const r of results) {
    const c = r.vsBm25;
    const diff = c
      ? `${c.meanDiff >= 0 ? '+' : ''}${f(c.meanDiff)} (p ${c.p.toFixed(3)}, ${f(c.ci95[0])}..${f(c.ci95[1])})`
      : '';
    lines.push(
      `| ${SYSTEM_LABELS[r.name]} | ${f(r.metrics.ndcg10)} | ${f(r.metrics.recall100)} | ${f(r.metrics.map100)} | ${diff} |`,
    );
  }
  return lines;
}
