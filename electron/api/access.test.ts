// Folder access: only paths inside allowed folders pass, whatever "..", symlinks or missing
// output folders are involved (real folders and symlinks on disk).
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FolderAccess } from './access';
import { ApiError } from './contract';

const dir = mkdtempSync(path.join(os.tmpdir(), 'access-test-'));
const allowed = path.join(dir, 'photos');
mkdirSync(path.join(allowed, 'sub'), { recursive: true });
writeFileSync(path.join(allowed, 'a.png'), 'x');
writeFileSync(path.join(dir, 'secret.txt'), 'secret');
symlinkSync(dir, path.join(allowed, 'escape'));
symlinkSync(path.join(dir, 'secret.txt'), path.join(allowed, 'secret-link.txt'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const access = new FolderAccess();
await access.allow(allowed);

async function refused(p: string): Promise<ApiError> {
  const e = await access.check(p).then(() => null, (err: unknown) => err);
  expect(e, p).toBeInstanceOf(ApiError);
  return e as ApiError;
}

describe('FolderAccess', () => {
  it('accepts files, folders and not-yet-existing outputs inside an allowed folder', async () => {
    expect(await access.check(path.join(allowed, 'a.png'))).toBe(path.join(allowed, 'a.png'));
    expect(await access.check(allowed)).toBe(allowed);
    expect(await access.check(path.join(allowed, 'new', 'deeper', 'out.png'))).toBe(path.join(allowed, 'new', 'deeper', 'out.png'));
  });
  it('refuses "..", symlinks out, siblings with a common prefix and relative paths', async () => {
    const e = await refused(path.join(allowed, '..', 'secret.txt'));
    expect(e.code).toBe('forbidden');
    expect(e.message).toBe(`${path.join(allowed, '..', 'secret.txt')}: outside the folders you allowed`);
    await refused(path.join(allowed, 'escape', 'secret.txt'));
    await refused(path.join(allowed, 'secret-link.txt'));
    await refused(path.join(allowed, 'escape', 'new-output.png'));
    await refused(allowed + '-other/x.png');
    await refused('photos/a.png');
    await refused('/');
  });
  it('opens a file for reading only inside an allowed folder, never through a link leading out', async () => {
    const ok = await access.openFile(path.join(allowed, 'a.png'));
    expect((await ok.handle.readFile()).toString()).toBe('x');
    await ok.handle.close();
    const e = await access.openFile(path.join(allowed, 'secret-link.txt')).then(() => null, (err: unknown) => err as ApiError);
    expect(e?.code).toBe('forbidden');
    expect((await access.openFile(path.join(allowed, 'sub')).then(() => null, (err: unknown) => err as ApiError))?.code).toBe('not-found');
  });
  it('lists the allowed folders and can allow one more', async () => {
    const more = new FolderAccess([allowed]);
    await refused(path.join(dir, 'secret.txt'));
    await more.allow(path.join(dir, 'secret.txt'));
    expect(await more.check(path.join(dir, 'secret.txt'))).toBe(path.join(dir, 'secret.txt'));
    expect(more.list()).toEqual([allowed, path.join(dir, 'secret.txt')]);
  });
  it("allows the app's own folders without listing them (the folder browser and export offer the user's)", async () => {
    const more = new FolderAccess([allowed]);
    const own = path.join(dir, 'own');
    mkdirSync(own);
    writeFileSync(path.join(own, 'kept.png'), 'k');
    await more.allow(own, { internal: true });
    expect(await more.check(path.join(own, 'kept.png'))).toBe(path.join(own, 'kept.png'));
    expect(more.list()).toEqual([allowed]);
    await more.allow(own); // allowed again as a user's folder: still the app's
    expect(more.list()).toEqual([allowed]);
  });
});
