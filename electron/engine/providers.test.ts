// Provider selection with the real ONNX Runtime probe: on this CPU-only machine CUDA must fall
// back to the CPU with ORT's reason, and 'auto' must end on the CPU with a reason too.
import { describe, expect, it } from 'vitest';
import { probeProvider, SessionPool } from './ort';
import { executionProviders, selectProvider } from './providers';

describe('selectProvider', () => {
  it('falls back from cuda to cpu with the reason when CUDA does not load', async () => {
    let cudaLoads = true;
    try {
      await probeProvider('cuda');
    } catch {
      cudaLoads = false;
    }
    const status = await selectProvider('cuda', probeProvider);
    if (cudaLoads) {
      expect(status).toEqual({ requested: 'cuda', active: 'cuda' });
    } else {
      expect(status.active).toBe('cpu');
      expect(status.fallbackReason).toMatch(/^CUDA execution provider not available: .+/);
    }
  });

  it('auto ends on a working provider; cpu is honoured; dml off Windows falls back', async () => {
    const auto = await selectProvider('auto', probeProvider);
    expect(['cpu', 'cuda', 'dml']).toContain(auto.active);
    if (auto.active === 'cpu') expect(auto.fallbackReason).toBeTruthy();
    expect(await selectProvider('cpu', probeProvider)).toEqual({ requested: 'cpu', active: 'cpu' });
    const dml = await selectProvider('dml', probeProvider, 'linux', 'x64');
    expect(dml).toMatchObject({ active: 'cpu', fallbackReason: expect.stringMatching(/DirectML/) });
    // a probe that works is honoured (Windows + DirectML)
    expect(await selectProvider('auto', async () => undefined, 'win32', 'x64')).toEqual({ requested: 'auto', active: 'dml' });
  });

  it('uses a fixed fallback order', () => {
    expect(executionProviders('cuda')).toEqual(['cuda', 'cpu']);
    expect(executionProviders('dml')).toEqual(['dml', 'cpu']);
    expect(executionProviders('cpu')).toEqual(['cpu']);
  });

  it('reports a model file that ONNX Runtime cannot load with its path', async () => {
    const pool = new SessionPool({ provider: 'cpu', threads: 1 });
    await expect(pool.get('/nonexistent/model.onnx')).rejects.toThrow(/^\/nonexistent\/model\.onnx: cannot load model/);
  });
});
