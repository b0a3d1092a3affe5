/**
 * A hand-encoded ONNX model of naive attention, the peer that runs on
 * onnxruntime-node: Transpose(K) -> MatMul(Q, K^T) -> Mul(scale) ->
 * Add(mask) -> Softmax(axis -1) -> MatMul(V), with symbolic shapes
 * Q, K, V [B, H, N, d] and an additive float mask [N, M] (0 or -1e9), so one
 * model serves every size. The protobuf wire format is written by hand
 * (varints, length-delimited fields, fixed32 floats) from onnx.proto3
 * (ModelProto / GraphProto / NodeProto / ValueInfoProto / TensorProto field
 * numbers), which avoids a protobuf dependency for six nodes.
 */

class ProtoWriter {
  private readonly bytes: number[] = [];

  private varint(value: number): void {
    let v = BigInt.asUintN(64, BigInt(value)); // negative int64 as two's complement
    do {
      let byte = Number(v & 0x7fn);
      v >>= 7n;
      if (v > 0n) byte |= 0x80;
      this.bytes.push(byte);
    } while (v > 0n);
  }

  /** A varint field (wire type 0). */
  int(field: number, value: number): this {
    this.varint((field << 3) | 0);
    this.varint(value);
    return this;
  }

  /** A length-delimited field (wire type 2): bytes, a string or a sub-message. */
  bytesField(field: number, payload: Uint8Array): this {
    this.varint((field << 3) | 2);
    this.varint(payload.length);
    for (const byte of payload) this.bytes.push(byte);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytesField(field, new TextEncoder().encode(value));
  }

  message(field: number, build: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    build(inner);
    return this.bytesField(field, inner.finish());
  }

  /** A fixed32 float field (wire type 5). */
  float(field: number, value: number): this {
    this.varint((field << 3) | 5);
    const buffer = new DataView(new ArrayBuffer(4));
    buffer.setFloat32(0, value, true);
    for (let i = 0; i < 4; i++) this.bytes.push(buffer.getUint8(i));
    return this;
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

const FLOAT = 1; // TensorProto.DataType.FLOAT
const ATTRIBUTE_INT = 2;
const ATTRIBUTE_INTS = 7;

function valueInfo(w: ProtoWriter, field: number, name: string, dims: (number | string)[]): void {
  w.message(field, (vi) => {
    vi.string(1, name);
    vi.message(2, (type) =>
      type.message(1, (tensorType) => {
        tensorType.int(1, FLOAT);
        tensorType.message(2, (shape) => {
          for (const dim of dims)
            shape.message(1, (d) => (typeof dim === 'number' ? d.int(1, dim) : d.string(2, dim)));
        });
      }),
    );
  });
}

function node(
  w: ProtoWriter,
  op: string,
  inputs: string[],
  outputs: string[],
  attributes: (a: ProtoWriter) => void = () => undefined,
): void {
  w.message(1, (n) => {
    for (const input of inputs) n.string(1, input);
    for (const output of outputs) n.string(2, output);
    n.string(3, `${op}_${outputs[0]}`);
    n.string(4, op);
    attributes(n);
  });
}

/**
 * The model bytes.
 * @param scale - the multiplier of Q K^T (1 / sqrt(d))
 * @returns a serialized ModelProto (IR version 8, opset 17)
 */
export function attentionModel(scale: number): Uint8Array {
  const model = new ProtoWriter();
  model.int(1, 8); // ir_version
  model.string(2, 'x-attention-bench');
  model.message(8, (opset) => opset.string(1, '').int(2, 17));
  model.message(7, (graph) => {
    node(graph, 'Transpose', ['K'], ['Kt'], (n) =>
      n.message(5, (a) => {
        a.string(1, 'perm');
        for (const axis of [0, 1, 3, 2]) a.int(8, axis);
        a.int(20, ATTRIBUTE_INTS);
      }),
    );
    node(graph, 'MatMul', ['Q', 'Kt'], ['S']);
    node(graph, 'Mul', ['S', 'scale'], ['Ss']);
    node(graph, 'Add', ['Ss', 'mask'], ['Sm']);
    node(graph, 'Softmax', ['Sm'], ['P'], (n) =>
      n.message(5, (a) => a.string(1, 'axis').int(3, -1).int(20, ATTRIBUTE_INT)),
    );
    node(graph, 'MatMul', ['P', 'V'], ['O']);
    graph.string(2, 'naive_attention');
    graph.message(5, (t) => t.int(2, FLOAT).string(8, 'scale').float(4, scale));
    valueInfo(graph, 11, 'Q', ['B', 'H', 'N', 'd']);
    valueInfo(graph, 11, 'K', ['B', 'H', 'M', 'd']);
    valueInfo(graph, 11, 'V', ['B', 'H', 'M', 'd']);
    valueInfo(graph, 11, 'mask', ['N', 'M']);
    valueInfo(graph, 12, 'O', ['B', 'H', 'N', 'd']);
  });
  return model.finish();
}
