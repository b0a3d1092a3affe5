/**
 * The tree verified in one step: a trie of draft tokens below the root (the
 * token the base model itself chose). The heads' candidates are laid out by
 * the step's `MedusaTree`; n-gram continuations are added as paths from the
 * root, sharing the nodes whose tokens they repeat, so no row is verified
 * twice. Nodes are in topological order (parents first), as `treeMask` and
 * `treePositions` of @x/attention need.
 */

/** Where a node's token came from. */
export const NODE_SOURCE = { root: 0, heads: 1, ngram: 2, both: 3 } as const;

/** A trie of draft tokens. */
export class DraftTree {
  /** Token of each node. */
  readonly tokens: number[] = [];
  /** Parent of each node, -1 for the root. */
  readonly parents: number[] = [];
  /** Depth of each node (root 0). */
  readonly depths: number[] = [];
  /** Bit set of `NODE_SOURCE` per node. */
  readonly sources: number[] = [];
  /** Children of each node by token. */
  readonly children: Map<number, number>[] = [];

  /** @param root - the root token */
  constructor(root: number) {
    this.tokens.push(root);
    this.parents.push(-1);
    this.depths.push(0);
    this.sources.push(NODE_SOURCE.root);
    this.children.push(new Map());
  }

  /** Nodes, root included. */
  get size(): number {
    return this.tokens.length;
  }

  /**
   * The child of `parent` with `token`, created if absent.
   * @param parent - an existing node
   * @param token - the child's token
   * @param source - `NODE_SOURCE.heads` or `NODE_SOURCE.ngram`
   * @returns the child's node index
   */
  child(parent: number, token: number, source: number): number {
    const existing = this.children[parent]!.get(token);
    if (existing !== undefined) {
      this.sources[existing]! |= source;
      return existing;
    }
    const node = this.tokens.length;
    this.tokens.push(token);
    this.parents.push(parent);
    this.depths.push(this.depths[parent]! + 1);
    this.sources.push(source);
    this.children.push(new Map());
    this.children[parent]!.set(token, node);
    return node;
  }

  /**
   * Adds a path of tokens below the root (an n-gram continuation), up to `maxDepth`.
   * @param tokens - the continuation
   * @param maxDepth - deepest node allowed
   * @param source - the source flag
   * @returns nodes added (not counting shared ones)
   */
  addPath(tokens: readonly number[], maxDepth: number, source: number): number {
    const before = this.size;
    let node = 0;
    for (let i = 0; i < tokens.length && i < maxDepth; i++)
      node = this.child(node, tokens[i]!, source);
    return this.size - before;
  }
}
