// The web bridge: serves the built renderer and the API over HTTP + WebSocket on 127.0.0.1 with a
// random token. Routes: GET / and static assets (renderer/dist), POST /api/call/<name> (JSON in,
// Outcome out; an error with its code's HTTP status, callStatus.ts), POST /api/upload?name=
// (dropped files into the workspace), GET /media?path= (browser-displayable image of an allowed
// file), WS /api/events (the event stream). The first
// visit with ?token= sets an HttpOnly SameSite=Strict cookie, so <img> and asset requests carry it.
import { createWriteStream, promises as fs } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ApiService } from '../api/service';
import { contentTypeOf } from '../api/files';
import { isInside } from '../api/access';
import { COOKIE_NAME, authorised, hostAllowed, originAllowed, securityHeaders } from './security';
import { callStatus } from './callStatus';

/** Uploads received at the same time at most (issue 16: four 200 MB bodies held 1.7 GB when buffered). */
export const MAX_CONCURRENT_UPLOADS = 4;
export interface BridgeOptions {
  service: ApiService;
  /** renderer/dist */
  staticDir: string;
  token: string;
  port?: number;
  /** Largest JSON call body (masks are base64 PNGs). */
  maxCallBytes?: number;
  maxUploadBytes?: number;
}

export interface BridgeServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function startBridge(opts: BridgeOptions): Promise<BridgeServer> {
  const maxCall = opts.maxCallBytes ?? 256 * 1024 * 1024;
  const maxUpload = opts.maxUploadBytes ?? 2 * 1024 * 1024 * 1024;
  const sockets = new Set<WebSocket>();

  const facts = (req: IncomingMessage, url: URL) => ({
    host: req.headers.host,
    origin: req.headers.origin,
    cookie: req.headers.cookie,
    headerToken: typeof req.headers['x-restore-token'] === 'string' ? req.headers['x-restore-token'] : undefined,
    queryToken: url.searchParams.get('token'),
  });

  const send = (res: ServerResponse, status: number, body: string | Buffer, type: string, extra: Record<string, string> = {}): void => {
    res.writeHead(status, { ...securityHeaders(), 'content-type': type, 'cache-control': 'no-store', ...extra });
    res.end(body);
  };
  const sendJson = (res: ServerResponse, status: number, value: unknown): void => send(res, status, JSON.stringify(value), 'application/json');

