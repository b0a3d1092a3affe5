/** Fusion of the recall branches: reciprocal rank fusion and normalised weighted sums. */
export { type RrfOptions, reciprocalRankFusion } from './rrf.js';
export { byScoreThenId, type ScoredId } from './types.js';
export { minMaxNormalize, type WeightedFusionOptions, weightedFusion } from './weighted.js';
