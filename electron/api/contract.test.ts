// The contract's run-time validation: every call's arguments are checked, and a bad argument is
// one line naming the call and the field.
import { describe, expect, it } from 'vitest';
import { ApiError, CALL_NAMES, CallArgs, DEFAULT_SETTINGS, SettingsSchema, isCallName, parseArgs } from './contract';

describe('parseArgs', () => {
  it('accepts well-formed arguments and fills defaults', () => {
    const args = parseArgs('startBatch', {
      jobId: 'batch-1',
      inputs: ['/photos'],
      output: '/out',
      recursive: true,
      steps: [{ task: 'denoise', sigma: 'auto' }, { task: 'upscale', scale: 2 }],
      options: { format: 'png' },
      skipExisting: true,
    });
    expect(args.options.keepMetadata).toBe(true);
    // Batch's "Restore old photos": Repair on the damage found automatically, Colourize for black-and-white photos only.
    const old = parseArgs('startBatch', { jobId: 'b', inputs: ['/p'], output: '/o', recursive: true, skipExisting: true, options: { format: 'png' }, steps: [{ task: 'inpaint', mask: 'auto' }, { task: 'colorize', monochromeOnly: true }] });
    expect(old.steps[1]).toEqual({ task: 'colorize', monochromeOnly: true });
  });
  it('names the call and the field of a bad argument', () => {
    const bad = (name: Parameters<typeof parseArgs>[0], raw: unknown): ApiError => {
      try {
        parseArgs(name, raw);
      } catch (e) {
        expect(e).toBeInstanceOf(ApiError);
        return e as ApiError;
      }
      throw new Error(`${name} accepted ${JSON.stringify(raw)}`);
    };
    expect(bad('restore', { jobId: 'x', input: '/a.png', steps: [{ task: 'upscale', scale: 3 }] }).message).toMatch(/^restore: steps\.0\.scale: /);
    expect(bad('restore', { jobId: '../../x', input: '/a.png', steps: [{ task: 'colorize' }] }).message).toMatch(/^restore: jobId: job ids are/);
    expect(bad('startBatch', { jobId: 'b', inputs: ['/p'], output: '/o', recursive: true, skipExisting: true, options: { format: 'png' }, steps: [{ task: 'colorize', monochromeOnly: 'yes' }] }).message).toMatch(
      /^startBatch: steps\.0\.monochromeOnly: /,
    );
    expect(bad('openImage', { path: '/a\0b' }).message).toBe('openImage: path: path contains a NUL byte');
    expect(bad('restore', { jobId: 'x', input: '/a.png', steps: [] }).code).toBe('invalid-argument');
    expect(bad('setSettings', { patch: { threads: 1.5 } }).message).toMatch(/^setSettings: patch\.threads/);
    expect(bad('restore', { jobId: 'x', input: '/a.png', steps: [{ task: 'denoise', sigma: 80 }] }).message).toMatch(/steps\.0\.sigma/);
  });
  it("takes a damage search and an inpaint step whose mask is a file or 'auto'", () => {
    expect(parseArgs('detectDamage', { jobId: 'd-1', path: '/photos/a.png', threshold: 0.3 })).toEqual({ jobId: 'd-1', path: '/photos/a.png', threshold: 0.3 });
    const steps = parseArgs('restore', { jobId: 'r', input: '/a.png', steps: [{ task: 'inpaint', mask: 'auto', threshold: 0.4 }, { task: 'inpaint', mask: '/ws/m.png' }] }).steps;
    expect(steps).toEqual([{ task: 'inpaint', mask: 'auto', threshold: 0.4 }, { task: 'inpaint', mask: '/ws/m.png' }]);
    expect(() => parseArgs('detectDamage', { jobId: 'd-1' })).toThrow(/^detectDamage: path: /);
    expect(() => parseArgs('restore', { jobId: 'r', input: '/a.png', steps: [{ task: 'inpaint', mask: 'auto', threshold: 1.5 }] })).toThrow(/^restore: steps\.0\.threshold: /);
  });
  it('ships default settings that pass its own schema', () => {
    expect(SettingsSchema.parse(DEFAULT_SETTINGS)).toEqual(DEFAULT_SETTINGS);
  });
  it('knows exactly the declared calls', () => {
    expect(CALL_NAMES).toEqual(Object.keys(CallArgs));
    expect(isCallName('restore')).toBe(true);
    expect(isCallName('toString')).toBe(false);
    expect(isCallName('__proto__')).toBe(false);
  });
});
