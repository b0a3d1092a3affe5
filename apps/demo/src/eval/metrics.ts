/**
 * The evaluation's measures, taken from @x/inverted-index's bench code by
 * relative path (not duplicated): nDCG@10, Recall@100 and MAP@100 as
 * trec_eval computes them, and the paired randomization test with a
 * bootstrap interval.
 */

export {
  evaluateRun,
  ndcg,
  ndcgPerQuery,
  type RunMetrics,
  recall,
} from '../../../../packages/inverted-index/bench/metrics.js';
export {
  type PairedComparison,
  pairedComparison,
} from '../../../../packages/inverted-index/bench/significance.js';
