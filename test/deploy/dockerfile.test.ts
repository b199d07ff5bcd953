// deploy/Dockerfile and deploy/Dockerfile.cuda, without Docker (no daemon nor network here): each
// is read instruction by instruction and carried out as far as that allows. The build stage's COPY
// sources must exist and not be excluded by .dockerignore; its install is README's `npm ci` (the
// CUDA one also README's CUDA provider command); its sources, copied alone into a folder standing
// for the stage's /app (node_modules linked from this checkout, as `npm ci` would install them
// from the lockfile), must build dist/ with the stage's `npm run build`; the bundles may import
// only production dependencies (the stage prunes the others). The final stage's COPY --from=build
// lines then assemble a folder standing for the image's /app, and its ENTRYPOINT + CMD run there
// with the image's ENV: `--help`, `models` (the shipped manifest, found without help), and a real
// denoise with the shipped model.
import { execFile } from 'node:child_process';
import { builtinModules } from 'node:module';
import { promises as fs, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, tempDir, writeImage } from '../cli/helpers';
import { ofKind, parseCopy, parseDockerfile, parseEnv, parseExec, workdir, type Stage } from './dockerfile';

const run = promisify(execFile);
const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  optionalDependencies?: Record<string, string>;
};
const ignored = readFileSync(path.join(ROOT, '.dockerignore'), 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));

