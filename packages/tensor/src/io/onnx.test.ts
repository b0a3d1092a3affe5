/**
 * `onnxModel` checked by running what it writes in onnxruntime-node (the
 * runtime's own protobuf parser and checker are the independent reader):
 * attributes of every type, initializers of several dtypes, symbolic
 * dimensions, against values computed here by hand; and the refusals.
 */
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { TensorError } from '../errors.js';
import { onnxModel } from './onnx.js';

describe('onnxModel', () => {
  it('writes a graph onnxruntime runs: int / float / ints / tensor attributes, int64 and float initializers', async () => {
    // y = Gemm(x, W, b; alpha 0.5, transB) -> Transpose -> Concat with a Constant along axis 0 -> Reshape
    const W = new Float32Array([1, 2, 3, 4, 5, 6]); // [2 out, 3 in]
    const bytes = onnxModel({
      nodes: [
        {
          op: 'Gemm',
          inputs: ['x', 'W', 'b'],
          outputs: ['g'],
          attributes: { alpha: { float: 0.5 }, transB: { int: 1 } },
        },
        { op: 'Transpose', inputs: ['g'], outputs: ['gt'], attributes: { perm: { ints: [1, 0] } } },
        {
          op: 'Constant',
          inputs: [],
          outputs: ['c'],
          attributes: {
            value: { tensor: { dtype: 'float32', dims: [2, 1], data: new Float32Array([-1, -2]) } },
          },
        },
        { op: 'Concat', inputs: ['gt', 'c'], outputs: ['cat'], attributes: { axis: { int: 1 } } },
        { op: 'Reshape', inputs: ['cat', 'shape'], outputs: ['y'] },
      ],
      initializers: [
        { name: 'W', dtype: 'float32', dims: [2, 3], data: W },
        { name: 'b', dtype: 'float32', dims: [2], data: new Float32Array([10, 20]) },
        { name: 'shape', dtype: 'int64', dims: [1], data: new BigInt64Array([-1n]) },
      ],
      inputs: [{ name: 'x', dtype: 'float32', shape: [1, 3] }],
      outputs: [{ name: 'y', dtype: 'float32', shape: ['n'] }],
      opset: 17,
    });
    const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1 });
    expect(session.inputNames).toEqual(['x']);
    const out = await session.run({
      x: new ort.Tensor('float32', new Float32Array([1, 1, 2]), [1, 3]),
    });
    // g = 0.5 * x W^T + b = [0.5*9 + 10, 0.5*21 + 20]; transposed to a column, then [-1, -2] beside it
    expect([...(out.y!.data as Float32Array)]).toEqual([14.5, -1, 30.5, -2]);
  });

  it('symbolic dimensions stay free: one model serves every length', async () => {
    const bytes = onnxModel({
      nodes: [{ op: 'Softmax', inputs: ['x'], outputs: ['y'], attributes: { axis: { int: -1 } } }],
      inputs: [{ name: 'x', dtype: 'float32', shape: ['rows', 'cols'] }],
      outputs: [{ name: 'y', dtype: 'float32', shape: ['rows', 'cols'] }],
    });
    const session = await ort.InferenceSession.create(bytes);
    for (const n of [1, 5]) {
      const out = await session.run({
        x: new ort.Tensor('float32', new Float32Array(2 * n), [2, n]),
      });
      for (const v of out.y!.data as Float32Array) expect(v).toBeCloseTo(1 / n, 6);
    }
  });

  it('refuses unknown inputs, duplicate outputs, missing graph outputs and misfit initializer data', () => {
    const x = { name: 'x', dtype: 'float32', shape: [2] } as const;
    const relu = (input: string, output: string) => ({
      op: 'Relu',
      inputs: [input],
      outputs: [output],
    });
    expect(() => onnxModel({ nodes: [relu('z', 'y')], inputs: [x], outputs: [] })).toThrow(
      /node 0 \(Relu\) reads "z", which no input, initializer or earlier node provides/,
    );
    expect(() =>
      onnxModel({ nodes: [relu('x', 'y'), relu('y', 'y')], inputs: [x], outputs: [] }),
    ).toThrow(/node 1 \(Relu\) writes "y", which already exists/);
    expect(() => onnxModel({ nodes: [], inputs: [x], outputs: [{ ...x, name: 'y' }] })).toThrow(
      /graph output "y" is never produced/,
    );
    expect(() =>
      onnxModel({
        nodes: [],
        inputs: [],
        outputs: [],
        initializers: [{ name: 'w', dtype: 'float32', dims: [2, 2], data: new Float32Array(3) }],
      }),
    ).toThrow(TensorError);
  });
});
