// Probe group 3: hostile requests to a real `restore serve` (test/e2e/serveFixture.ts). A
// sentinel folder lies outside the allowed folder; inside it are links pointing out (a photo, a
// folder, an output subfolder, a batch input). Requests: missing/wrong token, foreign Host and
// Origin; every call that takes a path (electron/api/contract.ts) and /media with paths that
// leave the allowed folders (absolute, `..`, file and folder symlinks), in the read and the write
// direction; malformed JSON, arguments the schemas refuse, malformed URLs, odd methods, big
// bodies; upload names like `..`; concurrent large uploads while the server's memory is watched.
// Then the bad-input corpus inside the allowed folder, each file opened, previewed (/media) and
// restored by the server. Counted: 5xx answers, crashes (the server gone), confinement breaks (an answer that read an
// outside file, any change outside, an outside photo processed into the allowed folder, an
// upload stored outside the workspace, a request without the token served) and leaks (memory not
// given back after the uploads, the workspace left after the server stops).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { connect } from 'node:net';
import sharp from 'sharp';
import { startServe } from '../e2e/serveFixture';
import { writeBadInputs } from '../fixtures/badInputs';
import { lineDetector } from '../../electron/api/test/lineDetector';
import { bad, changed, newTally, snapshot, type Tally } from './common';
import { BridgeClient, checkShutdown, closer, parseOutcome, serveRss, servePids, writeSentinels, type Reply } from './bridge';

const STEPS = [{ task: 'denoise', sigma: 10 }];
const OPTIONS = { format: 'png', keepMetadata: true };

/** Sends raw bytes (a request line Node's client would refuse) and returns the status code (0: none). */
function raw(port: number, text: string): Promise<number> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1', () => s.end(text));
    let got = '';
    s.on('data', (d: Buffer) => (got += d.toString()));
    s.on('close', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(got)?.[1] ?? 0)));
    s.on('error', () => resolve(0));
    s.setTimeout(30_000, () => s.destroy());
  });
}

