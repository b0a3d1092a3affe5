import { createAnalyzer } from '@x/inverted-index';
import { describe, expect, it } from 'vitest';
import {
  BM25_ANSERINI,
  BM25_LUCENE,
  candidatesOf,
  corpusTerms,
  firstSentence,
  smallestWindow,
} from '../src/ranker/candidates.js';
import {
  BASE_FEATURES,
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
    expect(candidateContext([c])).toEqual({
      maxBm25: 0,
      maxVector: 0.5,
      maxFused: 0.02,
      maxBm25Lucene: 0,
      maxBm25Anserini: 0,
    });
    // the proximity, field and one-field BM25 features are 0 when their inputs are absent
    for (const name of FEATURE_NAMES.slice(BASE_FEATURES.length)) expect(named[name]).toBe(0);
  });
});

describe('candidatesOf (match, proximity and BM25 inputs on a hand-worked corpus)', () => {
  // analysed: d1 title [tumor cell growth] (positions 0-2), text [growth tumor cell fast cell
  // death follow tumor growth] (positions 4-12, first sentence "Growth of tumor cells is fast.");
  // d2 text [cell tumor die] (positions 1-3); d3 text [noth]
  const corpus = corpusTerms(
    [
      {
        id: 'd1',
        title: 'Tumor cell growth',
        text: 'Growth of tumor cells is fast. Cell death follows tumor growth.',
      },
      { id: 'd2', title: '', text: 'Cells in tumors die' },
      { id: 'd3', title: '', text: 'Nothing here at all.' },
    ],
    createAnalyzer(),
  );
  const terms = ['cell', 'growth', 'tumor']; // "cell growth in tumor": bigrams cell-growth, growth-tumor
  const fused = ['d1', 'd2', 'd3'].map((id, i) => ({ id, score: 1 / (61 + i) }));
  const [d1, d2, d3] = candidatesOf(corpus, terms, fused.slice(0, 2), [], fused, 10);
  // N 3; df cell 2, growth 1, tumor 2; idf = ln(1 + (N - df + 0.5) / (df + 0.5))
  const idfCell = Math.log(1.6);
  const idfGrowth = Math.log(1 + 2.5 / 1.5);
  const idfTumor = Math.log(1.6);
  const idfAll = idfCell + idfGrowth + idfTumor;

  it('keeps positions (title, then text one past its end) and the corpus mean length', () => {
    expect(corpus.documents.get('d1')!.positions.get('tumor')).toEqual([0, 5, 11]);
    expect(corpus.documents.get('d1')!.positions.get('growth')).toEqual([2, 4, 12]);
    expect(corpus.documents.get('d2')!.positions.get('cell')).toEqual([1]);
    expect([...corpus.documents.get('d1')!.lead]).toEqual(['growth', 'tumor', 'cell', 'fast']);
    expect(corpus.averageLength).toBeCloseTo((12 + 3 + 1) / 3, 12);
    expect(firstSentence('One. Two.')).toBe('One.');
    expect(firstSentence('No end')).toBe('No end');
    expect(firstSentence('3.5 mg. Then')).toBe('3.5 mg.');
  });

  it('counts ordered adjacent bigrams and their idf share', () => {
    // d1: cell 1 -> growth 2; growth 4 -> tumor 5 (growth 2 -> tumor 3 is not: 3 is the gap)
    expect(d1!.bigramMatches).toBe(2);
    expect(d1!.bigramIdfShare).toBeCloseTo(1, 12);
    expect(d2!.bigramMatches).toBe(0);
    expect(d2!.bigramIdfShare).toBe(0);
    // a query bigram in the other order does not count
    const [reversed] = candidatesOf(corpus, ['tumor', 'cell'], [], [], fused, 1);
    expect(reversed!.bigramMatches).toBe(1); // tumor 0 -> cell 1 in the title
    const [none] = candidatesOf(corpus, ['cell', 'tumor'], [], [], fused, 1);
    expect(none!.bigramMatches).toBe(0); // cell is never directly followed by tumor in d1
    const [half] = candidatesOf(corpus, ['cell', 'tumor'], [], [], fused.slice(1), 1);
    expect(half!.bigramMatches).toBe(1); // d2: cell 1 -> tumor 2
    expect(half!.bigramIdfShare).toBeCloseTo(1, 12);
  });

  it('finds the smallest window holding every matched term', () => {
    expect(d1!.span).toBe(3); // the title, positions 0-2
    expect(d1!.matchedTerms).toBe(3);
    expect(d2!.span).toBe(2); // cell 1, tumor 2
    expect(d2!.matchedTerms).toBe(2);
    expect(d3!.span).toBe(0);
    expect(d3!.matchedTerms).toBe(0);
    expect(smallestWindow([[1, 9], [5], [3, 20]])).toBe(5); // 1, 3, 5
    expect(smallestWindow([[7]])).toBe(1);
    expect(smallestWindow([])).toBe(0);
  });

  it('finds the smallest window as a brute force over every start and end does', () => {
    const random = gaussianStream(5);
    for (let trial = 0; trial < 50; trial++) {
      const lists = Array.from({ length: 1 + (trial % 4) }, () =>
        [
          ...new Set(
            Array.from({ length: 1 + (trial % 3) }, () => Math.floor(Math.abs(random()) * 30)),
          ),
        ].sort((a, b) => a - b),
      );
      let brute = Number.POSITIVE_INFINITY;
      for (let lo = 0; lo < 100; lo++)
        for (let hi = lo; hi < 100; hi++)
          if (lists.every((l) => l.some((p) => p >= lo && p <= hi)))
            brute = Math.min(brute, hi - lo + 1);
      expect(smallestWindow(lists)).toBe(brute);
    }
  });

  it('shares the idf mass by field and scores one-field BM25 with both parameter sets', () => {
    expect(d1!.fieldMatches).toBe(3);
    expect(d1!.titleIdfOverlap).toBeCloseTo(1, 12);
    expect(d1!.leadIdfOverlap).toBeCloseTo(1, 12);
    expect(d2!.idfOverlap).toBeCloseTo((idfCell + idfTumor) / idfAll, 12);
    expect(d2!.leadIdfOverlap).toBeCloseTo((idfCell + idfTumor) / idfAll, 12);
    expect(d2!.titleIdfOverlap).toBe(0);
    const avg = 16 / 3;
    const bm25 = (p: { k1: number; b: number }, tfIdf: [number, number][], length: number) =>
      tfIdf.reduce(
        (sum, [tf, idf]) =>
          sum + (idf * tf * (p.k1 + 1)) / (tf + p.k1 * (1 - p.b + (p.b * length) / avg)),
        0,
      );
    // d1 length 12: cell tf 3, growth tf 3, tumor tf 3; d2 length 3: cell 1, tumor 1
    const d1Terms: [number, number][] = [
      [3, idfCell],
      [3, idfGrowth],
      [3, idfTumor],
    ];
    const d2Terms: [number, number][] = [
      [1, idfCell],
      [1, idfTumor],
    ];
    expect(d1!.bm25Lucene).toBeCloseTo(bm25(BM25_LUCENE, d1Terms, 12), 12);
    expect(d1!.bm25Anserini).toBeCloseTo(bm25(BM25_ANSERINI, d1Terms, 12), 12);
    expect(d2!.bm25Lucene).toBeCloseTo(bm25(BM25_LUCENE, d2Terms, 3), 12);
    expect(d2!.bm25Anserini).toBeCloseTo(bm25(BM25_ANSERINI, d2Terms, 3), 12);
    expect(d3!.bm25Lucene).toBe(0);
    expect(d1!.bm25!.rank).toBe(1);
    expect(d3!.bm25).toBeUndefined();
  });

  it('turns them into features: span inverse, log bigrams, BM25 relative to the best', () => {
    const cs = [d1!, d2!, d3!];
    const context = candidateContext(cs);
    const named = (c: Candidate) => {
      const x = candidateFeatures(c, context);
      return Object.fromEntries(FEATURE_NAMES.map((name, i) => [name, x[i]!]));
    };
    const f1 = named(d1!);
    const f2 = named(d2!);
    expect(f1['span.inverse']).toBeCloseTo(1, 6); // 3 terms in a window of 3
    expect(f1['span.logLength']).toBeCloseTo(Math.log(4), 6);
    expect(f1['bigram.logMatches']).toBeCloseTo(Math.log(3), 6);
    expect(f2['span.inverse']).toBeCloseTo(1, 6);
    expect(named(d3!)['span.inverse']).toBe(0);
    const best = Math.max(d1!.bm25Lucene!, d2!.bm25Lucene!);
    expect(f1['bm25Lucene.relativeScore']).toBeCloseTo(d1!.bm25Lucene! / best, 6);
    expect(f2['bm25Lucene.relativeScore']).toBeCloseTo(d2!.bm25Lucene! / best, 6);
    expect(f2['bm25Anserini.relativeScore']).toBeCloseTo(
      d2!.bm25Anserini! / Math.max(d1!.bm25Anserini!, d2!.bm25Anserini!),
      6,
    );
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

  it('reads only the features it was trained on, in its order', () => {
    const names = ['termOverlap', 'bm25.relativeScore', 'fused.logRank'] as const;
    const small = trainRanker(train, { hidden: 0, epochs: 100, lr: 0.05, features: names });
    const json = small.toJSON();
    expect(json.features).toEqual([...names]);
    expect(json.w1).toHaveLength(3);
    const cs = heldOut[0]!.candidates;
    const context = candidateContext(cs);
    const reference = cs.map((c) => {
      const all = candidateFeatures(c, context);
      return names.reduce((sum, name, j) => {
        const x = (all[FEATURE_NAMES.indexOf(name)]! - json.mean[j]!) / json.std[j]!;
        return sum + x * json.w1[j]!;
      }, json.b1[0]!);
    });
    small.score(cs).forEach((s, i) => expect(s).toBeCloseTo(reference[i]!, 4));
    expect(() =>
      Ranker.fromJSON({ ...json, features: ['termOverlap', 'termOverlap', 'x'] }),
    ).toThrow(/features/);
    expect(() => Ranker.fromJSON({ ...json, features: [] })).toThrow(RankerFormatError);
  });

  it('is reproducible with a fixed seed', () => {
    const again = trainRanker(train, { hidden: 8, epochs: 150, lr: 0.03, seed: 3 });
    expect(again.toJSON().w1).toEqual(ranker.toJSON().w1);
  });
});
