// The active provider as the app says it: Automatic landing on the CPU is information (with the
// reason and where to read how to enable a GPU), a GPU the user chose that failed is a warning.
import { describe, expect, it } from 'vitest';
import { providerNote } from '../../renderer/src/lib/providerNote';

describe('providerNote', () => {
  it('tells an expected CPU fallback from a failed choice', () => {
    expect(providerNote({ requested: 'cpu', active: 'cpu', available: ['cpu'] })).toEqual({ severity: 'success', detail: '' });
    expect(providerNote({ requested: 'cuda', active: 'cuda', available: ['cpu', 'cuda'] })).toEqual({ severity: 'success', detail: '' });
    const reason = 'CUDA execution provider not available: Failed to load shared library';
    expect(providerNote({ requested: 'auto', active: 'cpu', fallbackReason: reason, available: ['cpu'] })).toEqual({
      severity: 'info', detail: ` — no GPU in use (${reason}); the README's "GPU acceleration" says how to enable one`,
    });
    expect(providerNote({ requested: 'cuda', active: 'cpu', fallbackReason: reason, available: ['cpu'] })).toEqual({ severity: 'warning', detail: ` — ${reason}` });
  });
});
