import { describe, expect, it } from 'vitest';
import {
  type Candidate,
  candidateContext,
  candidateFeatures,
  FEATURE_NAMES,
  MISSING_RANK,
} from '../src/ranker/features.js';
import { Ranker, RankerFormatError } from '../src/ranker/model.js';
import { type TrainingGroup, trainRanker } from '../src/ranker/train.js';
import { gaussianStream } from '../src/vectors/svd.js';

/** Synthetic queries: 30 candidates each; the relevant one has high term overlap and a title match, at a random fused rank. */
function syntheticGroups(count: number, seed: number): TrainingGroup[] {
  const random = gaussianStream(seed);
  const uniform = () => 0.5 + 0.5 * Math.tanh(random());
  return Array.from({ length: count }, (_, q) => {
    const relevantAt = Math.floor(uniform() * 30);
    const candidates: Candidate[] = Array.from({ length: 30 }, (_, i) => {
      const relevant = i === relevantAt;
      return {
        id: `q${q}-d${i}`,
        bm25: i % 3 === 2 ? undefined : { score: 20 - i * 0.5, rank: i + 1 },
        vector: i % 4 === 3 ? undefined : { score: 0.8 - i * 0.01, rank: i + 1 },
        fused: { score: 1 / (61 + i), rank: i + 1 },
        fieldMatches: relevant ? 2 : Math.floor(uniform() * 1.5),
        termOverlap: relevant ? 0.8 + 0.2 * uniform() : 0.6 * uniform(),
        length: 100 + Math.floor(uniform() * 200),
      };
    });
    return { candidates, relevant: new Set([`q${q}-d${relevantAt}`]) };
  });
}

/** Mean reciprocal rank of the relevant candidate under a scoring. */
function mrr(groups: TrainingGroup[], score: (c: Candidate[]) => number[]): number {
  let sum = 0;
  for (const g of groups) {
    const s = score(g.candidates);
    const order = g.candidates.map((_, i) => i).sort((a, b) => s[b]! - s[a]!);
    const at = order.findIndex((i) => g.relevant.has(g.candidates[i]!.id));
    sum += 1 / (at + 1);
  }
  return sum / groups.length;
}

describe('candidateFeatures', () => {
  it('encodes missing branches with a large rank and an indicator, scores relative to the list', () => {
    const c: Candidate = {
      id: 'a',
      vector: { score: 0.5, rank: 3 },
      fused: { score: 0.02, rank: 2 },
      fieldMatches: 1,
      termOverlap: 0.5,
      length: 99,
    };
    const x = candidateFeatures(c, { maxBm25: 10, maxVector: 0.7, maxFused: 0.04 });
    expect(x.length).toBe(FEATURE_NAMES.length);
    const named = Object.fromEntries(FEATURE_NAMES.map((name, i) => [name, x[i]!]));
    expect(named['bm25.present']).toBe(0);
    expect(named['bm25.logRank']).toBeCloseTo(Math.log(MISSING_RANK), 6);
    expect(named['bm25.relativeScore']).toBe(0);
    expect(named['vector.present']).toBe(1);
    expect(named['vector.logRank']).toBeCloseTo(Math.log(3), 6);
    expect(named['vector.cosineGap']).toBeCloseTo(-0.2, 6);
    expect(named['fused.relativeScore']).toBeCloseTo(0.5, 6);
    expect(named['title.logMatches']).toBeCloseTo(Math.log(2), 6);
    expect(named.logLength).toBeCloseTo(Math.log(100), 6);
    expect(candidateContext([c])).toEqual({ maxBm25: 0, maxVector: 0.5, maxFused: 0.02 });
  });
});

describe('Ranker', () => {
  const train = syntheticGroups(120, 1);
  const heldOut = syntheticGroups(60, 2);
  const ranker = trainRanker(train, { hidden: 8, epochs: 150, lr: 0.03, seed: 3 });

  it('learns what makes a candidate relevant (held-out MRR far above the fused order)', () => {
    const fusedOrder = mrr(heldOut, (cs) => cs.map((c) => -c.fused.rank));
    const learned = mrr(heldOut, (cs) => ranker.score(cs));
    expect(fusedOrder).toBeLessThan(0.3);
    expect(learned).toBeGreaterThan(0.8);
  });

  it('scores as a float64 reference forward pass of its JSON does', () => {
    const json = ranker.toJSON();
    const cs = heldOut[0]!.candidates;
    const context = candidateContext(cs);
    const reference = cs.map((c) => {
      const x = [...candidateFeatures(c, context)].map(
        (v, j) => (v - json.mean[j]!) / json.std[j]!,
      );
      let out = json.b2[0]!;
      for (let h = 0; h < json.hidden; h++) {
        let z = json.b1[h]!;
        for (let j = 0; j < x.length; j++) z += x[j]! * json.w1[j * json.hidden + h]!;
        out += Math.tanh(z) * json.w2[h]!;
      }
      return out;
    });
    ranker.score(cs).forEach((s, i) => expect(s).toBeCloseTo(reference[i]!, 4));
  });

  it('round-trips through JSON, trains a linear model too, and rejects bad files by name', () => {
    const copy = Ranker.fromJSON(JSON.parse(JSON.stringify(ranker.toJSON())));
    expect(copy.score(heldOut[1]!.candidates)).toEqual(ranker.score(heldOut[1]!.candidates));
    const linear = trainRanker(train, { hidden: 0, epochs: 100, lr: 0.05 });
    expect(linear.toJSON().w2).toEqual([]);
    expect(mrr(heldOut, (cs) => linear.score(cs))).toBeGreaterThan(0.6);
    expect(linear.score([])).toEqual([]);
    expect(() => Ranker.fromJSON({ format: 'other' })).toThrow(RankerFormatError);
    expect(() => Ranker.fromJSON({ ...ranker.toJSON(), w1: [1, 2] })).toThrow(/w1/);
    expect(() => Ranker.fromJSON({ ...ranker.toJSON(), features: ['x'] })).toThrow(
      RankerFormatError,
    );
  });

  it('is reproducible with a fixed seed', () => {
    const again = trainRanker(train, { hidden: 8, epochs: 150, lr: 0.03, seed: 3 });
    expect(again.toJSON().w1).toEqual(ranker.toJSON().w1);
  });
});
