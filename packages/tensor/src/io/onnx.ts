/**
 * ONNX models written to bytes (browser-safe, no protobuf dependency): a
 * graph of nodes, typed inputs / outputs with symbolic dimensions, and
 * initializers, serialized as an `onnx.ModelProto` in the protobuf wire
 * format (varints, length-delimited fields, fixed32 floats) with the field
 * numbers of `onnx/onnx.proto3`:
 *
 *   ModelProto      ir_version 1, producer_name 2, graph 7, opset_import 8
 *   OperatorSetId   domain 1, version 2
 *   GraphProto      node 1, name 2, initializer 5, input 11, output 12
 *   NodeProto       input 1, output 2, name 3, op_type 4, attribute 5, domain 7
 *   AttributeProto  name 1, f 2, i 3, s 4, t 5, floats 7, ints 8, type 20
 *   TensorProto     dims 1, data_type 2, name 8, raw_data 9
 *   ValueInfoProto  name 1, type 2 -> TypeProto.tensor_type 1 -> elem_type 1,
 *                   shape 2 -> dim 1 -> dim_value 1 | dim_param 2
 *
 * Tensor data goes in `raw_data` (little-endian), referenced rather than
 * copied until the one final concatenation, so a model of hundreds of MB
 * is written in a single pass. The whole model must stay under protobuf's
 * 2 GiB message limit.
 */
import { TensorError } from '../errors.js';

/** Element types of ONNX tensors this writer knows (`TensorProto.DataType`). */
export const ONNX_DTYPE = { float32: 1, int32: 6, int64: 7, bool: 9, float16: 10 } as const;
/** One of `ONNX_DTYPE`'s names. */
export type OnnxDType = keyof typeof ONNX_DTYPE;

/** A graph input or output: name, element type, dimensions (numbers, or names for symbolic ones). */
export interface OnnxValueInfo {
  readonly name: string;
  readonly dtype: OnnxDType;
  readonly shape: readonly (number | string)[];
}

/** A constant tensor (an initializer, or a `value` attribute). */
export interface OnnxTensor {
  readonly name?: string;
  readonly dtype: OnnxDType;
  readonly dims: readonly number[];
  /** The values: Float32Array (float32), Int32Array (int32), BigInt64Array (int64), Uint8Array (bool), Uint16Array (float16 codes). */
  readonly data: Float32Array | Int32Array | BigInt64Array | Uint8Array | Uint16Array;
}

/** A node attribute, its ONNX type stated. */
export type OnnxAttribute =
  | { readonly int: number }
  | { readonly float: number }
  | { readonly string: string }
  | { readonly ints: readonly number[] }
  | { readonly floats: readonly number[] }
  | { readonly tensor: OnnxTensor };

/** One operator application. */
export interface OnnxNode {
  readonly op: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes?: Readonly<Record<string, OnnxAttribute>>;
  /** Operator domain ('' = the default ai.onnx domain). */
  readonly domain?: string;
  /** Node name. @default `${op}_${outputs[0]}` */
  readonly name?: string;
}

/** A whole model. */
export interface OnnxModelSpec {
  readonly nodes: readonly OnnxNode[];
  readonly inputs: readonly OnnxValueInfo[];
  readonly outputs: readonly OnnxValueInfo[];
  readonly initializers?: readonly OnnxTensor[];
  /** Graph name. @default 'graph' */
  readonly name?: string;
  /** ai.onnx opset version. @default 17 */
  readonly opset?: number;
  /** IR version. @default 8 */
  readonly irVersion?: number;
  /** `producer_name`. @default '@x/tensor' */
  readonly producer?: string;
}

const utf8 = new TextEncoder();
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A protobuf message being written: a list of byte parts and their total length. */
class ProtoWriter {
  private readonly parts: Uint8Array[] = [];
  private scratch: number[] = [];
  length = 0;

  private flush(): void {
    if (this.scratch.length === 0) return;
    this.parts.push(Uint8Array.from(this.scratch));
    this.scratch = [];
  }
  private varint(value: number | bigint): void {
    let v = BigInt.asUintN(64, BigInt(value)); // negative int64 as two's complement
    do {
      let byte = Number(v & 0x7fn);
      v >>= 7n;
      if (v > 0n) byte |= 0x80;
      this.scratch.push(byte);
      this.length++;
    } while (v > 0n);
  }
  private tag(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }
  int(field: number, value: number | bigint): this {
    this.tag(field, 0);
    this.varint(value);
    return this;
  }
  float(field: number, value: number): this {
    this.tag(field, 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    for (const byte of b) this.scratch.push(byte);
    this.length += 4;
    return this;
  }
  bytes(field: number, payload: Uint8Array): this {
    this.tag(field, 2);
    this.varint(payload.length);
    this.flush();
    this.parts.push(payload);
    this.length += payload.length;
    return this;
  }
  string(field: number, value: string): this {
    return this.bytes(field, utf8.encode(value));
  }
  message(field: number, build: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    build(inner);
    inner.flush();
    this.tag(field, 2);
    this.varint(inner.length);
    this.flush();
    this.parts.push(...inner.parts);
    this.length += inner.length;
    return this;
  }
  finish(): Uint8Array {
    this.flush();
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const part of this.parts) {
      out.set(part, at);
      at += part.length;
    }
    return out;
  }
}

const OP = 'onnxModel';
const ELEMENT_BYTES: Record<OnnxDType, number> = {
  float32: 4,
  int32: 4,
  int64: 8,
  bool: 1,
  float16: 2,
};

