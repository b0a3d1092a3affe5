/**
 * A hand-encoded ONNX model with one MatMul node, C = A @ B, with symbolic
 * shapes A [M, K], B [K, N], C [M, N], float32: the onnxruntime-node peer of
 * the matmul bench. About a hundred bytes of protobuf written from the field
 * numbers of onnx.proto3 (ModelProto: ir_version 1, graph 7, opset_import 8;
 * GraphProto: node 1, name 2, input 11, output 12; NodeProto: input 1,
 * output 2, op_type 4; ValueInfoProto: name 1, type 2; TypeProto.tensor_type 1;
 * Tensor: elem_type 1, shape 2; TensorShapeProto.dim 1; Dimension.dim_param 2),
 * so the bench needs no protobuf library.
 */

const varint = (value: number): number[] => {
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
  return out;
};
/** A varint field. */
const int = (field: number, value: number) => [...varint(field << 3), ...varint(value)];
/** A length-delimited field (string or sub-message). */
const bytes = (field: number, payload: number[]) => [
  ...varint((field << 3) | 2),
  ...varint(payload.length),
  ...payload,
];
const text = (field: number, value: string) => bytes(field, [...new TextEncoder().encode(value)]);

const FLOAT = 1;
const valueInfo = (field: number, name: string, dims: [string, string]) =>
  bytes(field, [
    ...text(1, name),
    ...bytes(2, [
      ...bytes(1, [
        ...int(1, FLOAT),
        ...bytes(
          2,
          dims.flatMap((dim) => bytes(1, text(2, dim))),
        ),
      ]),
    ]),
  ]);

/**
 * The serialized model (IR version 8, opset 13).
 * @returns the ModelProto bytes
 */
export function matmulModel(): Uint8Array {
  const graph = [
    ...bytes(1, [...text(1, 'A'), ...text(1, 'B'), ...text(2, 'C'), ...text(4, 'MatMul')]),
    ...text(2, 'matmul'),
    ...valueInfo(11, 'A', ['M', 'K']),
    ...valueInfo(11, 'B', ['K', 'N']),
    ...valueInfo(12, 'C', ['M', 'N']),
  ];
  return Uint8Array.from([...int(1, 8), ...bytes(7, graph), ...bytes(8, int(2, 13))]);
}
