// The model registry: reads manifest.json files (the app's models/ folder and the user's model
// folders), validates them with the manifest schema, merges them, resolves a --model value (an id or
// an .onnx file listed in a manifest, the one beside it included) to an entry and an absolute path, and checks model files
// against their sha256 before any ONNX Runtime session is created. Every failure is a ModelError
// whose message is one line: "<file or id>: <reason>".
//
// Merging: folders are read in the order given (app first, then user folders); an entry whose id
// appears again in a later folder is replaced by the later one (a user folder can override an app
// model). Within one manifest, ids must be unique. Entry files must lie inside their manifest's
// folder.
import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { Manifest, TASKS, type ManifestEntry, type TaskName } from './manifest';

export class ModelError extends Error {
  constructor(readonly file: string, readonly reason: string) {
    super(`${file}: ${reason}`);
    this.name = 'ModelError';
  }
}

export interface ResolvedModel {
  entry: ManifestEntry;
  /** Absolute path of the .onnx file. */
  path: string;
  /** Folder of the manifest that lists it. */
  dir: string;
}

export const MANIFEST_FILE = 'manifest.json';

function isInside(dir: string, file: string): boolean {
  const rel = path.relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/** Entries of `dir`/manifest.json; a folder without a manifest has none. */
export async function loadManifest(dir: string): Promise<ManifestEntry[]> {
  const file = path.join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw new ModelError(file, `cannot read (${code ?? (e as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, '')); // a byte-order mark (a manifest saved by Windows Notepad) is not an error
  } catch (e) {
    throw new ModelError(file, `not valid JSON (${(e as Error).message})`);
  }
  const parsed = Manifest.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'manifest';
    throw new ModelError(file, `invalid manifest at ${where}: ${issue?.message ?? 'schema mismatch'}`);
  }
  const seen = new Set<string>();
  for (const entry of parsed.data.models) {
    if (seen.has(entry.id)) throw new ModelError(file, `model id "${entry.id}" appears twice`);
    seen.add(entry.id);
    if (!isInside(path.resolve(dir), path.resolve(dir, entry.file))) {
      throw new ModelError(file, `model "${entry.id}": file "${entry.file}" is outside the manifest's folder`);
    }
  }
  return parsed.data.models;
}

/** Every entry of every folder, in folder order, including entries a later folder overrides. */
async function loadAll(dirs: readonly string[]): Promise<ResolvedModel[]> {
  const out: ResolvedModel[] = [];
  for (const d of dirs) {
    const dir = path.resolve(d);
    for (const entry of await loadManifest(dir)) out.push({ entry, path: path.resolve(dir, entry.file), dir });
  }
  return out;
}

function merge(all: readonly ResolvedModel[]): ResolvedModel[] {
  const byId = new Map<string, ResolvedModel>();
  for (const m of all) {
    byId.delete(m.entry.id); // keep the override in the later folder's order
    byId.set(m.entry.id, m);
  }
  return [...byId.values()];
}

/** All models of the given folders, merged (later folders override earlier ones by id). */
export async function loadModels(dirs: readonly string[]): Promise<ResolvedModel[]> {
  return merge(await loadAll(dirs));
}

function looksLikeFile(s: string): boolean {
  return s.toLowerCase().endsWith('.onnx') || s.includes('/') || s.includes(path.sep);
}

async function realOrResolved(p: string): Promise<string> {
  try {
    return await fs.realpath(p);
  } catch {
    return path.resolve(p);
  }
}

export interface ResolveOptions {
  /** Folder that relative file paths are resolved against (default: the process's cwd). */
  cwd?: string;
}

/**
 * Resolves a model id, or the path of an .onnx file listed in one of the manifests (or in the
 * manifest.json of the file's own folder), to its entry.
 * A value without a path separator that equals an id is that id; otherwise a value ending in
 * .onnx or containing a separator is a file. With `task`, the model must be of that task. Does not
 * hash the file (see verifyModelFile).
 */
