// Confinement of a batch run to the folders the user allowed (web bridge and app), applied by the
// batch runner to every file at the moment it is read and written, not only when the batch is
// planned (issue 16): an input that is a link to a file outside the allowed folders is refused (its
// processed copy would leak the outside image into an allowed folder), an output whose folder
// resolves outside them (a subfolder of the output folder that is a symlink) is refused, and an
// output that is itself a link is never written through or replaced. The engine is handed the real
// paths, so what it reads and writes is exactly what was checked.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { PlannedFile } from '../batch/plan';
import type { FolderAccess } from './access';

/** Thrown (and reported as that file's failure) when a file of the batch would leave the allowed folders. */
export class ConfinementError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfinementError';
  }
}

/** `file` with its input and output replaced by their real paths, or ConfinementError. */
export async function confinePlannedFile(access: FolderAccess, file: PlannedFile): Promise<PlannedFile> {
  const link = await fs.lstat(file.input).then((st) => st.isSymbolicLink(), () => false);
  const input = await access.check(file.input).catch(() => {
    throw new ConfinementError(`${file.input}: ${link ? 'a link to a file' : 'lies'} outside the folders you allowed: not read`);
  });
  const outLink = await fs.lstat(file.output).then((st) => st.isSymbolicLink(), () => false);
  if (outLink) throw new ConfinementError(`${file.input}: output ${file.output} is a symbolic link: not written through or replaced`);
  const output = await access.check(file.output).catch(() => {
    throw new ConfinementError(`${file.input}: output ${file.output} lies outside the folders you allowed (its folder is a link): not written`);
  });
  return { ...file, input, output: path.normalize(output) };
}
