// The app:// and media:// protocol resolution refuses path traversal (encoded or not, backslashes,
// NUL bytes, other hosts) and serves files of the renderer folder; checked against real files.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mediaPathOf, mediaUrl, resolveAppAsset } from './protocol';

const dir = mkdtempSync(path.join(os.tmpdir(), 'protocol-test-'));
const root = path.join(dir, 'renderer');
mkdirSync(path.join(root, 'assets'), { recursive: true });
writeFileSync(path.join(root, 'index.html'), '<!doctype html>');
writeFileSync(path.join(root, 'assets', 'app.js'), '');
writeFileSync(path.join(dir, 'secret.txt'), 'secret');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('app:// assets', () => {
  it('serves index.html and assets inside the renderer folder', () => {
    expect(resolveAppAsset('app://restore/', root)).toBe(path.join(root, 'index.html'));
    expect(resolveAppAsset('app://restore/index.html', root)).toBe(path.join(root, 'index.html'));
    expect(resolveAppAsset('app://restore/assets/app.js?v=1', root)).toBe(path.join(root, 'assets', 'app.js'));
  });
  it('refuses traversal in every spelling', () => {
    for (const url of [
      'app://restore/../secret.txt',
      'app://restore/%2e%2e/secret.txt',
      'app://restore/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      'app://restore/..%2fsecret.txt',
      'app://restore/assets/..%5c..%5csecret.txt',
      'app://restore/%00index.html',
      'app://restore/%E0%A4%A',
      'app://other/index.html',
      'file:///etc/passwd',
      'app://restore/' + encodeURIComponent(path.join(dir, 'secret.txt')),
    ]) {
      const resolved = resolveAppAsset(url, root);
      expect(resolved === null || resolved.startsWith(root + path.sep), `${url} -> ${resolved}`).toBe(true);
      expect(resolved === path.join(dir, 'secret.txt'), url).toBe(false);
    }
  });
});

describe('media:// urls', () => {
  it('round-trips absolute paths with odd characters', () => {
    const p = path.join(dir, 'my photos', 'été #1 & 2%.png');
    expect(mediaPathOf(mediaUrl(p, 123))).toBe(p);
  });
  it('refuses relative paths, NUL bytes and other hosts', () => {
    expect(mediaPathOf('media://file/?path=relative/x.png')).toBeNull();
    expect(mediaPathOf('media://file/?path=%2Ftmp%2Fx%00.png')).toBeNull();
    expect(mediaPathOf('media://evil/?path=%2Ftmp%2Fx.png')).toBeNull();
    expect(mediaPathOf('app://file/?path=%2Ftmp%2Fx.png')).toBeNull();
  });
  it('normalises ".." so the folder check sees the real target', () => {
    expect(mediaPathOf('media://file/?path=' + encodeURIComponent('/allowed/../etc/passwd'))).toBe(path.normalize('/etc/passwd'));
  });
});
