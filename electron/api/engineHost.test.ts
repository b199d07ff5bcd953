// EngineHost with the real engine process (dist/engine-worker.js): settings changes restart the
// engine and report the provider, but never while a job holds a lease on it.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineClient } from '../engine/client';
import { DEFAULT_SETTINGS, type ApiEvent } from './contract';
import { EngineHost } from './engineHost';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const workerPath = path.join(root, 'dist', 'engine-worker.js');
const events: ApiEvent[] = [];
let host: EngineHost;

beforeAll(() => {
  host = new EngineHost((options) => EngineClient.start({ ...options, workerPath }), [], (e) => events.push(e));
});
afterAll(() => host?.stop());

describe('EngineHost', () => {
  it('keeps the engine of a running job and restarts with the new settings when it ends', async () => {
    const cpu = { ...DEFAULT_SETTINGS, provider: 'cpu' as const, threads: 1 };
    const lease = await host.acquire(cpu);
    expect(lease.engine.provider).toMatchObject({ requested: 'cpu', active: 'cpu' });
    const pid = (lease.engine as unknown as EngineClient).pid;
    const during = await host.get({ ...cpu, provider: 'cuda' });
    expect(during).toBe(lease.engine);
    expect((during as unknown as EngineClient).pid).toBe(pid);
    events.length = 0;
    lease.release();
    await expect.poll(() => events.find((e) => e.type === 'provider'), { timeout: 60_000 }).toMatchObject({ type: 'provider', provider: { requested: 'cuda', active: 'cpu' } });
    const after = await host.get({ ...cpu, provider: 'cuda' });
    expect((after as unknown as EngineClient).pid).not.toBe(pid);
  });

  it('ends on the last of quick successive settings changes', async () => {
    const last = { ...DEFAULT_SETTINGS, provider: 'cpu' as const, threads: 2 };
    const first = host.get({ ...last, provider: 'cuda' });
    const second = host.get(last);
    await first;
    const engine = await second;
    expect(engine.provider.requested).toBe('cpu');
    expect(await host.get(last)).toBe(engine);
  });

  it('reports a failing engine as CPU with the reason instead of throwing', async () => {
    const broken = new EngineHost(() => Promise.reject(new Error('worker missing')), [], () => {});
    expect(await broken.provider(DEFAULT_SETTINGS)).toEqual({ requested: 'auto', active: 'cpu', fallbackReason: 'engine unavailable: worker missing', available: ['cpu'] });
    await expect(broken.get(DEFAULT_SETTINGS)).rejects.toThrow('The restoration engine cannot start: worker missing');
  });
});
