// atomicWrite with replace: false never replaces an existing file (TargetExistsError, the target
// untouched, no temporary left behind); the default still replaces it atomically.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TargetExistsError, atomicWrite } from './atomic';

const dir = mkdtempSync(path.join(os.tmpdir(), 'atomic-replace-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('atomicWrite replace: false', () => {
  it('refuses an existing target and leaves it as it was', async () => {
    const file = path.join(dir, 'kept.png');
    writeFileSync(file, 'before');
    await expect(atomicWrite(file, [Buffer.from('after')], [], { replace: false })).rejects.toBeInstanceOf(TargetExistsError);
    expect(readFileSync(file, 'utf8')).toBe('before');
    expect(readdirSync(dir)).toEqual(['kept.png']);
  });
  it('writes a new file, and replaces by default', async () => {
    const file = path.join(dir, 'new.png');
    await atomicWrite(file, [Buffer.from('one')], [], { replace: false });
    expect(readFileSync(file, 'utf8')).toBe('one');
    await atomicWrite(file, [Buffer.from('two')]);
    expect(readFileSync(file, 'utf8')).toBe('two');
    expect(readdirSync(dir).sort()).toEqual(['kept.png', 'new.png']);
  });
});
