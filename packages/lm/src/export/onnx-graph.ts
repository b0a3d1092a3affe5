/**
 * A small builder of ONNX graphs for the model exports: nodes get fresh
 * output names, constants are shared initializers, and the result is
 * handed to @x/tensor's `onnxModel`.
 */
import type { OnnxAttribute, OnnxNode, OnnxTensor, OnnxValueInfo } from '@x/tensor';

/** Builds one graph. */
export class GraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxTensor[] = [];
  private readonly constants = new Map<string, string>();
  private counter = 0;

  /** Adds a node; returns its output names (`outputs` of them, or the names given). */
  op(
    op: string,
    inputs: readonly string[],
    attributes: Record<string, OnnxAttribute> = {},
    outputs: number | readonly string[] = 1,
  ): string[] {
    const names =
      typeof outputs === 'number'
        ? Array.from({ length: outputs }, () => `${op.toLowerCase()}_${this.counter++}`)
        : [...outputs];
    this.nodes.push({ op, inputs, outputs: names, attributes });
    return names;
  }

  /** A single-output node. */
  one(
    op: string,
    inputs: readonly string[],
    attributes: Record<string, OnnxAttribute> = {},
  ): string {
    return this.op(op, inputs, attributes)[0]!;
  }

  /** A named float32 initializer (a weight). */
  weight(name: string, dims: readonly number[], data: Float32Array): string {
    this.initializers.push({ name, dtype: 'float32', dims, data });
    return name;
  }

  /** A shared int64 constant (`dims` [] for a scalar). */
  int64(values: readonly number[], dims: readonly number[] = [values.length]): string {
    const key = `i64:${dims.join('x')}:${values.join(',')}`;
    let name = this.constants.get(key);
    if (!name) {
      name = `const_i64_${this.constants.size}`;
      this.constants.set(key, name);
      this.initializers.push({
        name,
        dtype: 'int64',
        dims,
        data: BigInt64Array.from(values, (v) => BigInt(v)),
      });
    }
    return name;
  }

  /** A shared float32 constant (`dims` [] for a scalar). */
  float(values: readonly number[], dims: readonly number[] = [values.length]): string {
    const key = `f32:${dims.join('x')}:${values.join(',')}`;
    let name = this.constants.get(key);
    if (!name) {
      name = `const_f32_${this.constants.size}`;
      this.constants.set(key, name);
      this.initializers.push({ name, dtype: 'float32', dims, data: Float32Array.from(values) });
    }
    return name;
  }

  /** The spec parts for `onnxModel`. */
  spec(inputs: OnnxValueInfo[], outputs: OnnxValueInfo[]) {
    return { nodes: this.nodes, initializers: this.initializers, inputs, outputs };
  }
}
