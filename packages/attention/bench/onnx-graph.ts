/**
 * A hand-built ONNX model of naive attention, the peer that runs on
 * onnxruntime-node: Transpose(K) -> MatMul(Q, K^T) -> Mul(scale) ->
 * Add(mask) -> Softmax(axis -1) -> MatMul(V), with symbolic shapes
 * Q, K, V [B, H, N, d] and an additive float mask [N, M] (0 or -1e9), so one
 * model serves every size. Serialized by @x/tensor's `onnxModel` (the ONNX
 * protobuf written by hand, shared with @x/lm's model export).
 */
import { onnxModel } from '@x/tensor';

/**
 * The model bytes.
 * @param scale - the multiplier of Q K^T (1 / sqrt(d))
 * @returns a serialized ModelProto (IR version 8, opset 17)
 */
export function attentionModel(scale: number): Uint8Array {
  const qkv = (name: string, rows: string) =>
    ({ name, dtype: 'float32', shape: ['B', 'H', rows, 'd'] }) as const;
  return onnxModel({
    name: 'naive_attention',
    producer: 'x-attention-bench',
    nodes: [
      {
        op: 'Transpose',
        inputs: ['K'],
        outputs: ['Kt'],
        attributes: { perm: { ints: [0, 1, 3, 2] } },
      },
      { op: 'MatMul', inputs: ['Q', 'Kt'], outputs: ['S'] },
      { op: 'Mul', inputs: ['S', 'scale'], outputs: ['Ss'] },
      { op: 'Add', inputs: ['Ss', 'mask'], outputs: ['Sm'] },
      { op: 'Softmax', inputs: ['Sm'], outputs: ['P'], attributes: { axis: { int: -1 } } },
      { op: 'MatMul', inputs: ['P', 'V'], outputs: ['O'] },
    ],
    initializers: [{ name: 'scale', dtype: 'float32', dims: [], data: new Float32Array([scale]) }],
    inputs: [
      qkv('Q', 'N'),
      qkv('K', 'M'),
      qkv('V', 'M'),
      { name: 'mask', dtype: 'float32', shape: ['N', 'M'] },
    ],
    outputs: [qkv('O', 'N')],
  });
}
