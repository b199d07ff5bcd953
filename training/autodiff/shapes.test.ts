// Static shape inference (the builder's rules) and execution-based inference agree, and the static
// pass declines graphs it cannot resolve (computed shape operands) so execution takes over.
import { describe, expect, it } from 'vitest';
import { unet } from '../../models/architectures/unet';
import { GraphBuilder } from '../../models/onnx/graph';
import { inferByExecution, staticTensorInfo } from './shapes';

describe('tensor info', () => {
  it('static rules match execution on a U-Net', async () => {
    const { model } = unet({ inChannels: 3, outChannels: 3, widths: [4, 8], seed: 1 });
    const inputs = { image: { dims: [2, 3, 8, 12] } };
    const st = staticTensorInfo(model, inputs);
    expect(st).not.toBeNull();
    const ex = await inferByExecution(model, inputs);
    for (const [name, i] of ex) expect(st?.get(name)?.dims, name).toEqual(i.dims);
    expect(ex.get('output')?.dims).toEqual([2, 3, 8, 12]);
  });

  it('computed shape operands fall back to execution, which records their values', async () => {
    const b = new GraphBuilder('dyn');
    const x = b.input('x', 'float32', [2, 6]);
    const shape = b.op1('Shape', [x]);
    b.output(b.op1('Reshape', [b.relu(x), shape]), 'y');
    const model = b.build();
    expect(staticTensorInfo(model, { x: { dims: [2, 6] } })).toBeNull();
    const ex = await inferByExecution(model, { x: { dims: [2, 6] } });
    expect(ex.get(shape.name)?.ints).toEqual([2, 6]);
  });
});
