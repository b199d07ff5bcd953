// The saved session (issue 16 item 4): <user data>/session/session.json (the views' work, validated
// by sessionSchema.ts, written atomically), mask.png (the painted mask) and photo/ (a kept copy of
// a photo that only exists in the temporary workspace: one dropped into the web page). restore()
// opens it all again for getSession: the photo and the shown result are checked afresh and each
// one that is gone is dropped with a notice; an unreadable session file is set aside (never
// deleted) and the app starts empty, saying so.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { atomicWrite } from '../imageio/atomic';
import { isInside } from './access';
import { SessionStateSchema, type SessionState } from './sessionSchema';
import { ApiError, type ImageInfo, type RestoreResult, type RestoredSession } from './contract';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface SessionFiles {
  /** The photo as the UI shows it (confined to the allowed folders); throws when it cannot be. */
  imageInfo(file: string): Promise<ImageInfo>;
  /** A kept result as restore() returned it, or null when it is no longer kept. */
  keptResult(file: string): Promise<RestoreResult | null>;
}

export class SessionStore {
  private readonly file: string;
  private readonly maskFile: string;
  private readonly photoDir: string;
  /** Workspace file -> its kept copy (a photo is copied once). */
  private readonly kept = new Map<string, string>();
  private last: SessionState | null = null;
  /** Saves one after another (a photo copy may take a moment). */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly dir: string,
    /** The temporary workspace: a photo inside it is copied into the session before it is saved. */
    private readonly workspace: string,
  ) {
    this.file = path.join(dir, 'session.json');
    this.maskFile = path.join(dir, 'mask.png');
    this.photoDir = path.join(dir, 'photo');
  }

  async ensure(): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
  }

  /** The result the saved session shows (kept results pin it), or null. */
  shownResult(): string | null {
    return this.last?.restore.result ?? null;
  }

  /**
   * Saves the views' state (`state.restore.photo` a real path); `mask`: PNG base64 (checked by the caller) to keep, null
   * to drop, undefined to leave as it is. Returns the photo as saved (a kept copy for a workspace file).
   */
  save(state: SessionState, mask: string | null | undefined): Promise<string | null> {
    const next = this.queue.then(() => this.write(state, mask));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async write(state: SessionState, mask: string | null | undefined): Promise<string | null> {
    const photo = state.restore.photo;
    const next: SessionState = photo ? { ...state, restore: { ...state.restore, photo: await this.keepPhoto(photo) } } : state;
    if (mask === null) await fs.rm(this.maskFile, { force: true });
    else if (mask !== undefined) await atomicWrite(this.maskFile, [Buffer.from(mask, 'base64')]);
    await atomicWrite(this.file, [Buffer.from(JSON.stringify(next) + '\n')]);
    this.last = next;
    return next.restore.photo;
  }

  /** Reads the session back and opens its files again; never throws for a bad or missing file. */
  async restore(files: SessionFiles, runningBatches: string[]): Promise<RestoredSession> {
    const notices: string[] = [];
    const state = await this.read(notices);
    this.last = state;
    const out: RestoredSession = { state, photo: null, result: null, mask: null, notices, runningBatches };
    if (!state) return out;
    const { restore } = state;
    if (restore.photo) {
      out.photo = await files.imageInfo(restore.photo).catch((e: unknown) => {
        notices.push(`The photo you had open could not be opened again: ${firstLine(e)}`);
        return null;
      });
    }
    if (out.photo && restore.result) {
      out.result = await files.keptResult(restore.result).catch(() => null);
      if (!out.result) notices.push('The restored result is no longer kept (the kept results were cleared or went over their size limit): Restore again to redo it.');
    }
    if (out.photo) {
      const mask = await fs.readFile(this.maskFile).catch(() => null);
      out.mask = mask && mask.subarray(0, 8).equals(PNG_SIGNATURE) ? mask.toString('base64') : null;
    }
    if (state.batch.last && (state.batch.last.state === 'running' || state.batch.last.state === 'pausing' || state.batch.last.state === 'paused')) {
      if (!runningBatches.includes(state.batch.last.jobId)) {
        state.batch.last = { ...state.batch.last, state: 'interrupted', etaSeconds: null };
        notices.push('The batch that was running was stopped when the app or server closed: start it again to finish the remaining files (finished ones are skipped).');
      }
    }
    return out;
  }

  private async read(notices: string[]): Promise<SessionState | null> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') notices.push(`Your last session could not be read (${firstLine(e)}); starting with an empty one.`);
      return null;
    }
    let problem: string;
    try {
      const parsed = SessionStateSchema.safeParse(JSON.parse(text));
      if (parsed.success) return parsed.data;
      const issue = parsed.error.issues[0];
      problem = `${issue?.path.join('.') || 'session'}: ${issue?.message ?? 'invalid'}`;
    } catch (e) {
      problem = firstLine(e);
    }
    // Set aside, not deleted: the next save would overwrite it.
    const aside = path.join(this.dir, `session.unreadable-${Date.now()}.json`);
    await fs.rename(this.file, aside).catch(() => undefined);
    notices.push(`Your last session could not be read (${problem}); starting with an empty one. The file was kept as ${aside}.`);
    return null;
  }

  /** The path the saved session names `photo` by: its kept copy when it has one (a dropped photo), else itself. */
  savedPathOf(photo: string): string {
    return this.kept.get(photo) ?? photo;
  }

  /** A photo inside the temporary workspace gets a kept copy (the previous one removed); others are saved as they are. */
  private async keepPhoto(photo: string): Promise<string> {
    const workspace = await fs.realpath(this.workspace).catch(() => this.workspace);
    if (!isInside(photo, workspace)) return photo;
    const known = this.kept.get(photo);
    if (known) return known;
    const id = createHash('sha256').update(photo).digest('hex').slice(0, 16);
    const target = path.join(this.photoDir, id, path.basename(photo));
    await fs.rm(this.photoDir, { recursive: true, force: true });
    await fs.mkdir(path.dirname(target), { recursive: true });
    try {
      await fs.copyFile(photo, target);
    } catch (e) {
      throw new ApiError('failed', `${photo}: cannot keep a copy of the open photo (${firstLine(e)})`);
    }
    this.kept.clear();
    this.kept.set(photo, target);
    return target;
  }
}

function firstLine(e: unknown): string {
  return ((e instanceof Error ? e.message : String(e)).split('\n')[0] ?? 'failed').trim();
}
