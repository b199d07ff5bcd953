// The web bridge over real HTTP and WebSocket: token required (header, query or cookie), Host and
// Origin checked, static files confined to the renderer folder, media confined to allowed folders
// (TIFF converted for the browser), uploads land in the workspace, calls validated.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { buildBmp } from '../../test/fixtures/imageio/bmp';
import sharp from 'sharp';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FolderAccess } from '../api/access';
import { createApiService, type ApiService } from '../api/service';
import { SettingsStore } from '../api/settingsStore';
import type { ApiEvent } from '../api/contract';
import { startBridge, type BridgeServer } from './server';

const dir = mkdtempSync(path.join(os.tmpdir(), 'bridge-test-'));
const photos = path.join(dir, 'photos');
const ui = path.join(dir, 'ui');
const workspace = path.join(dir, 'ws');
const TOKEN = 'test-token-0123456789';
let service: ApiService;
let server: BridgeServer;

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}
function http(method: string, pathName: string, opts: { headers?: Record<string, string>; body?: string | Buffer; host?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, method, path: pathName, headers: { host: opts.host ?? `127.0.0.1:${server.port}`, ...opts.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}
const call = async (name: string, args: unknown, headers: Record<string, string> = { 'x-restore-token': TOKEN }) =>
  JSON.parse((await http('POST', `/api/call/${name}`, { headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(args) })).body.toString()) as {
    ok: boolean;
    value?: unknown;
    error?: { code: string; message: string };
  };

beforeAll(async () => {
  mkdirSync(photos, { recursive: true });
  mkdirSync(path.join(ui, 'assets'), { recursive: true });
  writeFileSync(path.join(ui, 'index.html'), '<!doctype html><title>ui</title>');
  writeFileSync(path.join(ui, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(path.join(dir, 'secret.txt'), 'secret');
  const pixels = Buffer.alloc(8 * 6 * 3, 200);
  await sharp(pixels, { raw: { width: 8, height: 6, channels: 3 } }).png().toFile(path.join(photos, 'a.png'));
  await sharp(pixels, { raw: { width: 8, height: 6, channels: 3 } }).tiff().toFile(path.join(photos, 'b.tif'));
  writeFileSync(path.join(photos, 'c.bmp'), buildBmp({ width: 3, height: 2, bitCount: 24, rows: [[10, 20, 30, 10, 20, 30, 10, 20, 30], [40, 50, 60, 40, 50, 60, 40, 50, 60]] }));
  const access = new FolderAccess();
  await access.allow(photos);
  await access.allow(workspace);
  service = createApiService({
    shell: 'web',
    version: '0.0.0-test',
    access,
    workspace,
    settings: new SettingsStore(path.join(dir, 'settings.json')),
    modelFolders: [],
    // No call in this test runs a model; starting the engine reports its absence as the provider's reason.
    startEngine: () => Promise.reject(new Error('no engine in this test')),
    mediaUrl: (file, v) => `media?path=${encodeURIComponent(file)}&v=${v}`,
  });
  server = await startBridge({ service, staticDir: ui, token: TOKEN, maxUploadBytes: 1_000_000 });
});
afterAll(async () => {
  await server?.close();
  await service?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('web bridge', () => {
  it('listens on loopback with the token in its URL', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${TOKEN}`);
  });

  it('refuses requests without the right token', async () => {
    expect((await http('GET', '/')).status).toBe(403);
    expect((await http('GET', '/?token=wrong')).status).toBe(403);
    expect(await call('getAppInfo', {}, { 'x-restore-token': 'wrong' })).toEqual({
      ok: false,
      error: { code: 'forbidden', message: 'missing or wrong session token: open the URL that `restore serve` printed' },
    });
  });

  it('sets a strict session cookie from ?token= that then authorises assets', async () => {
    const first = await http('GET', `/?token=${TOKEN}`);
    expect(first.status).toBe(200);
    expect(first.body.toString()).toContain('<title>ui</title>');
    expect(first.headers['content-security-policy']).toMatch(/script-src 'self'/);
    const cookie = String(first.headers['set-cookie']).split(';')[0]!;
    expect(String(first.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/);
    expect((await http('GET', '/assets/app.js', { headers: { cookie } })).status).toBe(200);
    expect((await http('GET', '/assets/app.js')).status).toBe(403);
  });

  it('checks the Host header (DNS rebinding) and the Origin of posts', async () => {
    expect((await http('GET', `/?token=${TOKEN}`, { host: `evil.example:${server.port}` })).status).toBe(421);
    const cross = await http('POST', '/api/call/getAppInfo', { headers: { 'x-restore-token': TOKEN, origin: 'http://evil.example' }, body: '{}' });
    expect(cross.status).toBe(403);
    expect((await call('getAppInfo', {}, { 'x-restore-token': TOKEN, origin: `http://127.0.0.1:${server.port}` })).ok).toBe(true);
    // Through an SSH tunnel the browser sees another local port.
    expect((await http('GET', `/?token=${TOKEN}`, { host: 'localhost:9000' })).status).toBe(200);
  });

  it('needs the header token for calls: the session cookie alone cannot drive the API (no CSRF)', async () => {
    const cookie = String((await http('GET', `/?token=${TOKEN}`)).headers['set-cookie']).split(';')[0]!;
    const viaCookie = await http('POST', '/api/call/getAppInfo', { headers: { cookie, 'content-type': 'application/json' }, body: '{}' });
    expect(viaCookie.status).toBe(403);
    const viaQuery = await http('POST', `/api/call/getAppInfo?token=${TOKEN}`, { body: '{}' });
    expect(viaQuery.status).toBe(403);
    const upload = await http('POST', '/api/upload?name=x.png', { headers: { cookie }, body: 'x' });
    expect(upload.status).toBe(403);
  });

  it('keeps static files inside the renderer folder', async () => {
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/..%5csecret.txt']) {
      const r = await http('GET', p, { headers: { 'x-restore-token': TOKEN } });
      expect(r.status, p).toBe(404);
      expect(r.body.toString()).not.toContain('secret');
    }
  });

  it('serves media only from allowed folders, converting TIFF and BMP for the browser', async () => {
    const png = await http('GET', `/media?path=${encodeURIComponent(path.join(photos, 'a.png'))}`, { headers: { 'x-restore-token': TOKEN } });
    expect(png.status).toBe(200);
    expect(png.headers['content-type']).toBe('image/png');
    const tif = await http('GET', `/media?path=${encodeURIComponent(path.join(photos, 'b.tif'))}`, { headers: { 'x-restore-token': TOKEN } });
    expect(tif.status).toBe(200);
    expect((await sharp(tif.body).metadata()).format).toBe('png');
    const bmp = await http('GET', `/media?path=${encodeURIComponent(path.join(photos, 'c.bmp'))}`, { headers: { 'x-restore-token': TOKEN } });
    expect(bmp.status).toBe(200);
    const shown = await sharp(bmp.body).raw().toBuffer({ resolveWithObject: true });
    expect([shown.info.format, shown.info.width, shown.info.height]).toEqual(['raw', 3, 2]);
    expect(Array.from(shown.data.subarray(0, 3))).toEqual([60, 50, 40]); // top row first, RGB
    const out = await http('GET', `/media?path=${encodeURIComponent(path.join(photos, '..', 'secret.txt'))}`, { headers: { 'x-restore-token': TOKEN } });
    expect(out.status).toBe(403);
    expect(out.body.toString()).toMatch(/outside the folders you allowed/);
  });

  it('serves no outside file through a link inside an allowed folder', async () => {
    const outsidePng = path.join(dir, 'outside.png');
    await sharp(Buffer.alloc(4 * 4 * 3, 9), { raw: { width: 4, height: 4, channels: 3 } }).png().toFile(outsidePng);
    symlinkSync(outsidePng, path.join(photos, 'link.png'));
    const r = await http('GET', `/media?path=${encodeURIComponent(path.join(photos, 'link.png'))}`, { headers: { 'x-restore-token': TOKEN } });
    rmSync(path.join(photos, 'link.png'));
    expect(r.status).toBe(403);
    expect(r.body.toString()).toMatch(/outside the folders you allowed/);
  });

  it('validates calls and answers with one-line errors', async () => {
    const listing = await call('listDir', { path: photos });
    expect(listing.ok).toBe(true);
    expect((listing.value as { entries: Array<{ name: string; kind: string }> }).entries).toEqual([
      expect.objectContaining({ name: 'a.png', kind: 'image' }),
      expect.objectContaining({ name: 'b.tif', kind: 'image' }),
      expect.objectContaining({ name: 'c.bmp', kind: 'image' }),
    ]);
    expect(await call('listDir', { path: dir })).toEqual({ ok: false, error: { code: 'forbidden', message: `${dir}: outside the folders you allowed` } });
    expect((await call('noSuchCall', {})).error?.code).toBe('unknown-call');
    const refused = await http('POST', '/api/call/openImage', { headers: { 'content-type': 'application/json', 'x-restore-token': TOKEN }, body: JSON.stringify({ path: 42 }) });
    expect(refused.status).toBe(400);
    expect((await call('openImage', { path: 42 })).error).toMatchObject({ code: 'invalid-argument' });
    const broken = path.join(photos, 'broken.png');
    writeFileSync(broken, 'not a png');
    const failed = await call('openImage', { path: broken });
    expect(failed.error?.message).toMatch(new RegExp(`^${broken.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: `));
    expect(failed.error?.message).not.toContain('\n');
  });

  it('stores uploads in the workspace where they can be opened', async () => {
    const bytes = await sharp(Buffer.alloc(4 * 4 * 3, 9), { raw: { width: 4, height: 4, channels: 3 } }).png().toBuffer();
    const up = JSON.parse((await http('POST', '/api/upload?name=..%2F..%2Fevil.png', { headers: { 'x-restore-token': TOKEN }, body: bytes })).body.toString()) as { value: { path: string } };
    expect(path.dirname(path.dirname(up.value.path))).toBe(path.join(workspace, 'uploads'));
    expect(path.basename(up.value.path)).toBe('evil.png');
    const info = await call('openImage', { path: up.value.path });
    expect(info.value).toMatchObject({ width: 4, height: 4, format: 'png' });
  });

  it('names a dropped file that is no image by its own name, not by its upload folder', async () => {
    const up = JSON.parse((await http('POST', '/api/upload?name=notes.txt', { headers: { 'x-restore-token': TOKEN }, body: 'shopping list: milk, eggs' })).body.toString()) as { value: { path: string } };
    const opened = await call('openImage', { path: up.value.path });
    expect(opened.error?.message).toMatch(/^notes\.txt: /);
    expect(opened.error?.message).not.toContain(workspace);
  });

  it('refuses a batch whose output is its input in the app\'s words (not the command line\'s -o/--format)', async () => {
    const r = await http('POST', '/api/call/startBatch', {
      headers: { 'content-type': 'application/json', 'x-restore-token': TOKEN },
      body: JSON.stringify({ jobId: 'b1', inputs: [path.join(photos, 'a.png')], output: photos, recursive: false, skipExisting: false, steps: [{ task: 'denoise', sigma: 10 }], options: { format: 'same' } }),
    });
    expect(r.status).toBe(400);
    const message = (JSON.parse(r.body.toString()) as { error: { message: string } }).error.message;
    expect(message).toBe('The restored a.png would replace the original: choose another output folder, or another format.');
  });

  it('answers 4xx, not 500, for dot names and malformed URLs', async () => {
    const bytes = await sharp(Buffer.alloc(4 * 4 * 3, 9), { raw: { width: 4, height: 4, channels: 3 } }).png().toBuffer();
    for (const name of ['..', '.', '...']) {
      const r = await http('POST', `/api/upload?name=${name}`, { headers: { 'x-restore-token': TOKEN }, body: bytes });
      expect(r.status, name).toBe(200);
      const p = (JSON.parse(r.body.toString()) as { value: { path: string } }).value.path;
      expect(path.basename(p)).toBe('upload');
      expect(path.dirname(path.dirname(p))).toBe(path.join(workspace, 'uploads'));
    }
    const bad = await http('GET', `/%E0%A4%A?token=${TOKEN}`);
    expect(bad.status).toBe(400);
    const worse = await http('GET', `//[?token=${TOKEN}`);
    expect(worse.status).toBeGreaterThanOrEqual(400);
    expect(worse.status).toBeLessThan(500);
  });

  it('answers 400 for a photo that cannot be used, and a FIFO at /media neither hangs nor stalls the server', async () => {
    const corrupt = path.join(photos, 'corrupt.png');
    writeFileSync(corrupt, Buffer.concat([readFileSync(path.join(photos, 'a.png')).subarray(0, 40), Buffer.alloc(30, 7)]));
    const r = await http('POST', '/api/call/openImage', { headers: { 'content-type': 'application/json', 'x-restore-token': TOKEN }, body: JSON.stringify({ path: corrupt }) });
    rmSync(corrupt);
    expect(r.status).toBe(400);
    const body = JSON.parse(r.body.toString()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('invalid-argument');
    expect(body.error.message.startsWith(`${corrupt}: `)).toBe(true);
    const fifo = path.join(photos, 'pipe.png');
    execFileSync('mkfifo', [fifo]);
    try {
      // More requests than libuv has worker threads: an open that waits for a writer would stall them all.
      const answers = await Promise.all([1, 2, 3, 4, 5].map(() => http('GET', `/media?path=${encodeURIComponent(fifo)}`, { headers: { 'x-restore-token': TOKEN } })));
      for (const a of answers) expect(a.status).toBe(404);
      expect((await http('GET', `/media?path=${encodeURIComponent(path.join(photos, 'a.png'))}`, { headers: { 'x-restore-token': TOKEN } })).status).toBe(200);
    } finally {
      rmSync(fifo);
    }
  }, 20_000);

  it('saves a mask only when it decodes as a PNG of the photo\'s size, else answers 400 saying why', async () => {
    const photo = path.join(photos, 'a.png'); // 8 x 6
    const png = (w: number, h: number) => sharp(Buffer.alloc(w * h, 255), { raw: { width: w, height: h, channels: 1 } }).png().toBuffer();
    const save = async (bytes: Buffer) => {
      const r = await http('POST', '/api/call/saveMask', { headers: { 'content-type': 'application/json', 'x-restore-token': TOKEN }, body: JSON.stringify({ pngBase64: bytes.toString('base64'), photo }) });
      return { status: r.status, outcome: JSON.parse(r.body.toString()) as { ok: boolean; value?: { path: string }; error?: { code: string; message: string } } };
    };
    const good = await save(await png(8, 6));
    expect(good.status).toBe(200);
    expect(path.dirname(good.outcome.value!.path)).toBe(path.join(workspace, 'masks'));
    const masksBefore = readdirSync(path.join(workspace, 'masks')).length;

    const wrongSize = await save(await png(16, 6));
    expect(wrongSize.status).toBe(400);
    expect(wrongSize.outcome.error).toEqual({ code: 'invalid-argument', message: 'saveMask: the mask is 16 × 6 pixels but the photo is 8 × 6' });
    const notPng = await save(Buffer.from('GIF89a not a png at all'));
    expect(notPng.status).toBe(400);
    expect(notPng.outcome.error?.message).toBe('saveMask: the mask is not a PNG image');
    const full = await png(8, 6);
    const truncated = await save(full.subarray(0, full.length - 20)); // header intact, image data cut
    expect(truncated.status).toBe(400);
    expect(truncated.outcome.error?.message).toMatch(/^saveMask: the mask PNG cannot be (read|decoded) \(/);
    const headerOnly = await save(full.subarray(0, 12));
    expect(headerOnly.status).toBe(400);
    expect(headerOnly.outcome.error?.message).toMatch(/^saveMask: the mask PNG cannot be read/);
    for (const r of [wrongSize, notPng, truncated, headerOnly]) expect(r.outcome.error?.message).not.toContain('\n');
    expect(readdirSync(path.join(workspace, 'masks'))).toHaveLength(masksBefore); // nothing refused was kept
    // A mask for a photo outside the allowed folders is refused like any path.
    const outside = await http('POST', '/api/call/saveMask', { headers: { 'content-type': 'application/json', 'x-restore-token': TOKEN }, body: JSON.stringify({ pngBase64: (await png(8, 6)).toString('base64'), photo: path.join(dir, 'secret.txt') }) });
    expect(outside.status).toBe(403);
  });

  it('refuses an upload over the size limit and keeps nothing of it', async () => {
    const big = await http('POST', '/api/upload?name=big.png', { headers: { 'x-restore-token': TOKEN }, body: Buffer.alloc(1_500_000, 1) });
    expect(big.status).toBe(413);
    expect(JSON.parse(big.body.toString())).toEqual({ ok: false, error: { code: 'failed', message: 'upload larger than 1000000 bytes' } });
    const left = readdirSync(path.join(workspace, 'uploads'), { recursive: true }).map(String).filter((f) => f.endsWith('big.png'));
    expect(left).toEqual([]);
  });

  it('streams events over the WebSocket to token holders only', async () => {
    const refused = new WebSocket(`ws://127.0.0.1:${server.port}/api/events`);
    await new Promise<void>((resolve) => refused.on('error', () => resolve()));
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/events?token=${TOKEN}`);
    await new Promise((resolve) => ws.on('open', resolve));
    const events: ApiEvent[] = [];
    ws.on('message', (m) => events.push(JSON.parse(String(m)) as ApiEvent));
    expect((await call('setSettings', { patch: { provider: 'cuda' } })).ok).toBe(true);
    await expect.poll(() => events.find((e) => e.type === 'provider')).toMatchObject({
      type: 'provider',
      provider: { requested: 'cuda', active: 'cpu', fallbackReason: expect.stringContaining('no engine in this test') },
    });
    ws.close();
  });

  describe('export never writes over an original and asks before replacing a file', () => {
    const folder = path.join(photos, 'export');
    const png = (v: number) => sharp(Buffer.alloc(4 * 4 * 3, v), { raw: { width: 4, height: 4, channels: 3 } }).png().toBuffer();
    let result = '';
    beforeAll(async () => {
      mkdirSync(folder, { recursive: true });
      mkdirSync(path.join(workspace, 'results'), { recursive: true });
      result = path.join(workspace, 'results', 'r.png');
      writeFileSync(result, await png(50));
    });
    const exportTo = (original: string, output: string, ifExists?: string) =>
      call('exportImage', { source: result, original, output, options: { format: 'png', keepMetadata: true }, ...(ifExists ? { ifExists } : {}) });

    it('refuses to replace the file an uploaded photo came from, even when told to replace', async () => {
      const mine = await png(77);
      writeFileSync(path.join(folder, 'family.png'), mine);
      // Dropped into the browser: the server gets a copy, not the path of the file on disk.
      const up = JSON.parse((await http('POST', '/api/upload?name=family.png', { headers: { 'x-restore-token': TOKEN }, body: mine })).body.toString()) as { value: { path: string } };
      for (const ifExists of [undefined, 'replace', 'keep-both']) {
        const r = await exportTo(up.value.path, path.join(folder, 'family.png'), ifExists);
        expect(r.ok, String(ifExists)).toBe(false);
        expect(r.error?.code).toBe('forbidden');
        expect(r.error?.message).toMatch(/family\.png: would overwrite an original/);
      }
      expect(readFileSync(path.join(folder, 'family.png')).equals(mine)).toBe(true);
    });

    it('asks before replacing another file, then replaces it or keeps both', async () => {
      const opened = path.join(folder, 'scan.png');
      writeFileSync(opened, await png(10));
      expect((await call('openImage', { path: opened })).ok).toBe(true);
      const other = path.join(folder, 'scan-restored.png');
      const before = await png(120);
      writeFileSync(other, before);
      const asked = await exportTo(opened, other);
      expect(asked.error).toEqual({ code: 'exists', message: `${other}: a file with this name already exists` });
      expect(readFileSync(other).equals(before)).toBe(true);
      const kept = await exportTo(opened, other, 'keep-both');
      expect(kept.value).toMatchObject({ path: path.join(folder, 'scan-restored (1).png') });
      const again = await exportTo(opened, other, 'keep-both');
      expect(again.value).toMatchObject({ path: path.join(folder, 'scan-restored (2).png') });
      expect(readFileSync(other).equals(before)).toBe(true);
      const replaced = await exportTo(opened, other, 'replace');
      expect(replaced.ok).toBe(true);
      expect(readFileSync(other).equals(before)).toBe(false);
      // The opened photo itself stays refused whatever the answer.
      expect((await exportTo(opened, opened, 'replace')).error?.code).toBe('forbidden');
      const fresh = await exportTo(opened, path.join(folder, 'new.png'));
      expect(fresh.value).toMatchObject({ path: path.join(folder, 'new.png'), width: 4, height: 4 });
    });
  });
});