export async function resolveModel(
  idOrFile: string, task: TaskName | undefined, dirs: readonly string[], opts: ResolveOptions = {},
): Promise<ResolvedModel> {
  const all = await loadAll(dirs);
  const models = merge(all);
  const hasSep = idOrFile.includes('/') || idOrFile.includes(path.sep);
  let found = hasSep ? undefined : models.find((m) => m.entry.id === idOrFile);
  if (!found && looksLikeFile(idOrFile)) {
    const want = await realOrResolved(path.resolve(opts.cwd ?? process.cwd(), idOrFile));
    try {
      await fs.access(want);
    } catch {
      throw new ModelError(idOrFile, 'model file not found');
    }
    // Any listed file resolves, including one whose id a later folder overrides.
    for (const m of all) if ((await realOrResolved(m.path)) === want) found = m;
    // A file listed by the manifest.json of its own folder (as `restore train --out` writes it).
    if (!found) {
      const own = path.dirname(want);
      for (const entry of await loadManifest(own)) {
        const file = path.resolve(own, entry.file);
        if ((await realOrResolved(file)) === want) found = { entry, path: file, dir: own };
      }
    }
    if (!found) {
      throw new ModelError(idOrFile, `not listed in any ${MANIFEST_FILE} (looked in ${dirs.map((d) => path.resolve(d)).join(', ') || 'no folders'}); add a manifest entry with its sha256`);
    }
  } else if (!found) {
    const ids = models.filter((m) => !task || m.entry.task === task).map((m) => m.entry.id);
    const what = task ? `${task} models` : 'models';
    throw new ModelError(idOrFile, `unknown model id; available ${what}: ${ids.length > 0 ? ids.join(', ') : 'none installed'}`);
  }
  if (task && found.entry.task !== task) {
    throw new ModelError(idOrFile, `is a model for ${found.entry.task}, not for ${task}`);
  }
  return found;
}

/** Models of one task, in merged order. */
export function modelsForTask(models: readonly ResolvedModel[], task: TaskName): ResolvedModel[] {
  if (!TASKS.includes(task)) throw new ModelError(task, `unknown task (one of ${TASKS.join(', ')})`);
  return models.filter((m) => m.entry.task === task);
}

/** Hex sha256 of a file, streamed. */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  await new Promise<void>((resolve, reject) => {
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve());
  });
  return hash.digest('hex');
}

const verified = new Map<string, string>(); // "path|size|mtime" -> sha256 already checked

