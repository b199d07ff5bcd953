// The table of differentiable operators: op type -> gradient rule.
import { convRules } from './conv';
import { elementwiseRules } from './elementwise';
import { layoutRules } from './layout';
import { samplingRules } from './sampling';
import type { GradRule } from './types';

export const GRADIENT_RULES: Readonly<Record<string, GradRule>> = {
  ...elementwiseRules,
  ...convRules,
  ...layoutRules,
  ...samplingRules, // after layoutRules: its Pad handles every mode
};

export const SUPPORTED_OPS: readonly string[] = Object.keys(GRADIENT_RULES).sort();
