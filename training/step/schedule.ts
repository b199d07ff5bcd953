// Learning-rate schedule: linear warm-up, then cosine decay to a floor. Pure; the trainer feeds
// its value to the step graph's scalar lr input every step.
export interface LrSchedule { base: number; warmupSteps: number; totalSteps: number; minFactor: number }

export function learningRate(s: LrSchedule, step: number): number {
  if (s.warmupSteps > 0 && step < s.warmupSteps) return (s.base * (step + 1)) / s.warmupSteps;
  const span = Math.max(1, s.totalSteps - s.warmupSteps);
  const p = Math.min(1, Math.max(0, (step - s.warmupSteps) / span));
  return s.base * (s.minFactor + (1 - s.minFactor) * 0.5 * (1 + Math.cos(Math.PI * p)));
}
