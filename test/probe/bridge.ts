// A client of a running `restore serve` for the probe (groups 3 and 4): raw HTTP requests (any
// method, path, headers and body, so malformed ones can be sent), API calls with the session
// token, the server's process (found among the probe's children) and its memory, and a sentinel
// folder outside every allowed folder whose bytes must never appear in an answer or change.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { WebSocket } from 'ws';
import type { ServeFixture } from '../e2e/serveFixture';
import { bad, childrenOf, rssMb, STACK, type Tally } from './common';

export interface Reply {
  status: number;
  body: Buffer;
  /** Set when the connection failed (refused, reset) instead of answering. */
  error?: string;
}

export class BridgeClient {
  readonly port: number;
  readonly token: string;
  constructor(url: string) {
    const u = new URL(url);
    this.port = Number(u.port);
    this.token = u.searchParams.get('token') ?? '';
  }

  http(method: string, pathName: string, opts: { headers?: Record<string, string>; body?: string | Buffer; timeoutMs?: number } = {}): Promise<Reply> {
    return new Promise((resolve) => {
      const req = request({ host: '127.0.0.1', port: this.port, method, path: pathName, headers: { host: `127.0.0.1:${this.port}`, ...opts.headers } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
        res.on('error', (e) => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), error: e.message }));
      });
      req.setTimeout(opts.timeoutMs ?? 120_000, () => req.destroy(new Error('timeout')));
      req.on('error', (e) => resolve({ status: 0, body: Buffer.alloc(0), error: e.message }));
      req.end(opts.body);
    });
  }

  /** POST /api/call/<name> with the token; the body is JSON of args unless a string is given. */
  call(name: string, args: unknown, headers: Record<string, string> = { 'x-restore-token': this.token }): Promise<Reply> {
    return this.http('POST', `/api/call/${name}`, { headers: { 'content-type': 'application/json', ...headers }, body: typeof args === 'string' ? args : JSON.stringify(args) });
  }

  /** Opens the event stream; every event is pushed onto `events` with its arrival time `receivedAt` (close() ends it). */
  async listen(): Promise<{ events: Array<Record<string, unknown>>; close(): void }> {
    const ws = new WebSocket(`ws://127.0.0.1:${this.port}/api/events`, { headers: { 'x-restore-token': this.token } });
    const events: Array<Record<string, unknown>> = [];
    ws.on('message', (d: Buffer) => events.push({ ...(JSON.parse(d.toString()) as Record<string, unknown>), receivedAt: Date.now() }));
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return { events, close: () => ws.close() };
  }

  /** The call's value; throws with the error's message when it failed. */
  async value<T>(name: string, args: unknown): Promise<T> {
    const r = await this.call(name, args);
    const o = parseOutcome(r);
    if (!o?.ok) throw new Error(`${name}: ${r.status} ${r.body.toString().slice(0, 300)}`);
    return o.value as T;
  }
}

export interface Parsed {
  ok: boolean;
  value?: unknown;
  error?: { code: string; message: string };
}
export function parseOutcome(r: Reply): Parsed | null {
  try {
    return JSON.parse(r.body.toString('utf8')) as Parsed;
  } catch {
    return null;
  }
}

/** The `restore serve` process started by this probe (a child running bin/restore.js serve) and its engine. */
export async function servePids(): Promise<{ serve: number; engines: number[] }> {
  const serve = (await childrenOf(process.pid)).find((c) => /restore\.js serve\b/.test(c.cmd));
  if (!serve) throw new Error('no restore serve child process found');
  return { serve: serve.pid, engines: (await childrenOf(serve.pid)).map((c) => c.pid) };
}

/** Memory of the server and its engine processes, MB. */
export async function serveRss(): Promise<{ serve: number; engines: number }> {
  const p = await servePids();
  let engines = 0;
  for (const e of p.engines) engines += await rssMb(e);
  return { serve: await rssMb(p.serve), engines };
}

export interface Sentinels {
  dir: string;
  /** A photo outside (unique size 37 x 29), a text file with the marker, a model-like file. */
  photo: string;
  text: string;
  marker: string;
  /** True when an answer carries bytes of a sentinel (the marker, or the photo's file bytes). */
  leaked(body: Buffer): boolean;
  cleanup(): Promise<void>;
}

export async function writeSentinels(): Promise<Sentinels> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'restore-probe-outside-'));
  const marker = `SENTINEL-${randomBytes(8).toString('hex')}`;
  const photo = path.join(dir, 'secret.png');
  const px = Buffer.alloc(37 * 29 * 3);
  for (let i = 0; i < px.length; i++) px[i] = (i * 13) & 0xff;
  await sharp(px, { raw: { width: 37, height: 29, channels: 3 } }).png().withMetadata({ exif: { IFD0: { ImageDescription: marker } } }).toFile(photo);
  const text = path.join(dir, 'secret.txt');
  await fs.writeFile(text, `${marker}\n`);
  await fs.mkdir(path.join(dir, 'sub'));
  await fs.writeFile(path.join(dir, 'sub', 'model.onnx'), `${marker} not a model`);
  await fs.writeFile(path.join(dir, 'manifest.json'), JSON.stringify({ version: 1, models: [], marker }));
  const photoBytes = await fs.readFile(photo);
  const probe = photoBytes.subarray(photoBytes.length - 64);
  return {
    dir,
    photo,
    text,
    marker,
    leaked: (body) => body.includes(marker) || body.includes(probe),
    cleanup: () => fs.rm(dir, { recursive: true, force: true }),
  };
}

/**
 * Stops the server (fx.close(): SIGTERM, then its folders removed), once: a server still there
 * after `ms` is killed and false returned (a hang at shutdown). Closing twice would wait forever
 * for a killed server (its exitCode stays null).
 */
export function closer(fx: ServeFixture, pid: number, ms = 20_000): () => Promise<boolean> {
  let closing: Promise<boolean> | undefined;
  return () => {
    closing ??= (async () => {
      const closed = fx.close().then(() => true, () => true);
      let timer: NodeJS.Timeout | undefined;
      const stopped = await Promise.race([closed, new Promise<false>((r) => (timer = setTimeout(() => r(false), ms)))]);
      clearTimeout(timer);
      if (stopped) return true;
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
      await closed;
      return false;
    })();
    return closing;
  };
}

/** The end of a group: the server stops within the closer's time on SIGTERM, its workspace is gone
 * and it printed no stack trace (each failure a finding in `t`). */
export async function checkShutdown(t: Tally, close: () => Promise<boolean>, workspace: string, stderr: () => string): Promise<void> {
  if (!(await close())) bad(t, 'hangs', 'the server did not stop within 20 s of SIGTERM (killed)');
  if (await fs.stat(workspace).then(() => true, () => false)) bad(t, 'leaks', `workspace ${workspace} left after the server stopped`);
  if (STACK.test(stderr())) bad(t, 'crashes', `stack trace on the server's stderr: ${stderr().slice(0, 300)}`);
}
