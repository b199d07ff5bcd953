// Probe group 4: many small jobs through a real `restore serve`: restores (denoise, upscale,
// previews), some cancelled right after they start, and batches over a folder of small photos,
// some cancelled mid-way. Counted: hangs (a job not settled within its timeout), crashes (the
// server gone, an engine restart, a 5xx answer), outputs lost (a finished batch's output missing
// or not decoding, a cancelled batch's output half-written), leaks (memory of the server and its
// engine grown after warm-up, temporaries left, kept results over their cap, the workspace left
// after the server stops).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { writeImage } from '../cli/helpers';
import { startServe } from '../e2e/serveFixture';
import { bad, changed, newTally, snapshot, temporaries, type Tally } from './common';
import { BridgeClient, checkShutdown, closer, parseOutcome, serveRss, servePids } from './bridge';

const FILES = 4;
const OPTIONS = { format: 'png', keepMetadata: true };

export async function probeJobs(n: number): Promise<Tally> {
  const t = newTally('many jobs (bridge)');
  const fx = await startServe({ batchFiles: 0 });
  const A = fx.dir;
  const c = new BridgeClient(fx.url);
  const listener = await c.listen();
  const { serve: servePid } = await servePids();
  const close = closer(fx, servePid);
  const small = path.join(A, 'small');
  for (let i = 0; i < FILES; i++) await writeImage(path.join(small, `s${i}.png`), 96, 72);
  // the restores to cancel are of a larger photo, so the cancel meets them in flight
  const large = path.join(A, 'large', 'l.png');
  await writeImage(large, 1200, 900);
  const info = await c.value<{ workspace: string }>('getAppInfo', {});
  const inputsBefore = await snapshot(A, ['small', 'large']);
  let warm = { serve: 0, engines: 0 };
  const t0 = Date.now();
  /** What the cancels met: a job cancelled in flight, or one that finished first. */
  const cancelled = { restores: { cancelled: 0, finished: 0, other: 0 }, batches: { cancelled: 0, finished: 0 } };
  const settled = async (jobId: string, ms: number): Promise<Record<string, unknown> | undefined> => {
    const end = Date.now() + ms;
    for (;;) {
      const done = listener.events.find((e) => e.type === 'batch-done' && (e.summary as { jobId: string }).jobId === jobId);
      if (done || Date.now() > end) return done;
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const withTimeout = async <T>(p: Promise<T>, ms: number): Promise<T | 'timeout'> => {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([p, new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), ms)))]);
    } finally {
      clearTimeout(timer); // a pending timer would keep the probe alive after its last job
    }
  };
  try {
    for (let i = 0; i < n; i++) {
      const kind = i % 10;
      const jobId = `job${i}`;
      const input = path.join(small, `s${i % FILES}.png`);
      t.tried++;
      if (kind <= 7) {
        const steps = kind === 6 ? [{ task: 'upscale', scale: 2 }] : [{ task: 'denoise', sigma: kind === 5 ? 'auto' : 5 + kind * 5 }];
        const cancelIt = kind === 3 || kind === 7;
        const pending = c.call('restore', { jobId, input: cancelIt ? large : input, steps, ...(kind === 4 ? { preview: { maxSide: 64 } } : {}) });
        if (cancelIt) {
          await new Promise((r) => setTimeout(r, 20 * (i % 5)));
          const cr = await c.call('cancel', { jobId });
          if (cr.status >= 500) bad(t, 'serverErrors', `cancel ${jobId}: ${cr.status}`);
        }
        const r = await withTimeout(pending, 120_000);
        if (r === 'timeout') {
          bad(t, 'hangs', `restore ${jobId} did not answer within 120 s`);
          continue;
        }
        if (r.status >= 500) bad(t, 'serverErrors', `restore ${jobId}: ${r.status} ${r.body.toString().slice(0, 160)}`);
        const o = parseOutcome(r);
        if (cancelIt) cancelled.restores[o?.ok ? 'finished' : o?.error?.code === 'cancelled' ? 'cancelled' : 'other']++;
        if (o && !o.ok && !(cancelIt && o.error?.code === 'cancelled')) t.findings.push(`note: restore ${jobId} failed: ${o.error?.code} ${o.error?.message?.slice(0, 120)}`);
        if (o?.ok) {
          const file = (o.value as { image: { path: string } }).image.path;
          if (!(await sharp(file).raw().toBuffer().then(() => true, () => false))) bad(t, 'outputsLost', `restore ${jobId}: result ${file} does not decode`);
        }
      } else {
        const output = path.join(A, 'jobs-out', jobId);
        const r = await c.call('startBatch', { jobId, inputs: [small], output, recursive: false, steps: [{ task: 'denoise', sigma: 15 }], options: OPTIONS, skipExisting: false });
        if (r.status >= 500) bad(t, 'serverErrors', `startBatch ${jobId}: ${r.status}`);
        if (!parseOutcome(r)?.ok) {
          t.findings.push(`note: startBatch ${jobId} refused: ${r.body.toString().slice(0, 160)}`);
          continue;
        }
        if (kind === 9) {
          await new Promise((res) => setTimeout(res, 30 * (i % 7)));
          await c.call('cancel', { jobId });
        }
        const done = await settled(jobId, 180_000);
        if (!done) {
          bad(t, 'hangs', `batch ${jobId} did not finish within 180 s`);
          continue;
        }
        const summary = done.summary as { done: number; state: string };
        if (kind === 9) cancelled.batches[summary.state === 'cancelled' ? 'cancelled' : 'finished']++;
        const files = await fs.readdir(output).catch(() => [] as string[]);
        const visible = files.filter((f) => !f.startsWith('.'));
        if (kind === 8 && visible.length !== FILES) bad(t, 'outputsLost', `batch ${jobId}: ${visible.length} of ${FILES} outputs (summary: ${JSON.stringify(summary)})`);
        if (visible.length !== summary.done) {
          const doneAt = Number(done.receivedAt);
          const times = await Promise.all(visible.map(async (f) => `${f} written ${((await fs.stat(path.join(output, f))).mtimeMs - doneAt).toFixed(0)} ms after batch-done`));
          bad(t, 'wrong', `batch ${jobId} (${summary.state}): ${visible.length} complete output(s) for ${summary.done} reported done (${times.join('; ')})`);
        }
        for (const f of visible) if (!(await sharp(path.join(output, f)).raw().toBuffer().then(() => true, () => false))) bad(t, 'outputsLost', `batch ${jobId}: ${f} does not decode`);
        for (const f of await temporaries(output)) bad(t, 'leaks', `batch ${jobId}: temporary left: ${f}`);
      }
      if (i === Math.min(49, n - 1)) warm = await serveRss();
      if ((i + 1) % 50 === 0) {
        const m = await serveRss();
        console.error(`  jobs: ${i + 1}/${n} in ${((Date.now() - t0) / 1000).toFixed(0)} s, RSS serve ${m.serve.toFixed(0)} MB, engine ${m.engines.toFixed(0)} MB`);
      }
    }
    await new Promise((r) => setTimeout(r, 3000));
    t.findings.push(`note: cancel requests: restores ${JSON.stringify(cancelled.restores)}, batches ${JSON.stringify(cancelled.batches)}`);
    const end = await serveRss();
    t.findings.push(`note: ${n} jobs in ${((Date.now() - t0) / 1000).toFixed(0)} s; RSS after job 50: serve ${warm.serve.toFixed(0)} MB + engine ${warm.engines.toFixed(0)} MB; at the end: ${end.serve.toFixed(0)} + ${end.engines.toFixed(0)} MB`);
    if (end.serve + end.engines - (warm.serve + warm.engines) > 150) bad(t, 'leaks', `memory grew ${(end.serve + end.engines - warm.serve - warm.engines).toFixed(0)} MB after warm-up`);
    const restarts = listener.events.filter((e) => e.type === 'engine-restart');
    for (const e of restarts) bad(t, 'crashes', `engine restarted: ${String(e.reason)}`);
    try {
      process.kill(servePid, 0);
    } catch {
      bad(t, 'crashes', 'the server process is gone');
    }
    for (const ch of changed(inputsBefore, await snapshot(A, ['small', 'large']))) bad(t, 'inputsModified', `inputs: ${ch}`);
    for (const f of await temporaries(info.workspace)) bad(t, 'leaks', `workspace temporary left: ${f}`);
    const wsFiles = (await fs.readdir(info.workspace, { recursive: true, withFileTypes: true })).filter((d) => d.isFile()).length;
    const kept = await c.value<{ bytes: number; count: number; capBytes: number }>('getKeptResults', {});
    t.findings.push(`note: after the jobs: ${wsFiles} files in the workspace; kept results ${kept.count} (${(kept.bytes / 1e6).toFixed(1)} MB, cap ${(kept.capBytes / 1e6).toFixed(0)} MB)`);
    if (kept.bytes > kept.capBytes) bad(t, 'leaks', `kept results ${kept.bytes} bytes over the cap ${kept.capBytes}`);
    listener.close();
    await checkShutdown(t, close, info.workspace, () => fx.stderr());
  } finally {
    listener.close();
    await close();
  }
  return t;
}