/** Checks that `file` exists and has the entry's sha256; throws a ModelError naming the file otherwise. */
export async function verifyModelFile(entry: ManifestEntry, file: string): Promise<void> {
  let stat;
  try {
    stat = await fs.stat(file);
  } catch {
    throw new ModelError(file, `model file of "${entry.id}" not found`);
  }
  if (!stat.isFile()) throw new ModelError(file, `model file of "${entry.id}" is not a regular file`);
  const key = `${path.resolve(file)}|${stat.size}|${stat.mtimeMs}`;
  if (verified.get(key) === entry.sha256) return;
  let actual: string;
  try {
    actual = await sha256File(file);
  } catch (e) {
    throw new ModelError(file, `cannot read model file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (actual !== entry.sha256) {
    throw new ModelError(file, `sha256 mismatch for model "${entry.id}": manifest has ${entry.sha256.slice(0, 12)}..., file has ${actual.slice(0, 12)}... (damaged or modified file)`);
  }
  verified.set(key, actual);
}

/**
 * Runs `fn` while holding `dir`/manifest.json.lock, so that concurrent writers (two `restore eval
 * --record`, a training run publishing) never lose each other's changes. Within this process the
 * callers queue up per folder; between processes the lock file is created exclusively. A lock
 * file older than LOCK_STALE_MS is left over from a killed process and is taken over, but only if
 * it is still the same file (inode) that was judged stale, not a fresh lock created meanwhile.
 */
export function withManifestLock<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  const key = path.resolve(dir);
  const run = (lockQueues.get(key) ?? Promise.resolve()).then(() => withLockFile(key, fn));
  const tail = run.then(() => undefined, () => undefined);
  lockQueues.set(key, tail);
  void tail.then(() => lockQueues.get(key) === tail && lockQueues.delete(key));
  return run;
}
const lockQueues = new Map<string, Promise<void>>();
const LOCK_WAIT_MS = 30_000;
const LOCK_STALE_MS = 60_000;

async function withLockFile<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  const lock = path.join(dir, `${MANIFEST_FILE}.lock`);
  await fs.mkdir(dir, { recursive: true });
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      await fs.writeFile(lock, `${process.pid}\n`, { flag: 'wx' });
      break;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') throw new ModelError(lock, `cannot create (${code ?? (e as Error).message})`);
      const st = await fs.stat(lock).catch(() => null);
      const age = st ? Date.now() - st.mtimeMs : 0;
      if (st && age > LOCK_STALE_MS) {
        const again = await fs.stat(lock).catch(() => null);
        if (again?.ino === st.ino && again.mtimeMs === st.mtimeMs) await fs.rm(lock, { force: true });
      } else if (Date.now() > deadline) {
        throw new ModelError(lock, `held by another process for ${Math.round(age / 1000)} s; delete it if no restore process is running`);
      } else await new Promise((r) => setTimeout(r, 20 + Math.random() * 40));
    }
  }
  try {
    return await fn();
  } finally {
    await fs.rm(lock, { force: true });
  }
}

/**
 * Read-modify-write of one entry of `dir`/manifest.json (created if needed) under the manifest
 * lock: `fn` gets the entry on disk now (undefined if absent) and returns the new one, which
 * replaces it in place (a new id is appended, so the order, which picks default models, holds).
 * Written atomically (temporary file + rename).
 */
export async function updateManifestEntry(dir: string, id: string, fn: (current: ManifestEntry | undefined) => ManifestEntry): Promise<ManifestEntry> {
  return withManifestLock(dir, async () => {
    const existing = await loadManifest(dir);
    const next = fn(existing.find((e) => e.id === id));
    const valid = Manifest.shape.models.element.safeParse(next);
    if (!valid.success) {
      const issue = valid.error.issues[0];
      throw new ModelError(next.id, `invalid manifest entry at ${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}`);
    }
    if (valid.data.id !== id) throw new ModelError(next.id, `an update of ${id} cannot change its id`);
    const at = existing.findIndex((e) => e.id === id);
    const models = at < 0 ? [...existing, valid.data] : existing.map((e, i) => (i === at ? valid.data : e));
    const file = path.join(dir, MANIFEST_FILE);
    const tmp = path.join(dir, `.${MANIFEST_FILE}.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2)}.tmp`);
    try {
      await fs.writeFile(tmp, `${JSON.stringify({ version: 1, models }, null, 2)}\n`);
      await fs.rename(tmp, file);
    } catch (e) {
      await fs.rm(tmp, { force: true });
      throw new ModelError(file, `cannot write (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    return valid.data;
  });
}

/** Adds or replaces (by id, in place) an entry in `dir`/manifest.json. Used by training's export. */
export async function upsertManifestEntry(dir: string, entry: ManifestEntry): Promise<void> {
  await updateManifestEntry(dir, entry.id, () => entry);
}

/**
 * Removes the entry `id` from `dir`/manifest.json under the manifest lock and returns it (undefined
 * when it was not listed). Its files are left to the caller. Written atomically.
 */
export async function removeManifestEntry(dir: string, id: string): Promise<ManifestEntry | undefined> {
  return withManifestLock(dir, async () => {
    const existing = await loadManifest(dir);
    const gone = existing.find((e) => e.id === id);
    if (!gone) return undefined;
    const file = path.join(dir, MANIFEST_FILE);
    const tmp = path.join(dir, `.${MANIFEST_FILE}.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2)}.tmp`);
    try {
      await fs.writeFile(tmp, `${JSON.stringify({ version: 1, models: existing.filter((e) => e.id !== id) }, null, 2)}\n`);
      await fs.rename(tmp, file);
    } catch (e) {
      await fs.rm(tmp, { force: true });
      throw new ModelError(file, `cannot write (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    return gone;
  });
}