let dir: string;
beforeAll(async () => {
  dir = await tempDir('docker');
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** True when a .dockerignore line (exact paths and *.ext here) excludes the context path `p`. */
function isIgnored(p: string): boolean {
  const rel = path.posix.normalize(p).replace(/^\.\//, '');
  return ignored.some((pattern) =>
    pattern.startsWith('*.') ? rel.endsWith(pattern.slice(1)) : rel === pattern || rel.startsWith(`${pattern}/`) || pattern.startsWith(`${rel}/`),
  );
}

/** Carries out the stage's COPY lines into `root` (standing for the image's /). */
async function copyInto(stage: Stage, root: string, source: (from: string | undefined, src: string) => Promise<{ path: string; link?: boolean } | undefined>): Promise<string[]> {
  let cwd = '/';
  const skipped: string[] = [];
  for (const ins of stage.instructions) {
    if (ins.keyword === 'WORKDIR') cwd = path.posix.resolve(cwd, ins.args);
    if (ins.keyword !== 'COPY') continue;
    const copy = parseCopy(ins);
    const dest = path.posix.resolve(cwd, copy.dest);
    for (const src of copy.sources) {
      const from = await source(copy.from, src);
      if (!from) {
        skipped.push(src);
        continue;
      }
      // `COPY a b c ./` puts each into the folder; `COPY dir ./dir` copies the folder's content there.
      const intoFolder = copy.dest.endsWith('/') || copy.sources.length > 1;
      const target = path.join(root, intoFolder ? path.posix.join(dest, path.posix.basename(src)) : dest);
      await fs.mkdir(path.dirname(target), { recursive: true });
      if (from.link) await fs.symlink(from.path, target);
      else await fs.cp(from.path, target, { recursive: true });
    }
  }
  return skipped;
}

function importsOf(bundle: string): string[] {
  const text = readFileSync(bundle, 'utf8');
  const names = new Set<string>();
  for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*)["']([^"'./][^"']*)["']/g)) {
    const spec = m[1]!;
    names.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
  }
  return [...names].sort();
}

for (const file of ['Dockerfile', 'Dockerfile.cuda']) {
  describe(`deploy/${file}`, () => {
    const df = parseDockerfile(readFileSync(path.join(ROOT, 'deploy', file), 'utf8'));
    const buildStage = df.stages.find((s) => s.name === 'build');
    const final = df.stages[df.stages.length - 1]!;
    const buildRoot = (): string => path.join(dir, file, 'build');
    const imageRoot = (): string => path.join(dir, file, 'image');

    it('build stage: COPY sources exist and are in the context; README install and build commands', async () => {
      expect(buildStage).toBeDefined();
      expect(buildStage!.base).toMatch(/^node:20-/);
      const sources = ofKind(buildStage!, 'COPY').flatMap((i) => parseCopy(i).sources);
      for (const src of sources) {
        expect(existsSync(path.join(ROOT, src)), `${src} is not in the repository`).toBe(true);
        expect(isIgnored(src), `${src} is excluded by .dockerignore`).toBe(false);
      }
      for (const needed of ['package.json', 'package-lock.json', '.npmrc', 'scripts', 'electron', 'models', 'training', 'bin']) expect(sources).toContain(needed);
      const runs = ofKind(buildStage!, 'RUN').map((i) => i.args);
      expect(readme).toContain('npm ci && npm');
      expect(runs.some((r) => /^npm ci\b/.test(r))).toBe(true);
      expect(pkg.scripts.build).toBe('node scripts/build.mjs');
      expect(runs.some((r) => r.includes('npm run build') && r.includes('npm prune --omit=dev'))).toBe(true);
      if (file.endsWith('.cuda')) {
        const cuda = 'ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node';
        expect(readme).toContain(cuda);
        expect(runs).toContain(cuda);
        expect(final.base).toMatch(/^nvidia\/cuda:12\.[\d.]+-cudnn-runtime-ubuntu/);
      } else {
        expect(final.base).toBe(buildStage!.base);
      }
    });

    it('build stage: its sources alone build dist/ with `npm run build`; the bundles import only production dependencies', async () => {
      const skipped = await copyInto(buildStage!, buildRoot(), async (from, src) => {
        expect(from).toBeUndefined();
        return { path: path.join(ROOT, src) };
      });
      expect(skipped).toEqual([]);
      const app = path.join(buildRoot(), workdir(buildStage!));
      await fs.symlink(path.join(ROOT, 'node_modules'), path.join(app, 'node_modules')); // what `npm ci` installs
      const [cmd, ...args] = pkg.scripts.build!.split(' ');
      expect(cmd).toBe('node');
      await run(process.execPath, args, { cwd: app, timeout: 60_000 });
      const prod = new Set([...Object.keys(pkg.dependencies), ...Object.keys(pkg.optionalDependencies ?? {})]);
      for (const bundle of ['cli.js', 'engine-worker.js']) {
        const imports = importsOf(path.join(app, 'dist', bundle));
        expect(imports.length).toBeGreaterThan(0);
        for (const name of imports) {
          const builtin = name.startsWith('node:') || builtinModules.includes(name);
          expect(builtin || prod.has(name), `${bundle} imports ${name}, which npm prune --omit=dev removes`).toBe(true);
        }
      }
    });

    it('final stage: the image layout runs the real CLI (ENTRYPOINT + CMD) with the shipped models', async () => {
      const buildApp = path.join(buildRoot(), workdir(buildStage!));
      const skipped = await copyInto(final, imageRoot(), async (from, src) => {
        expect(from).toBe('build');
        if (!src.startsWith(`${workdir(buildStage!)}/`)) return undefined; // e.g. /usr/local/bin/node: the node image's own
        const rel = path.posix.relative(workdir(buildStage!), src);
        return rel === 'node_modules' ? { path: path.join(ROOT, 'node_modules'), link: true } : { path: path.join(buildApp, rel) };
      });
      expect(skipped).toEqual(file.endsWith('.cuda') ? ['/usr/local/bin/node'] : []);
      const app = path.join(imageRoot(), workdir(final));
      expect((await fs.readdir(app)).sort()).toEqual(['bin', 'dist', 'models', 'node_modules', 'package.json']);

      const entrypoint = parseExec(ofKind(final, 'ENTRYPOINT').at(-1)!);
      const cmd = parseExec(ofKind(final, 'CMD').at(-1)!);
      expect(entrypoint).toEqual(['node', '/app/bin/restore.js']);
      expect(readFileSync(path.join(app, 'bin', 'restore.js'), 'utf8')).toBe(readFileSync(path.join(ROOT, 'bin', 'restore.js'), 'utf8'));
      const imageEnv = Object.assign({}, ...ofKind(final, 'ENV').map(parseEnv)) as Record<string, string>;
      expect(imageEnv.HOME).toBe('/tmp');
      // The image's environment, its /tmp standing in a temp folder; not the test suite's model override.
      const env: Record<string, string> = { PATH: process.env.PATH ?? '' };
      for (const [k, v] of Object.entries(imageEnv)) env[k] = v.startsWith('/tmp') ? path.join(imageRoot(), v) : v;
      const restore = (args: string[]) =>
        run(process.execPath, [path.join(imageRoot(), entrypoint[1]!), ...args], { cwd: imageRoot(), env, timeout: 60_000 });

      const help = await restore(cmd);
      expect(help.stdout).toContain('Usage: restore <command>');
      const shipped = (JSON.parse(readFileSync(path.join(ROOT, 'models', 'manifest.json'), 'utf8')) as { models: Array<{ id: string }> }).models.map((m) => m.id);
      const listed = (await restore(['models', '--json'])).stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => (JSON.parse(l) as { id: string }).id);
      expect(listed.sort()).toEqual([...shipped].sort());
      for (const m of listed) expect(readFileSync(path.join(app, 'models', 'manifest.json'), 'utf8')).toContain(m);

      const input = path.join(imageRoot(), 'data', 'in', 'a.png');
      await writeImage(input, 40, 28);
      const out = path.join(imageRoot(), 'data', 'out');
      const r = await restore(['denoise', path.dirname(input), '-o', out, '--sigma', '15', '--shard', '0/1', '--threads', '1', '--json']);
      const summary = r.stdout.split('\n').filter((l) => l.includes('"summary"'))[0];
      expect(JSON.parse(summary!)).toMatchObject({ done: 1, failed: 0, provider: 'cpu', shard: { index: 0, count: 1 } });
      expect(r.stderr).not.toContain('fallback');
      const meta = await sharp(path.join(out, 'a.png')).metadata();
      expect([meta.width, meta.height]).toEqual([40, 28]);
      expect(meta.xmp?.toString()).toContain('denoise-color');
    });
  });
}