async function waitFor<T>(what: () => T | undefined, ms: number): Promise<T | undefined> {
  const end = Date.now() + ms;
  for (;;) {
    const v = what();
    if (v !== undefined || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Images under root whose size is the outside photo's (37 x 29) or a multiple of it: processed copies. */
async function sentinelCopies(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const f of await fs.readdir(root, { recursive: true, withFileTypes: true })) {
    if (!f.isFile() || !/\.(png|jpe?g|tiff?|webp)$/i.test(f.name) || path.relative(root, f.parentPath).split(path.sep)[0] === 'corpus') continue;
    const m = await sharp(path.join(f.parentPath, f.name)).metadata().catch(() => null);
    if (m && m.width > 0 && m.width % 37 === 0 && m.height % 29 === 0 && m.width / 37 === m.height / 29) out.push(path.join(f.parentPath, f.name));
  }
  return out;
}

export async function probeHostile(): Promise<Tally> {
  const t = newTally('hostile requests (bridge)');
  const s = await writeSentinels();
  const fx = await startServe({ batchFiles: 2, models: [lineDetector()] }); // a damage detector, so detectDamage reaches its path check
  const A = fx.dir;
  const c = new BridgeClient(fx.url);
  const listener = await c.listen();
  const { serve: servePid } = await servePids();
  const close = closer(fx, servePid);
  try {
    const info = await c.value<{ workspace: string }>('getAppInfo', {});
    const outsideBefore = await snapshot(s.dir);
    await fs.symlink(s.photo, path.join(A, 'photos', 'link-out.png'));
    await fs.symlink(s.dir, path.join(A, 'photos', 'linkdir'));
    await fs.symlink(s.dir, path.join(A, 'out', 'escape'));
    await fs.mkdir(path.join(A, 'batchin'));
    await fs.copyFile(fx.photo, path.join(A, 'batchin', 'a.png'));
    await fs.symlink(s.photo, path.join(A, 'batchin', 'b.png'));
    await fs.symlink(s.dir, path.join(A, 'batchin', 'sub'));
    const before = new Set((await fs.readdir(A, { recursive: true })).map(String));

    /** Every answer: 5xx counted, sentinel bytes in it a break. */
    const seen = (what: string, r: Reply): Reply => {
      t.tried++;
      if (r.status >= 500) bad(t, 'serverErrors', `${what}: ${r.status} ${r.body.toString().slice(0, 160)}`);
      if (r.status === 0) t.findings.push(`note: ${what}: no answer (${r.error ?? 'closed'})`);
      if (s.leaked(r.body)) bad(t, 'confinementBreaks', `${what}: the answer carries bytes of an outside file`);
      return r;
    };
    const refused = (what: string, r: Reply): void => {
      seen(what, r);
      if (r.status >= 200 && r.status < 300) bad(t, 'confinementBreaks', `${what}: served (${r.status}) without a valid token/host/origin`);
    };

    // --- 1. token, Host, Origin
    const cookie = { cookie: `restore-token=${c.token}` };
    const tok = { 'x-restore-token': c.token };
    const lenna = encodeURIComponent(fx.photo);
    for (const [what, method, p, headers] of [
      ['GET / without token', 'GET', '/', {}],
      ['GET / wrong token', 'GET', '/?token=wrong', {}],
      ['GET /media without token', 'GET', `/media?path=${lenna}`, {}],
      ['GET /media wrong token', 'GET', `/media?path=${lenna}&token=x${c.token}`, {}],
      ['GET /media wrong header token', 'GET', `/media?path=${lenna}`, { 'x-restore-token': 'nope' }],
      ['POST call without token', 'POST', '/api/call/getAppInfo', {}],
      ['POST call wrong token', 'POST', '/api/call/getAppInfo', { 'x-restore-token': `${c.token}x` }],
      ['POST call token prefix', 'POST', '/api/call/getAppInfo', { 'x-restore-token': c.token.slice(0, -1) }],
      ['POST call token in query only', 'POST', `/api/call/getAppInfo?token=${c.token}`, {}],
      ['POST call token in cookie only', 'POST', '/api/call/getAppInfo', cookie],
      ['POST upload without token', 'POST', '/api/upload?name=x.png', {}],
      ['POST upload cookie only', 'POST', '/api/upload?name=x.png', cookie],
      ['POST call foreign Host', 'POST', '/api/call/getAppInfo', { ...tok, host: 'evil.example:80' }],
      ['GET / foreign Host (DNS rebinding)', 'GET', `/?token=${c.token}`, { host: 'attacker.example' }],
      ['POST call foreign Origin', 'POST', '/api/call/getAppInfo', { ...tok, origin: 'http://evil.example' }],
      ['POST call Origin null', 'POST', '/api/call/getAppInfo', { ...tok, origin: 'null' }],
      ['POST call https loopback-looking Origin', 'POST', '/api/call/getAppInfo', { ...tok, origin: 'http://127.0.0.1.evil.example' }],
      ['POST upload foreign Origin', 'POST', '/api/upload?name=x.png', { ...tok, origin: 'http://evil.example' }],
    ] as Array<[string, string, string, Record<string, string>]>) refused(what, await c.http(method, p, { headers, body: method === 'POST' ? '{}' : undefined }));
    for (const [what, headers] of [
      ['WS without token', {}],
      ['WS wrong token', { 'x-restore-token': 'wrong' }],
      ['WS foreign Origin', { ...tok, origin: 'http://evil.example' }],
    ] as Array<[string, Record<string, string>]>) {
      t.tried++;
      const { WebSocket } = await import('ws');
      const opened = await new Promise<boolean>((resolve) => {
        const ws = new WebSocket(`ws://127.0.0.1:${c.port}/api/events`, { headers });
        ws.once('open', () => (ws.close(), resolve(true)));
        ws.once('error', () => resolve(false));
      });
      if (opened) bad(t, 'confinementBreaks', `${what}: the event stream opened`);
    }

    // --- 2. paths out of the allowed folder, read direction, through every call taking one
    const outsideName = path.basename(s.dir);
    const outsidePaths = [
      s.photo,
      s.text,
      `${A}/photos/../../${outsideName}/secret.png`,
      path.join(A, 'photos', 'link-out.png'),
      path.join(A, 'photos', 'linkdir', 'secret.png'),
      path.join(A, 'photos', 'linkdir'),
      s.dir,
      path.join(s.dir, 'sub', 'model.onnx'),
      '/etc/passwd',
      '/proc/self/environ',
    ];
    // controls: the same calls on an allowed photo work, so the refusals below are the folder rule's
    for (const [what, r] of [
      ['openImage(allowed photo)', await c.call('openImage', { path: fx.photo })],
      ['listDir(allowed folder)', await c.call('listDir', { path: A })],
      ['restore(allowed photo)', await c.call('restore', { jobId: 'control', input: fx.photo, steps: STEPS, preview: { maxSide: 64 } })],
      ['GET /media(allowed photo)', await c.http('GET', `/media?path=${lenna}`, { headers: tok })],
    ] as Array<[string, Reply]>) {
      seen(what, r);
      if (r.status !== 200) t.findings.push(`note: CONTROL FAILED: ${what} answered ${r.status}: the probe's refusals prove nothing`);
    }
    const codes = new Map<string, number>();
    let k = 0;
    for (const p of outsidePaths) {
      const readCalls: Array<[string, unknown]> = [
        ['openImage', { path: p }],
        ['listDir', { path: p }],
        ['importModel', { path: p }],
        ['scanTrainingFolders', { folders: [p] }],
        ['detectDamage', { jobId: `dd${k}`, path: p }],
        ['restore', { jobId: `r${k}`, input: p, steps: STEPS }],
        ['saveMask', { pngBase64: (await sharp({ create: { width: 37, height: 29, channels: 3, background: '#fff' } }).png().toBuffer()).toString('base64'), photo: p }],
        ['exportImage', { source: p, original: fx.photo, output: path.join(A, 'out', `exp-${k}.png`), options: OPTIONS, ifExists: 'keep-both' }],
        ['startBatch', { jobId: `b${k}`, inputs: [p], output: path.join(A, 'out', `batch-${k}`), recursive: true, steps: STEPS, options: OPTIONS, skipExisting: false }],
        ['revealPath', { path: p }],
      ];
      for (const [name, args] of readCalls) {
        const r = seen(`${name}(${p})`, await c.call(name, args));
        const o = parseOutcome(r);
        if (!o) continue;
        if (!o.ok) codes.set(`${name}: ${o.error?.code}`, (codes.get(`${name}: ${o.error?.code}`) ?? 0) + 1);
        if (o.ok && name === 'startBatch') {
          const total = (o.value as { total: number }).total;
          if (total > 0) bad(t, 'confinementBreaks', `startBatch(${p}): ${total} outside file(s) taken as input`);
          await waitFor(() => listener.events.find((e) => e.type === 'batch-done'), 60_000);
        } else if (o.ok && name !== 'revealPath') bad(t, 'confinementBreaks', `${name}(${p}) answered ok: ${r.body.toString().slice(0, 160)}`);
      }
      const m = seen(`GET /media?path=${p}`, await c.http('GET', `/media?path=${encodeURIComponent(p)}`, { headers: tok }));
      if (m.status === 200) bad(t, 'confinementBreaks', `/media served ${p}`);
      k++;
    }

    t.findings.push(`note: outside paths refused with: ${[...codes].map(([x, v]) => `${x} x${v}`).join(', ')}`);

    // a saved session naming outside files: getSession must not open them again
    const step = { enabled: true, model: '', sigma: 10, scale: 2, tta: false, saturation: 1, autoMask: false };
    const chain = { inpaint: { ...step, enabled: false }, denoise: step, colorize: { ...step, enabled: false }, upscale: { ...step, enabled: false } };
    for (const p of [s.photo, path.join(A, 'photos', 'link-out.png'), `${A}/photos/../../${outsideName}/secret.png`]) {
      const state = {
        version: 1,
        restore: { photo: p, chain, points: [], result: p, mode: 'slider' },
        batch: { inputs: [p, s.dir], output: s.dir, recursive: true, skipExisting: true, chain, format: 'same', depth: 8, last: null },
      };
      seen(`saveSession(${p})`, await c.call('saveSession', { state }));
      const r = seen(`getSession after saving ${p}`, await c.call('getSession', {}));
      const got = parseOutcome(r)?.value as { photo?: unknown; result?: unknown } | undefined;
      if (got?.photo || got?.result) bad(t, 'confinementBreaks', `getSession opened an outside file saved in the session (${p}): ${r.body.toString().slice(0, 200)}`);
    }

    // --- 3. write direction: outputs outside, through `..` and through links
    const restored = await c.value<{ image: { path: string } }>('restore', { jobId: 'src', input: fx.photo, steps: STEPS, preview: { maxSide: 64 } });
    const outsideOutputs = [
      path.join(s.dir, 'written.png'),
      path.join(A, 'out', 'escape', 'written.png'),
      `${A}/out/../../${outsideName}/written2.png`,
      s.photo,
      path.join(A, 'photos', 'link-out.png'),
      path.join(A, 'photos', 'linkdir', 'written3.png'),
    ];
    for (const output of outsideOutputs) {
      for (const ifExists of ['ask', 'replace', 'keep-both']) {
        const r = seen(`exportImage to ${output} (${ifExists})`, await c.call('exportImage', { source: restored.image.path, original: fx.photo, output, options: OPTIONS, ifExists }));
        const o = parseOutcome(r);
        if (o?.ok) bad(t, 'confinementBreaks', `exportImage wrote ${output} (${ifExists}): ${r.body.toString().slice(0, 160)}`);
      }
    }
    for (const [i, output] of [s.dir, path.join(A, 'out', 'escape'), `${A}/out/../../${outsideName}`, path.join(A, 'photos', 'linkdir', 'deeper')].entries()) {
      const jobId = `w${i}`;
      const r = seen(`startBatch output ${output}`, await c.call('startBatch', { jobId, inputs: [path.join(A, 'photos', 'lenna.png')], output, recursive: false, steps: STEPS, options: OPTIONS, skipExisting: false }));
      if (parseOutcome(r)?.ok) await waitFor(() => listener.events.find((e) => e.type === 'batch-done' && (e.summary as { jobId: string }).jobId === jobId), 120_000);
    }
    // writing over an input: the opened photo, an uploaded one, a batch into its own input folder
    {
      const photosBefore = await snapshot(path.join(A, 'photos'));
      const up = parseOutcome(seen('upload a photo', await c.http('POST', '/api/upload?name=mine.png', { headers: tok, body: await fs.readFile(fx.photo) })));
      const uploaded = (up?.value as { path: string } | undefined)?.path;
      const uploadedBefore = uploaded ? await fs.readFile(uploaded) : null;
      for (const output of [fx.photo, ...(uploaded ? [uploaded] : [])]) {
        for (const ifExists of ['ask', 'replace', 'keep-both']) {
          const r = seen(`exportImage over the input ${path.basename(output)} (${ifExists})`, await c.call('exportImage', { source: restored.image.path, original: output, output, options: OPTIONS, ifExists }));
          const o = parseOutcome(r);
          if (o?.ok && (o.value as { path: string }).path === output) bad(t, 'inputsModified', `exportImage replaced the input ${output} (${ifExists})`);
        }
      }
      const r = seen('startBatch into its own input folder', await c.call('startBatch', { jobId: 'self', inputs: [path.join(A, 'photos')], output: path.join(A, 'photos'), recursive: false, steps: STEPS, options: OPTIONS, skipExisting: false }));
      if (parseOutcome(r)?.ok) await waitFor(() => listener.events.find((e) => e.type === 'batch-done' && (e.summary as { jobId: string }).jobId === 'self'), 120_000);
      for (const ch of changed(photosBefore, await snapshot(path.join(A, 'photos')))) if (!ch.startsWith('added')) bad(t, 'inputsModified', `photos folder: ${ch}`);
      if (uploaded && uploadedBefore && !(await fs.readFile(uploaded)).equals(uploadedBefore)) bad(t, 'inputsModified', `the uploaded photo ${uploaded} was overwritten`);
    }

    // a batch over a folder holding a file link and a folder link pointing out
    {
      const r = seen('startBatch over links', await c.call('startBatch', { jobId: 'links', inputs: [path.join(A, 'batchin')], output: path.join(A, 'out', 'fromlinks'), recursive: true, steps: STEPS, options: OPTIONS, skipExisting: false }));
      if (parseOutcome(r)?.ok) await waitFor(() => listener.events.find((e) => e.type === 'batch-done' && (e.summary as { jobId: string }).jobId === 'links'), 120_000);
      const written = await fs.readdir(path.join(A, 'out', 'fromlinks'), { recursive: true }).catch(() => [] as string[]);
      for (const f of written.map(String).filter((x) => x !== 'a.png' && /\.png$/.test(x))) bad(t, 'confinementBreaks', `batch over links wrote ${f} (an outside photo processed in)`);
    }

    // --- 4. malformed requests and arguments the schemas refuse
    const calls: Array<[string, string]> = [
      ['getAppInfo', 'not json'],
      ['getAppInfo', '[]'],
      ['getAppInfo', 'null'],
      ['getAppInfo', '"text"'],
      ['getAppInfo', '1e999'],
      ['getSettings', '['.repeat(100_000)],
      ['getSettings', '{"__proto__":{"polluted":1}}'],
      ['setSettings', JSON.stringify({ patch: { threads: -3 } })],
      ['setSettings', JSON.stringify({ patch: { threads: 'x', tile: 1e12 } })],
      ['setSettings', JSON.stringify({ patch: { constructor: { prototype: { polluted: 1 } } } })],
      ['restore', JSON.stringify({ jobId: '../../x', input: fx.photo, steps: STEPS })],
      ['restore', JSON.stringify({ jobId: 'x', input: fx.photo, steps: [] })],
      ['restore', JSON.stringify({ jobId: 'x', input: fx.photo, steps: Array(9).fill(STEPS[0]) })],
      ['restore', `{"jobId":"x","input":${JSON.stringify(fx.photo)},"steps":[{"task":"denoise","sigma":1e309}]}`],
      ['restore', JSON.stringify({ jobId: 'x', input: 'relative/path.png', steps: STEPS })],
      ['restore', JSON.stringify({ jobId: 'x', input: `${fx.photo}\u0000.png`, steps: STEPS })],
      ['restore', JSON.stringify({ jobId: 'x', input: `/${'a'.repeat(5000)}`, steps: STEPS })],
      ['restore', JSON.stringify({ jobId: 'x', input: fx.photo, steps: [{ task: 'colorize', hints: Array(1001).fill({ x: 1, y: 1, color: '#ffffff' }) }] })],
      ['restore', JSON.stringify({ jobId: 'x', input: fx.photo, steps: [{ task: 'inpaint', mask: s.photo }] })],
      ['restore', JSON.stringify({ jobId: 'x', input: fx.photo, steps: [{ task: 'inpaint', mask: path.join(A, 'photos', 'link-out.png') }] })],
      ['restore', JSON.stringify({ jobId: 'x', input: fx.photo, steps: [{ task: 'upscale', scale: 3 }] })],
      ['saveMask', JSON.stringify({ pngBase64: 'bm90IGEgcG5n', photo: fx.photo })],
      ['saveMask', JSON.stringify({ pngBase64: (await sharp({ create: { width: 10, height: 10, channels: 3, background: '#fff' } }).png().toBuffer()).toString('base64'), photo: fx.photo })],
      ['startBatch', JSON.stringify({ jobId: 'x', inputs: [], output: path.join(A, 'out'), recursive: true, steps: STEPS, options: OPTIONS, skipExisting: false })],
      ['cancel', JSON.stringify({ jobId: 'no-such-job' })],
      ['pauseBatch', JSON.stringify({ jobId: 'no-such-job' })],
      ['resumeBatch', JSON.stringify({ jobId: 'no-such-job' })],
      ['removeModel', JSON.stringify({ id: '../../etc' })],
      ['renameModel', JSON.stringify({ id: 'denoise-color', name: 'x'.repeat(10_000) })],
      ['adoptTrainedModel', JSON.stringify({ jobId: 'none', name: '../../evil' })],
      ['setDefaultModel', JSON.stringify({ base: '../x', model: '../../y' })],
      ['chooseSavePath', JSON.stringify({ defaultName: '../../../etc/x', format: 'png' })],
      ['saveSession', JSON.stringify({ state: { nonsense: true } })],
      ['nope', '{}'],
      ['constructor', '{}'],
      ['__proto__', '{}'],
      ['hasOwnProperty', '{}'],
      ['toString', '{}'],
      ['%ZZ', '{}'],
      ['', '{}'],
    ];
    for (const [name, body] of calls) seen(`call ${name || '(empty)'} ${body.slice(0, 40)}`, await c.call(name, body));
    seen('20 MB body that is not JSON', await c.call('getAppInfo', 'x'.repeat(20 * 1024 * 1024)));
    for (const [method, p] of [
      ['PUT', '/api/call/getAppInfo'],
      ['DELETE', '/'],
      ['PATCH', '/api/upload'],
      ['OPTIONS', '/api/call/getAppInfo'],
      ['GET', '/api/call/getAppInfo'],
      ['GET', '/api/upload'],
      ['GET', '/%'],
      ['GET', '/%E0%A4%A'],
      ['GET', '/media?path=%'],
      ['GET', '/media'],
      ['GET', '/media?path=relative.png'],
      ['GET', `/media?path=${encodeURIComponent(A)}`],
      ['GET', '/../../../../etc/passwd'],
      ['GET', '/assets/..%2f..%2f..%2f..%2f..%2fetc%2fpasswd'],
      ['GET', '//etc/passwd'],
      ['GET', '/index.html%00.png'],
      ['GET', `/assets/${'a'.repeat(10_000)}`],
      ['GET', '/%2e%2e/%2e%2e/%2e%2e/etc/passwd'],
    ] as Array<[string, string]>) {
      const r = seen(`${method} ${p.slice(0, 60)}`, await c.http(method, p, { headers: tok }));
      if (r.body.includes('root:x:0:0')) bad(t, 'confinementBreaks', `${method} ${p}: /etc/passwd served`);
    }
    for (const line of ['GET /\u0000 HTTP/1.1', 'GET http://evil.example/ HTTP/1.1', 'GET * HTTP/1.1', 'BREW / HTTP/1.1', 'GET / HTTP/9.9']) {
      t.tried++;
      const status = await raw(c.port, `${line}\r\nHost: 127.0.0.1:${c.port}\r\nx-restore-token: ${c.token}\r\n\r\n`);
      if (status >= 500) bad(t, 'serverErrors', `raw "${line}": ${status}`);
    }
    t.tried++;
    await raw(c.port, `POST /api/call/getAppInfo HTTP/1.1\r\nHost: 127.0.0.1:${c.port}\r\nx-restore-token: ${c.token}\r\ncontent-length: 300000000\r\n\r\n{"partial":`); // a body promised, never sent

    // --- 5. upload names
    for (const name of ['..', '.', '../../escape.png', '/etc/escape.png', 'a/../../escape.png', '%2e%2e%2fescape.png', 'x'.repeat(300), 'nul\u0000.png', '', ' ', '.htaccess', 'con.png', '...']) {
      const r = seen(`upload name ${JSON.stringify(name.slice(0, 30))}`, await c.http('POST', `/api/upload?name=${encodeURIComponent(name)}`, { headers: tok, body: await fs.readFile(fx.photo) }));
      const o = parseOutcome(r);
      if (o?.ok) {
        const stored = (o.value as { path: string }).path;
        if (path.relative(info.workspace, stored).startsWith('..')) bad(t, 'confinementBreaks', `upload ${JSON.stringify(name)} stored at ${stored}`);
      }
    }
    t.tried++;
    const noName = await c.http('POST', '/api/upload', { headers: tok, body: 'x' });
    if (noName.status >= 500) bad(t, 'serverErrors', `upload without a name: ${noName.status}`);
    for (const p of [path.join(info.workspace, '..', 'escape.png'), path.join(info.workspace, '..', '..', 'escape.png'), '/etc/escape.png']) {
      if (await fs.stat(p).then(() => true, () => false)) bad(t, 'confinementBreaks', `an upload landed at ${p}`);
    }

    // --- 6. concurrent large uploads, server memory watched
    const rssBefore = (await serveRss()).serve;
    let peak = rssBefore;
    const sampler = setInterval(() => void serveRss().then((r) => (peak = Math.max(peak, r.serve)), () => undefined), 100);
    const big = Buffer.alloc(150 * 1024 * 1024, 7);
    const uploads = await Promise.all(Array.from({ length: 6 }, (_, i) => c.http('POST', `/api/upload?name=big-${i}.png`, { headers: tok, body: big, timeoutMs: 300_000 })));
    clearInterval(sampler);
    uploads.forEach((r, i) => seen(`large upload ${i}`, r));
    const statuses = uploads.map((r) => r.status).join(',');
    await new Promise((r) => setTimeout(r, 3000));
    const rssAfter = (await serveRss()).serve;
    t.findings.push(`note: 6 concurrent 150 MB uploads: statuses ${statuses}; server RSS ${rssBefore.toFixed(0)} MB before, ${peak.toFixed(0)} MB peak, ${rssAfter.toFixed(0)} MB after`);
    if (peak - rssBefore > 450) bad(t, 'leaks', `large uploads: server RSS peaked ${(peak - rssBefore).toFixed(0)} MB above its start (bodies buffered?)`);
    if (rssAfter - rssBefore > 150) bad(t, 'leaks', `large uploads: server holds ${(rssAfter - rssBefore).toFixed(0)} MB more afterwards`);

    // --- 7. the bad-input corpus inside the allowed folder: opened, previewed (/media) and restored by the server
    {
      const corpus = path.join(A, 'corpus');
      const entries = await writeBadInputs(corpus);
      const corpusBefore = await snapshot(corpus);
      for (const [i, e] of entries.entries()) {
        const file = path.join(corpus, e.name);
        for (const [what, send] of [
          ['openImage', () => c.http('POST', '/api/call/openImage', { headers: { ...tok, 'content-type': 'application/json' }, body: JSON.stringify({ path: file }), timeoutMs: 30_000 })],
          ['/media', () => c.http('GET', `/media?path=${encodeURIComponent(file)}`, { headers: tok, timeoutMs: 30_000 })],
          ['restore', () => c.call('restore', { jobId: `bad${i}`, input: file, steps: STEPS, preview: { maxSide: 64 } })],
        ] as Array<[string, () => Promise<Reply>]>) {
          const r = seen(`${what}(corpus ${e.name})`, await send());
          if (r.error === 'timeout') bad(t, 'hangs', `${what}(corpus ${e.name}) did not answer`);
        }
      }
      for (const ch of changed(corpusBefore, await snapshot(corpus))) bad(t, 'inputsModified', `corpus: ${ch}`);
    }

    // --- the server is still there, nothing outside changed, nothing outside processed in
    t.tried++;
    const alive = await c.call('getAppInfo', {});
    if (alive.status !== 200) bad(t, 'crashes', `the server no longer answers (${alive.status} ${alive.error ?? ''})`);
    try {
      process.kill(servePid, 0);
    } catch {
      bad(t, 'crashes', 'the server process is gone');
    }
    for (const ch of changed(outsideBefore, await snapshot(s.dir))) bad(t, 'confinementBreaks', `outside folder: ${ch}`);
    for (const f of await sentinelCopies(A)) if (!before.has(path.relative(A, f))) bad(t, 'confinementBreaks', `an outside photo was processed into ${f}`);
    for (const e of listener.events.filter((x) => x.type === 'batch-file' && /link-out|batchin\/b\.png|linkdir|batchin\/sub|secret/.test(JSON.stringify(x)) && x.status === 'done')) bad(t, 'confinementBreaks', `batch-file done for an outside file: ${JSON.stringify(e).slice(0, 200)}`);
    listener.close();
    await checkShutdown(t, close, info.workspace, () => fx.stderr());
  } finally {
    listener.close();
    await close();
    await s.cleanup();
  }
  return t;
}
