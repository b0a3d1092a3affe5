/**
 * Named trees of paths ("medusa choices"). A path [r1, r2, ..., rd] is the
 * draft continuation that takes head 1's r1-th candidate (0-based), then head
 * 2's r2-th, ... below the root (the base model's own next token).
 *
 * `mc_sim_7b_63` is the reference implementation's default tree for
 * Vicuna-7B (FasterDecoding/Medusa, `medusa/model/medusa_choices.py`,
 * Apache-2.0): 63 paths, depth 4, chosen there from simulated accuracies on
 * a GPU where 64 rows cost about as much as one. `DEFAULT_CPU_CHOICES` is a
 * small tree for machines where they do not; `tree: 'auto'` chooses one
 * from measurements instead (see `auto-tree.ts`).
 */

// biome-ignore format: a table, kept as the reference prints it
/** The reference's 63-node tree for Vicuna-7B (4 heads, top-10). */
export const mc_sim_7b_63: readonly (readonly number[])[] = [
  [0], [0, 0], [1], [0, 1], [2], [0, 0, 0], [1, 0], [0, 2], [3], [0, 3], [4], [0, 4], [2, 0],
  [0, 5], [0, 0, 1], [5], [0, 6], [6], [0, 7], [0, 1, 0], [1, 1], [7], [0, 8], [0, 0, 2], [3, 0],
  [0, 9], [8], [9], [1, 0, 0], [0, 2, 0], [1, 2], [0, 0, 3], [4, 0], [2, 1], [0, 0, 4], [0, 0, 5],
  [0, 0, 0, 0], [0, 1, 1], [0, 0, 6], [0, 3, 0], [5, 0], [1, 3], [0, 0, 7], [0, 0, 8], [0, 0, 9],
  [6, 0], [0, 4, 0], [1, 4], [7, 0], [0, 1, 2], [2, 0, 0], [3, 1], [2, 2], [8, 0], [0, 5, 0],
  [1, 5], [1, 0, 1], [0, 2, 1], [9, 0], [0, 6, 0], [0, 0, 0, 1], [1, 6], [0, 7, 0],
];

// biome-ignore format: a table
/** A small tree for CPUs (8 paths, depth 4): the heads' first choices, with a second choice at the first two levels. */
export const DEFAULT_CPU_CHOICES: readonly (readonly number[])[] = [
  [0], [1], [0, 0], [0, 1], [1, 0], [0, 0, 0], [0, 0, 0, 0], [2],
];

/** Named trees by name, for the CLI's `--tree NAME`. */
export const NAMED_CHOICES: Readonly<Record<string, readonly (readonly number[])[]>> = {
  mc_sim_7b_63,
  cpu_8: DEFAULT_CPU_CHOICES,
};
