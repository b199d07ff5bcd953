// Manifest entries from architectures: fills the fields an architecture knows (parameters,
// inputs, output, receptive field, multipleOf) so training's export and tests write only the rest.
import type { ArchitectureResult } from './architectures/types';
import { ManifestEntry } from './manifest';

export type EntryFields = Omit<ManifestEntry, 'parameters' | 'inputs' | 'output' | 'receptiveField' | 'multipleOf' | 'range' | 'scale' | 'recommendedTile' | 'evaluation'>
  & Partial<Pick<ManifestEntry, 'range' | 'scale' | 'recommendedTile' | 'evaluation'>>;

/** A validated manifest entry for a model built by an architecture function. */
export function manifestEntryFor(arch: ArchitectureResult, fields: EntryFields): ManifestEntry {
  const parsed = ManifestEntry.safeParse({
    ...fields,
    parameters: arch.parameters,
    inputs: arch.inputs,
    output: arch.output,
    receptiveField: arch.receptiveField,
    multipleOf: arch.multipleOf,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`manifest entry "${fields.id}": ${issue?.path.join('.') ?? ''} ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}