  const readBody = async (req: IncomingMessage, limit: number): Promise<Buffer> => {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > limit) throw new HttpError(413, `request body larger than ${limit} bytes`);
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
  };

  /** Streams a request body to a file (never buffered whole); a body over the limit is removed. */
  const receiveFile = async (req: IncomingMessage, target: string, limit: number): Promise<void> => {
    let size = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        done(size > limit ? new HttpError(413, `upload larger than ${limit} bytes`) : null, chunk);
      },
    });
    try {
      await pipeline(req, counter, createWriteStream(target, { flags: 'wx' }));
    } catch (e) {
      await fs.rm(target, { force: true });
      throw e;
    }
  };

  const serveStatic = async (res: ServerResponse, pathname: string, setCookie: string | null): Promise<void> => {
    let rel: string;
    try {
      rel = decodeURIComponent(pathname === '/' ? '/index.html' : pathname);
    } catch {
      throw new HttpError(400, 'malformed URL');
    }
    const file = path.resolve(opts.staticDir, '.' + rel);
    if (!isInside(file, path.resolve(opts.staticDir))) throw new HttpError(404, 'not found');
    const body = await fs.readFile(file).catch(() => null);
    if (!body) {
      if (pathname === '/') throw new HttpError(500, `${opts.staticDir}: the user interface is not built (npm run build:renderer)`);
      throw new HttpError(404, 'not found');
    }
    const extra: Record<string, string> = setCookie ? { 'set-cookie': setCookie } : {};
    if (rel !== '/index.html') extra['cache-control'] = 'private, max-age=3600';
    res.writeHead(200, { ...securityHeaders(), 'content-type': contentTypeOf(path.extname(file)), 'cache-control': 'no-store', ...extra });
    res.end(body);
  };

  /** Uploads being received now; more at once are refused (each streams to disk, but a flood still costs). */
  let uploading = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://127.0.0.1');
    } catch {
      throw new HttpError(400, 'malformed URL');
    }
    const f = facts(req, url);
    if (!hostAllowed(f.host)) throw new HttpError(421, 'unexpected Host header');
    const changing = req.method !== 'GET' && req.method !== 'HEAD';
    if (changing && !originAllowed(f.origin)) throw new HttpError(403, 'cross-origin request refused');
    if (!authorised(f, opts.token, changing)) throw new HttpError(403, 'missing or wrong session token: open the URL that `restore serve` printed');
    const cookie = f.queryToken ? `${COOKIE_NAME}=${opts.token}; HttpOnly; SameSite=Strict; Path=/` : null;

    if (req.method === 'POST' && url.pathname.startsWith('/api/call/')) {
      const name = url.pathname.slice('/api/call/'.length);
      const body = await readBody(req, maxCall);
      let args: unknown;
      try {
        args = body.length ? JSON.parse(body.toString('utf8')) : {};
      } catch {
        return sendJson(res, 400, { ok: false, error: { code: 'invalid-argument', message: `${name}: the request body is not JSON` } });
      }
      const outcome = await opts.service.call(name, args);
      return sendJson(res, callStatus(outcome), outcome);
    }
    if (req.method === 'POST' && url.pathname === '/api/upload') {
      if (uploading >= MAX_CONCURRENT_UPLOADS) throw new HttpError(429, `more than ${MAX_CONCURRENT_UPLOADS} uploads at once: wait for the others to finish`);
      uploading++;
      try {
        const target = await opts.service.files.uploadTarget(url.searchParams.get('name') ?? 'upload');
        await receiveFile(req, target, maxUpload);
        await opts.service.files.originals.add(target); // a copy of the user's photo: its original is never written over
        return sendJson(res, 200, { ok: true, value: { path: target } });
      } finally {
        uploading--;
      }
    }
    if (req.method === 'GET' && url.pathname === '/media') {
      const wanted = url.searchParams.get('path');
      if (!wanted) throw new HttpError(400, 'media: path is missing');
      let media;
      try {
        media = await opts.service.files.preview(wanted);
      } catch (e) {
        throw new HttpError(/outside|absolute/.test((e as Error).message) ? 403 : 404, (e as Error).message);
      }
      res.writeHead(200, { ...securityHeaders(), 'content-type': media.contentType, 'cache-control': 'private, max-age=600' });
      // Streamed from the handle that was checked (FolderAccess.openFile), not reopened by path.
      await pipeline(media.handle.createReadStream(), res).catch(() => undefined); // a client gone mid-way: the handle is closed
      return;
    }
    if (req.method === 'GET') return serveStatic(res, url.pathname, cookie);
    throw new HttpError(405, 'method not allowed');
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      const status = e instanceof HttpError ? e.status : 500;
      const message = (e as Error).message;
      // A body left unread (a refused upload) must not be taken for the next request.
      if (!req.complete && !res.headersSent) res.setHeader('connection', 'close');
      if (res.headersSent) res.destroy();
      else if (req.url?.startsWith('/api/')) sendJson(res, status, { ok: false, error: { code: status === 403 || status === 421 ? 'forbidden' : 'failed', message } });
      else send(res, status, `${message}\n`, 'text/plain; charset=utf-8');
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const f = facts(req, url);
    if (url.pathname !== '/api/events' || !hostAllowed(f.host) || !originAllowed(f.origin) || !authorised(f, opts.token)) {
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
    });
  });
  const unsubscribe = opts.service.on((event) => {
    const text = JSON.stringify(event);
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(text);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    port,
    url: `http://127.0.0.1:${port}/?token=${opts.token}`,
    async close() {
      unsubscribe();
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
