import { describe, expect, it } from 'vitest';
import { reciprocalRankFusion } from '../src/fusion/rrf.js';
import { minMaxNormalize, weightedFusion } from '../src/fusion/weighted.js';

const bm25 = [
  { id: 'd1', score: 12 },
  { id: 'd2', score: 8 },
  { id: 'd3', score: 4 },
];
const vector = [
  { id: 'd3', score: 0.9 },
  { id: 'd4', score: 0.7 },
  { id: 'd1', score: 0.5 },
];

describe('reciprocalRankFusion', () => {
  it('matches a hand-computed table (k = 60)', () => {
    // d1: 1/61 + 1/63; d3: 1/63 + 1/61 (tie with d1, broken by id); d2: 1/62; d4: 1/62 (tie, by id)
    const fused = reciprocalRankFusion([bm25, vector]);
    expect(fused.map((hit) => hit.id)).toEqual(['d1', 'd3', 'd2', 'd4']);
    expect(fused[0]!.score).toBeCloseTo(1 / 61 + 1 / 63, 12);
    expect(fused[1]!.score).toBeCloseTo(1 / 63 + 1 / 61, 12);
    expect(fused[2]!.score).toBeCloseTo(1 / 62, 12);
    expect(fused[3]!.score).toBeCloseTo(1 / 62, 12);
  });

  it('applies k and per-list weights', () => {
    // k = 1: d1 = 2/2 + 1/4 = 1.25; d3 = 2/4 + 1/2 = 1; d2 = 2/3; d4 = 1/3
    const fused = reciprocalRankFusion([bm25, vector], { k: 1, weights: [2, 1] });
    expect(fused.map((hit) => [hit.id, Number(hit.score.toFixed(6))])).toEqual([
      ['d1', 1.25],
      ['d3', 1],
      ['d2', 0.666667],
      ['d4', 0.333333],
    ]);
  });

  it('counts a repeated id once, at its best rank, and handles empty input', () => {
    const fused = reciprocalRankFusion([
      [
        { id: 'a', score: 1 },
        { id: 'a', score: 0.5 },
        { id: 'b', score: 0.1 },
      ],
    ]);
    expect(fused).toEqual([
      { id: 'a', score: 1 / 61 },
      { id: 'b', score: 1 / 63 },
    ]);
    expect(reciprocalRankFusion([])).toEqual([]);
    expect(reciprocalRankFusion([[], []])).toEqual([]);
  });

  it('rejects bad options', () => {
    expect(() => reciprocalRankFusion([bm25], { k: 0 })).toThrow(RangeError);
    expect(() => reciprocalRankFusion([bm25, vector], { weights: [1] })).toThrow(RangeError);
    expect(() => reciprocalRankFusion([bm25], { weights: [-1] })).toThrow(RangeError);
  });
});

describe('weightedFusion', () => {
  it('min-max normalises each list', () => {
    expect([...minMaxNormalize(bm25)]).toEqual([
      ['d1', 1],
      ['d2', 0.5],
      ['d3', 0],
    ]);
    expect([...minMaxNormalize([{ id: 'x', score: 3 }])]).toEqual([['x', 1]]);
  });

  it('matches a hand-computed table (weights 0.5 / 0.5, missing = 0)', () => {
    // bm25 normalised: d1 1, d2 0.5, d3 0; vector normalised: d3 1, d4 0.5, d1 0
    // d1 0.5, d3 0.5 (tie, by id), d2 0.25, d4 0.25 (tie, by id)
    const fused = weightedFusion([bm25, vector]);
    expect(fused.map((hit) => [hit.id, Number(hit.score.toFixed(9))])).toEqual([
      ['d1', 0.5],
      ['d3', 0.5],
      ['d2', 0.25],
      ['d4', 0.25],
    ]);
  });

  it('applies weights', () => {
    // 0.8 / 0.2: d1 0.8, d2 0.4, d3 0.2, d4 0.1
    const fused = weightedFusion([bm25, vector], { weights: [0.8, 0.2] });
    expect(fused.map((hit) => [hit.id, Number(hit.score.toFixed(6))])).toEqual([
      ['d1', 0.8],
      ['d2', 0.4],
      ['d3', 0.2],
      ['d4', 0.1],
    ]);
  });

  it('is deterministic whatever the input order of equal scores', () => {
    const a = weightedFusion([
      [
        { id: 'z', score: 1 },
        { id: 'y', score: 1 },
      ],
    ]);
    const b = weightedFusion([
      [
        { id: 'y', score: 1 },
        { id: 'z', score: 1 },
      ],
    ]);
    expect(a).toEqual(b);
    expect(a.map((hit) => hit.id)).toEqual(['y', 'z']);
  });

  it('rejects bad weights', () => {
    expect(() => weightedFusion([bm25, vector], { weights: [0.5] })).toThrow(RangeError);
    expect(() => weightedFusion([bm25, vector], { weights: [0.5, Number.NaN] })).toThrow(
      RangeError,
    );
  });
});
