// The processing record's account of what was asked for, and whether an existing output was made
// by the steps asked for now (batch "skip finished", issue 16 item 3).
//
// processFile writes, besides the resolved steps (`steps`: model and settings per step), the
// request itself (`request`): per step the task and the settings the user chose (model if named,
// sigma or "auto", scale, tta, colour points as a count and a digest, saturation, mask path). An
// output is "the same" when its recorded request equals the current one. Outputs written before
// `request` existed are compared through `steps` (task order, scale, manual sigma, tta, a named
// model). A file without a record of ours was not made by us: the caller keeps it (skip).
import { createHash } from 'node:crypto';
import type { TaskStep } from './protocol';

export interface RequestedStep {
  task: TaskStep['task'];
  model?: string;
  sigma?: number | 'auto';
  scale?: number;
  tta?: true;
  hints?: string; // "<count>:<sha256 prefix>"
  saturation?: number;
  monochromeOnly?: true;
  mask?: string;
  detector?: string;
  threshold?: number;
  grow?: number;
}

/** The settings of `steps` that decide the output, in a fixed key order. */
export function requestRecord(steps: readonly TaskStep[]): RequestedStep[] {
  return steps.map((s) => {
    const r: RequestedStep = { task: s.task };
    if (s.model !== undefined) r.model = s.model;
    switch (s.task) {
      case 'denoise':
        r.sigma = s.sigma;
        if (s.tta) r.tta = true;
        break;
      case 'upscale':
        r.scale = s.scale;
        if (s.tta) r.tta = true;
        break;
      case 'colorize':
        if (s.hints && s.hints.length > 0) r.hints = `${s.hints.length}:${createHash('sha256').update(JSON.stringify(s.hints)).digest('hex').slice(0, 16)}`;
        if (s.saturation !== undefined && s.saturation !== 1) r.saturation = s.saturation;
        if (s.monochromeOnly) r.monochromeOnly = true;
        break;
      case 'inpaint':
        r.mask = s.mask;
        if (s.detector !== undefined) r.detector = s.detector;
        if (s.threshold !== undefined) r.threshold = s.threshold;
        if (s.tta) r.tta = true;
        break;
      case 'detect-damage':
        if (s.threshold !== undefined) r.threshold = s.threshold;
        if (s.grow !== undefined) r.grow = s.grow;
        break;
    }
    return r;
  });
}

/** "denoise sigma 10, upscale x2 tta": a short human account of requested steps. */
export function describeRequest(steps: readonly RequestedStep[]): string {
  if (steps.length === 0) return 'no steps';
  return steps
    .map((s) => {
      const parts: string[] = [s.task];
      if (s.sigma !== undefined) parts.push(`sigma ${s.sigma}`);
      if (s.scale !== undefined) parts.push(`x${s.scale}`);
      if (s.tta) parts.push('tta');
      if (s.hints) parts.push(`${s.hints.split(':')[0]} colour points`);
      if (s.saturation !== undefined) parts.push(`saturation ${s.saturation}`);
      if (s.monochromeOnly) parts.push('black-and-white photos only');
      if (s.mask) parts.push(s.mask === 'auto' ? 'damage found automatically' : `mask ${s.mask}`);
      if (s.threshold !== undefined) parts.push(`threshold ${s.threshold}`);
      if (s.model) parts.push(`model ${s.model}`);
      return parts.join(' ');
    })
    .join(', ');
}

function isTask(v: unknown): v is TaskStep['task'] {
  return v === 'denoise' || v === 'upscale' || v === 'colorize' || v === 'inpaint' || v === 'detect-damage';
}

/** The request of an older record, rebuilt from its resolved steps as far as they tell. */
function fromResolvedSteps(json: string, current: readonly RequestedStep[]): RequestedStep[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed)) return undefined;
  const out: RequestedStep[] = [];
  for (const [i, item] of parsed.entries()) {
    if (typeof item !== 'object' || item === null) return undefined;
    const { task, model, settings } = item as { task?: unknown; model?: unknown; settings?: Record<string, unknown> };
    if (!isTask(task)) return undefined;
    const r: RequestedStep = { task };
    const now = current[i];
    // A model chosen now is compared with the one that ran; none chosen now: any will do.
    if (now?.model !== undefined && typeof model === 'string') r.model = model === now.model ? now.model : model;
    const s = settings ?? {};
    if (task === 'denoise') r.sigma = s.sigmaMode === 'auto' ? 'auto' : Number(s.sigma);
    if (task === 'upscale') r.scale = Number(s.scale);
    if ((task === 'denoise' || task === 'upscale') && s.tta !== undefined) r.tta = true;
    // Old records hold a mask's path and the number of colour points, not their digest: the same
    // count (and mask) is taken as unchanged.
    if (task === 'colorize' && typeof s.saturation === 'number' && s.saturation !== 1) r.saturation = s.saturation;
    if (task === 'colorize' && now?.task === task && now.hints !== undefined && Number(s.hints) === Number(now.hints.split(':')[0])) r.hints = now.hints;
    if (task === 'inpaint' && typeof s.mask === 'string') r.mask = s.mask;
    out.push(r);
  }
  return out;
}

export type RecordVerdict = { kind: 'same' } | { kind: 'changed'; reason: string } | { kind: 'foreign' };

/**
 * Whether the output whose processing record is `processing` (undefined: it has none) was made
 * by `steps`: 'same', 'changed' (with a reason naming both), or 'foreign' (not made by us).
 */
export function compareRecord(processing: Readonly<Record<string, string>> | undefined, steps: readonly TaskStep[]): RecordVerdict {
  if (!processing || (processing.request === undefined && processing.steps === undefined)) return { kind: 'foreign' };
  const now = requestRecord(steps);
  let then: RequestedStep[] | undefined;
  if (processing.request !== undefined) {
    try {
      const parsed: unknown = JSON.parse(processing.request);
      then = Array.isArray(parsed) ? (parsed as RequestedStep[]) : undefined;
    } catch {
      then = undefined;
    }
  } else if (processing.steps !== undefined) {
    then = fromResolvedSteps(processing.steps, now);
  }
  if (!then) return { kind: 'changed', reason: 'its processing record cannot be read' };
  if (JSON.stringify(then) === JSON.stringify(now)) return { kind: 'same' };
  return { kind: 'changed', reason: `made with ${describeRequest(then)}; now ${describeRequest(now)}` };
}
