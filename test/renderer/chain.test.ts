// The restoration chain as the UI edits it: what blocks a run (no model for a task or a scale, no
// mask for inpainting) and the steps sent to the restore call, incl. the damage finder's sensitivity.
import { describe, expect, it } from 'vitest';
import type { ModelInfo } from '../../electron/api/contract';
import { chainProblem, chainToSteps, damageThreshold, defaultChain, defaultDetector } from '../../renderer/src/lib/chain';

const model = (task: ModelInfo['task'], scale = 1): ModelInfo => ({ id: `${task}-${scale}`, name: task, task, parameters: 1, architecture: 'x', scale, source: 'app', file: '/m.onnx', evaluation: [] });

describe('chain', () => {
  it('says why a chain cannot run', () => {
    const chain = defaultChain();
    expect(chainProblem(chain, [], false)).toBe('Reduce noise: no trained model yet.');
    expect(chainProblem(chain, [model('denoise')], false)).toBeNull();
    const up4 = { ...chain, upscale: { ...chain.upscale, enabled: true, scale: 4 as const } };
    expect(chainProblem(up4, [model('denoise'), model('upscale', 2)], false)).toBe('Enlarge 4×: no trained model yet.');
    const inpaint = { ...chain, inpaint: { ...chain.inpaint, enabled: true } };
    expect(chainProblem(inpaint, [model('denoise'), model('inpaint')], false)).toBe('Paint over the damage with the mask brush first.');
    expect(chainProblem(inpaint, [model('denoise'), model('inpaint')], true)).toBeNull();
    expect(chainProblem({ ...chain, denoise: { ...chain.denoise, enabled: false } }, [], false)).toBe('Turn on at least one step.');
  });
  it('builds the steps in the fixed order with their settings', () => {
    const chain = defaultChain();
    const all = {
      inpaint: { ...chain.inpaint, enabled: true },
      denoise: { ...chain.denoise, sigma: 30 },
      colorize: { ...chain.colorize, enabled: true, model: 'my-colorizer' },
      upscale: { ...chain.upscale, enabled: true, scale: 4 as const },
    };
    expect(chainToSteps(all, '/ws/mask.png')).toEqual([
      { task: 'inpaint', model: undefined, mask: '/ws/mask.png' },
      { task: 'denoise', model: undefined, sigma: 30 },
      { task: 'colorize', model: 'my-colorizer', saturation: 1 },
      { task: 'upscale', model: undefined, scale: 4 },
    ]);
  });
  it('passes the colour points and the saturation to the colorize step only', () => {
    const chain = defaultChain();
    const on = { ...chain, colorize: { ...chain.colorize, enabled: true, saturation: 1.4 } };
    const hints = [{ x: 10, y: 20, color: '#ff0000' }, { x: 0, y: 5, color: '#00ff00', radius: 3 }];
    expect(chainToSteps(on, null, hints)).toEqual([
      { task: 'denoise', model: undefined, sigma: 'auto' },
      { task: 'colorize', model: undefined, saturation: 1.4, hints: [{ x: 10, y: 20, color: '#ff0000' }, { x: 0, y: 5, color: '#00ff00', radius: 3 }] },
    ]);
    // No points: automatic colourization, no empty list on the wire.
    expect(chainToSteps(on, null, [])[1]).toEqual({ task: 'colorize', model: undefined, saturation: 1.4 });
    // Colourize off: points are not sent anywhere.
    expect(chainToSteps(chain, null, hints)).toEqual([{ task: 'denoise', model: undefined, sigma: 'auto' }]);
    expect(defaultChain().colorize.saturation).toBe(1);
  });
  it('sends "Max quality" as the self-ensemble flag of repair, denoise and upscale', () => {
    const chain = defaultChain();
    const tta = { ...chain, denoise: { ...chain.denoise, tta: true }, upscale: { ...chain.upscale, enabled: true, tta: true } };
    expect(chainToSteps(tta, null)).toEqual([
      { task: 'denoise', model: undefined, sigma: 'auto', tta: true },
      { task: 'upscale', model: undefined, scale: 2, tta: true },
    ]);
    const repair = { ...chain, inpaint: { ...chain.inpaint, enabled: true, autoMask: true, tta: true }, denoise: { ...chain.denoise, enabled: false } };
    expect(chainToSteps(repair, '/ws/mask.png')).toEqual([{ task: 'inpaint', model: undefined, mask: '/ws/mask.png', tta: true }]);
    expect(chainToSteps(repair, null)).toEqual([{ task: 'inpaint', model: undefined, mask: 'auto', tta: true }]);
  });
  it('turns the damage sensitivity into a threshold below the detector\'s calibrated one, for the automatic mask only', () => {
    expect(damageThreshold('normal', 0.975)).toBeUndefined();
    expect(damageThreshold(undefined, 0.975)).toBeUndefined();
    expect(damageThreshold('more', 0.975)).toBeCloseTo(0.9, 9);
    expect(damageThreshold('most', 0.975)).toBeCloseTo(0.8, 9);
    expect(damageThreshold('most', 0.9)).toBe(0.5);
    expect(damageThreshold('more', undefined)).toBeUndefined();
    const chain = defaultChain();
    const auto = { ...chain, denoise: { ...chain.denoise, enabled: false }, inpaint: { ...chain.inpaint, enabled: true, autoMask: true, sensitivity: 'more' as const } };
    const [step] = chainToSteps(auto, null, [], 0.975);
    expect(step).toMatchObject({ task: 'inpaint', mask: 'auto' });
    expect((step as { threshold: number }).threshold).toBeCloseTo(0.9, 9);
    // A painted mask is the user's own: no threshold. Normal: the engine applies the detector's.
    expect(chainToSteps(auto, '/ws/mask.png', [], 0.975)).toEqual([{ task: 'inpaint', model: undefined, mask: '/ws/mask.png' }]);
    expect(chainToSteps({ ...auto, inpaint: { ...auto.inpaint, sensitivity: 'normal' } }, null, [], 0.975)).toEqual([{ task: 'inpaint', model: undefined, mask: 'auto' }]);
    const mine = { ...model('detect-damage'), id: 'mine', threshold: 0.9, defaultFor: 'detect-damage' };
    expect(defaultDetector([model('denoise'), { ...model('detect-damage'), threshold: 0.975 }, mine])?.id).toBe('mine');
    expect(defaultDetector([model('denoise')])).toBeUndefined();
  });
});
