// What the Training view offers to improve, from the shipped models as the app lists them: the
// old-print restorer is its own kind (not "Reduce noise (colour photos)", whose clean-photo
// training adds white noise), with its own clean-photos choice.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listModels } from '../../electron/api/models';
import { cleanPhotosLabel, trainingKinds } from '../../renderer/src/lib/trainingKinds';

const ROOT = path.resolve(__dirname, '../..');

describe('training kinds', () => {
  it('lists old prints as their own kind, with the old-print model and none of the white-noise denoisers', async () => {
    const models = await listModels([{ dir: path.join(ROOT, 'models'), source: 'app' }]);
    expect(models.find((m) => m.id === 'old-print')).toMatchObject({ oldPrint: true, fixedNoiseLevel: 25 });
    const kinds = trainingKinds(models);
    expect(kinds.map((k) => k.id)).toEqual(['denoise-color', 'denoise-gray', 'old-print', 'upscale-2', 'upscale-4', 'colorize', 'inpaint']);
    const oldPrint = kinds.find((k) => k.id === 'old-print')!;
    expect([oldPrint.label, oldPrint.task, oldPrint.bases.map((b) => b.id)]).toEqual(['Restore old prints (grain, screens, blur)', 'denoise', ['old-print']]);
    expect(kinds.find((k) => k.id === 'denoise-color')!.bases.map((b) => b.id)).not.toContain('old-print');
    expect(cleanPhotosLabel(oldPrint)).toMatch(/make them look like old prints .* and learn to undo it/);
    expect(cleanPhotosLabel(kinds[0]!)).toBe('My photos are clean: add noise to them and learn to remove it');
  });
});
