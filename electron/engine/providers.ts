// Execution provider selection. 'auto' prefers CUDA on Linux x64 (when its libraries load: we
// try to create a session with the CUDA EP), DirectML on Windows, else the CPU. An explicit choice
// is honoured when it works, otherwise we fall back to the CPU and say why. The actual session
// creation is injected (ort.ts owns onnxruntime-node), which keeps this module pure and testable.
import type { ActiveProvider, ProviderChoice, ProviderStatus } from './protocol';

/** Throws when a session cannot be created with this provider. */
export type ProbeProvider = (provider: ActiveProvider) => Promise<void>;

const NAMES: Record<ActiveProvider, string> = { cpu: 'CPU', cuda: 'CUDA', dml: 'DirectML' };

/** ONNX Runtime execution provider list for a provider, in the fixed fallback order. */
export function executionProviders(active: ActiveProvider): string[] {
  if (active === 'cuda') return ['cuda', 'cpu'];
  if (active === 'dml') return ['dml', 'cpu'];
  return ['cpu'];
}

/** The GPU provider 'auto' tries on this platform, if any. */
export function preferredProvider(platform: NodeJS.Platform, arch: string): ActiveProvider | undefined {
  if (platform === 'linux' && arch === 'x64') return 'cuda';
  if (platform === 'win32') return 'dml';
  return undefined;
}

function shortError(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split('\n')[0]!.slice(0, 300);
}

export async function selectProvider(
  requested: ProviderChoice,
  probe: ProbeProvider,
  platform: NodeJS.Platform = process.platform,
  arch: string = process.arch,
): Promise<ProviderStatus> {
  if (requested === 'cpu') return { requested, active: 'cpu' };
  const wanted = requested === 'auto' ? preferredProvider(platform, arch) : requested;
  if (!wanted) return { requested, active: 'cpu', fallbackReason: `no GPU execution provider for ${platform}-${arch}` };
  if (wanted === 'dml' && platform !== 'win32') {
    return { requested, active: 'cpu', fallbackReason: 'DirectML execution provider not available: Windows only' };
  }
  try {
    await probe(wanted);
    return { requested, active: wanted };
  } catch (e) {
    return { requested, active: 'cpu', fallbackReason: `${NAMES[wanted]} execution provider not available: ${shortError(e)}` };
  }
}