function rawBytes(t: OnnxTensor, where: string): Uint8Array {
  const count = t.dims.reduce((a, b) => a * b, 1);
  if (t.data.length !== count)
    throw new TensorError(
      OP,
      `${where}: dims [${t.dims.join(', ')}] hold ${count} values, data has ${t.data.length}`,
    );
  const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  if (t.data.BYTES_PER_ELEMENT !== ELEMENT_BYTES[t.dtype])
    throw new TensorError(
      OP,
      `${where}: ${t.dtype} data must be ${ELEMENT_BYTES[t.dtype]} bytes per value`,
    );
  if (littleEndian || t.data.BYTES_PER_ELEMENT === 1) return bytes;
  const out = new Uint8Array(bytes.length);
  const size = t.data.BYTES_PER_ELEMENT;
  for (let i = 0; i < bytes.length; i += size)
    for (let j = 0; j < size; j++) out[i + j] = bytes[i + size - 1 - j]!;
  return out;
}

function tensorProto(w: ProtoWriter, t: OnnxTensor, where: string): void {
  for (const d of t.dims) w.int(1, d);
  w.int(2, ONNX_DTYPE[t.dtype]);
  if (t.name !== undefined) w.string(8, t.name);
  w.bytes(9, rawBytes(t, where));
}

function valueInfo(w: ProtoWriter, field: number, info: OnnxValueInfo): void {
  w.message(field, (vi) => {
    vi.string(1, info.name);
    vi.message(2, (type) =>
      type.message(1, (tensorType) => {
        tensorType.int(1, ONNX_DTYPE[info.dtype]);
        tensorType.message(2, (shape) => {
          for (const dim of info.shape)
            shape.message(1, (d) => (typeof dim === 'number' ? d.int(1, dim) : d.string(2, dim)));
        });
      }),
    );
  });
}

function attribute(w: ProtoWriter, name: string, a: OnnxAttribute, node: string): void {
  w.message(5, (m) => {
    m.string(1, name);
    if ('int' in a) m.int(3, a.int).int(20, 2);
    else if ('float' in a) m.float(2, a.float).int(20, 1);
    else if ('string' in a) m.string(4, a.string).int(20, 3);
    else if ('ints' in a) {
      for (const v of a.ints) m.int(8, v);
      m.int(20, 7);
    } else if ('floats' in a) {
      for (const v of a.floats) m.float(7, v);
      m.int(20, 6);
    } else if ('tensor' in a) {
      m.message(5, (t) => tensorProto(t, a.tensor, `${node}.${name}`));
      m.int(20, 4);
    } else throw new TensorError(OP, `${node}: attribute "${name}" has no known type`);
  });
}

/**
 * Serializes a model as ONNX (`ModelProto`) bytes, loadable by onnxruntime
 * (node, web) and any ONNX tool. Names are checked: every node input must
 * be a graph input, an initializer or an earlier node's output, so a typo
 * is an error here rather than in the runtime.
 * @param spec - nodes in topological order, graph inputs / outputs, initializers, opset
 * @returns the serialized model
 * @throws TensorError for an input that nothing produces, a duplicate output name, or initializer data that does not fit its dims
 * @example
 * const bytes = onnxModel({
 *   nodes: [{ op: 'Relu', inputs: ['x'], outputs: ['y'] }],
 *   inputs: [{ name: 'x', dtype: 'float32', shape: ['n'] }],
 *   outputs: [{ name: 'y', dtype: 'float32', shape: ['n'] }],
 * });
 * await ort.InferenceSession.create(bytes) // runs Relu
 */
export function onnxModel(spec: OnnxModelSpec): Uint8Array {
  const known = new Set<string>(['']); // '' = an omitted optional input
  for (const i of spec.inputs) known.add(i.name);
  for (const t of spec.initializers ?? []) {
    if (!t.name) throw new TensorError(OP, 'every initializer needs a name');
    known.add(t.name);
  }
  spec.nodes.forEach((n, index) => {
    for (const input of n.inputs)
      if (!known.has(input))
        throw new TensorError(
          OP,
          `node ${index} (${n.op}) reads "${input}", which no input, initializer or earlier node provides`,
        );
    for (const output of n.outputs) {
      if (known.has(output) && output !== '')
        throw new TensorError(
          OP,
          `node ${index} (${n.op}) writes "${output}", which already exists`,
        );
      known.add(output);
    }
  });
  for (const o of spec.outputs)
    if (!known.has(o.name)) throw new TensorError(OP, `graph output "${o.name}" is never produced`);
  const model = new ProtoWriter();
  model.int(1, spec.irVersion ?? 8);
  model.string(2, spec.producer ?? '@x/tensor');
  model.message(7, (graph) => {
    for (const n of spec.nodes)
      graph.message(1, (w) => {
        for (const input of n.inputs) w.string(1, input);
        for (const output of n.outputs) w.string(2, output);
        const name = n.name ?? `${n.op}_${n.outputs[0]}`;
        w.string(3, name);
        w.string(4, n.op);
        for (const [key, value] of Object.entries(n.attributes ?? {}))
          attribute(w, key, value, name);
        if (n.domain) w.string(7, n.domain);
      });
    graph.string(2, spec.name ?? 'graph');
    for (const t of spec.initializers ?? [])
      graph.message(5, (w) => tensorProto(w, t, `initializer "${t.name}"`));
    for (const i of spec.inputs) valueInfo(graph, 11, i);
    for (const o of spec.outputs) valueInfo(graph, 12, o);
  });
  model.message(8, (opset) => opset.string(1, '').int(2, spec.opset ?? 17));
  return model.finish();
}
