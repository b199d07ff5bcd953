// What the active execution provider means for the user. Automatic on a machine without a usable
// GPU lands on the CPU as expected: said calmly, with the reason and where the README tells how to
// enable CUDA or DirectML. A GPU the user chose that could not be used is a warning.
import type { ProviderInfo } from '@api/contract';

export interface ProviderNote {
  severity: 'success' | 'info' | 'warning';
  /** After "Active: <provider>": '' when the choice was honoured. */
  detail: string;
}

export function providerNote(p: ProviderInfo): ProviderNote {
  if (!p.fallbackReason) return { severity: 'success', detail: '' };
  if (p.requested === 'auto') return { severity: 'info', detail: ` — no GPU in use (${p.fallbackReason}); the README's "GPU acceleration" says how to enable one` };
  return { severity: 'warning', detail: ` — ${p.fallbackReason}` };
}
