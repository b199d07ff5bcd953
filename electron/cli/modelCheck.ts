// Before the engine starts: checks that every step of a command has a model (the one named by
// --model, or an installed model for the task), so that "no trained model yet" is one plain
// message (exit 1) rather than one failure per file, and an unknown --model is a usage error.

import type { TaskStep } from '../engine/protocol';

/** No model is installed for a task (exit code 1, DESIGN: every file would fail). */
export class NoModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NoModelError';
  }
}

export async function checkModels(_steps: TaskStep[], _modelDirs: string[]): Promise<void> {
  // Filled in with the models registry (models/registry.ts) as soon as it lands.
}
