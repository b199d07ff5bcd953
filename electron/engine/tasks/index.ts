// The task units by name: each takes a raster and its step settings and returns the new raster,
// the model id and the resolved settings. processFile.ts runs them in the order of the request.
import type { Raster } from '../../imageio/types';
import type { TaskStep } from '../protocol';
import { colorize } from './colorize';
import { denoise } from './denoise';
import { detectDamage } from './detectDamage';
import { inpaint } from './inpaint';
import { upscale } from './upscale';
import type { StepResult, TaskContext } from './types';

export function runStep(raster: Raster, step: TaskStep, ctx: TaskContext): Promise<StepResult> {
  switch (step.task) {
    case 'denoise':
      return denoise(raster, step, ctx);
    case 'upscale':
      return upscale(raster, step, ctx);
    case 'colorize':
      return colorize(raster, step, ctx);
    case 'inpaint':
      return inpaint(raster, step, ctx);
    case 'detect-damage':
      return detectDamage(raster, step, ctx);
  }
}

export type { ModelCatalog, ModelQuery, PickedModel, StepResult, TaskContext } from './types';
