/**
 * Retrieval metrics as trec_eval computes them: nDCG@k (ndcg_cut, gain =
 * grade, log2 discount), Recall@k, and MAP@k (map_cut: precision at each
 * relevant hit within k, divided by all relevant documents).
 */

/**
 * @param ranked - doc ids, best first
 * @param judged - doc id -> grade (> 0 relevant)
 * @param k - cutoff
 * @returns nDCG@k
 */
export function ndcg(
  ranked: readonly string[],
  judged: ReadonlyMap<string, number>,
  k: number,
): number {
  let dcg = 0;
  for (let i = 0; i < Math.min(k, ranked.length); i++) {
    const grade = judged.get(ranked[i]!) ?? 0;
    if (grade > 0) dcg += grade / Math.log2(i + 2);
  }
  const ideal = [...judged.values()].filter((grade) => grade > 0).sort((a, b) => b - a);
  let idcg = 0;
  for (let i = 0; i < Math.min(k, ideal.length); i++) idcg += ideal[i]! / Math.log2(i + 2);
  return idcg > 0 ? dcg / idcg : 0;
}

/**
 * @param ranked - doc ids, best first
 * @param judged - doc id -> grade
 * @param k - cutoff
 * @returns Recall@k
 */
export function recall(
  ranked: readonly string[],
  judged: ReadonlyMap<string, number>,
  k: number,
): number {
  const relevant = [...judged.values()].filter((grade) => grade > 0).length;
  if (relevant === 0) return 0;
  let found = 0;
  for (let i = 0; i < Math.min(k, ranked.length); i++)
    if ((judged.get(ranked[i]!) ?? 0) > 0) found++;
  return found / relevant;
}

/**
 * @param ranked - doc ids, best first
 * @param judged - doc id -> grade
 * @param k - cutoff
 * @returns average precision cut at k (MAP@k over queries)
 */
export function averagePrecision(
  ranked: readonly string[],
  judged: ReadonlyMap<string, number>,
  k: number,
): number {
  const relevant = [...judged.values()].filter((grade) => grade > 0).length;
  if (relevant === 0) return 0;
  let found = 0;
  let sum = 0;
  for (let i = 0; i < Math.min(k, ranked.length); i++) {
    if ((judged.get(ranked[i]!) ?? 0) > 0) {
      found++;
      sum += found / (i + 1);
    }
  }
  return sum / relevant;
}

/** Mean metrics of a run. */
export interface RunMetrics {
  ndcg10: number;
  recall100: number;
  map100: number;
}

/**
 * @param run - query id -> ranked doc ids
 * @param qrels - query id -> judgments
 * @returns mean nDCG@10, Recall@100, MAP@100 over the judged queries
 */
export function evaluateRun(
  run: ReadonlyMap<string, readonly string[]>,
  qrels: ReadonlyMap<string, ReadonlyMap<string, number>>,
): RunMetrics {
  let n = 0;
  let ndcgSum = 0;
  let recallSum = 0;
  let mapSum = 0;
  for (const [queryId, judged] of qrels) {
    const ranked = run.get(queryId) ?? [];
    ndcgSum += ndcg(ranked, judged, 10);
    recallSum += recall(ranked, judged, 100);
    mapSum += averagePrecision(ranked, judged, 100);
    n++;
  }
  return { ndcg10: ndcgSum / n, recall100: recallSum / n, map100: mapSum / n };
}

/**
 * Per-query nDCG@k of a run, in the order of the judged queries (so two
 * runs over the same qrels line up for a paired test).
 * @param run - query id -> ranked doc ids
 * @param qrels - query id -> judgments
 * @param k - cutoff (default 10)
 * @returns one nDCG@k per judged query
 */
export function ndcgPerQuery(
  run: ReadonlyMap<string, readonly string[]>,
  qrels: ReadonlyMap<string, ReadonlyMap<string, number>>,
  k = 10,
): number[] {
  return [...qrels].map(([queryId, judged]) => ndcg(run.get(queryId) ?? [], judged, k));
}
