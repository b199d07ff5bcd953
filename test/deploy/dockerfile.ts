// A small Dockerfile reader for the tests of deploy/Dockerfile*: no Docker daemon (nor network)
// is available where the tests run, so the tests read the instructions and carry out what can be
// carried out without one (COPY into a folder standing for the image, the build's npm script, the
// ENTRYPOINT). Understands what those files use: line continuations, comments, global ARG defaults
// in FROM, `FROM image AS name`, COPY with --from/--chown/--chmod/--link, ENV key=value pairs,
// and the JSON (exec) form of ENTRYPOINT and CMD.

export interface Instruction {
  keyword: string;
  /** The rest of the instruction, continuation lines joined. */
  args: string;
  /** 1-based line where it starts. */
  line: number;
}

export interface Stage {
  /** The base image, global ARGs substituted. */
  base: string;
  name: string | undefined;
  instructions: Instruction[];
}

export interface Dockerfile {
  /** ARGs declared before the first FROM, with their defaults. */
  globalArgs: Record<string, string>;
  stages: Stage[];
}

export interface Copy {
  from: string | undefined;
  sources: string[];
  dest: string;
}

function substitute(text: string, vars: Record<string, string>): string {
  return text.replace(/\$\{(\w+)\}|\$(\w+)/g, (whole, a: string | undefined, b: string | undefined) => vars[(a ?? b)!] ?? whole);
}

export function parseDockerfile(text: string): Dockerfile {
  const instructions: Instruction[] = [];
  let pending: Instruction | undefined;
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const trimmed = raw.trim();
    if (trimmed.startsWith('#') || (trimmed === '' && !pending)) continue; // comments (parser directives too)
    const continued = /\\$/.test(trimmed);
    const body = continued ? trimmed.slice(0, -1).trim() : trimmed;
    if (pending) pending.args = `${pending.args} ${body}`.trim();
    else {
      const m = /^(\S+)\s*(.*)$/.exec(body);
      if (!m) throw new Error(`line ${i + 1}: cannot read "${raw}"`);
      pending = { keyword: m[1]!.toUpperCase(), args: m[2]!, line: i + 1 };
    }
    if (!continued) {
      instructions.push(pending);
      pending = undefined;
    }
  }
  if (pending) throw new Error(`line ${pending.line}: continuation runs past the end of the file`);

  const globalArgs: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const ins of instructions) {
    if (ins.keyword === 'FROM') {
      const m = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(ins.args);
      if (!m) throw new Error(`line ${ins.line}: cannot read FROM ${ins.args}`);
      stages.push({ base: substitute(m[1]!, globalArgs), name: m[2], instructions: [] });
    } else if (stages.length === 0) {
      if (ins.keyword !== 'ARG') throw new Error(`line ${ins.line}: ${ins.keyword} before the first FROM`);
      const [name, value] = ins.args.split('=', 2);
      globalArgs[name!.trim()] = value?.trim() ?? '';
    } else {
      stages[stages.length - 1]!.instructions.push(ins);
    }
  }
  return { globalArgs, stages };
}

export function parseCopy(ins: Instruction): Copy {
  const words = ins.args.startsWith('[') ? (JSON.parse(ins.args) as string[]) : ins.args.split(/\s+/);
  let from: string | undefined;
  const rest: string[] = [];
  for (const w of words) {
    const flag = /^--(\w+)(?:=(.*))?$/.exec(w);
    if (flag && rest.length === 0) {
      if (flag[1] === 'from') from = flag[2];
      else if (!['chown', 'chmod', 'link', 'parents', 'exclude'].includes(flag[1]!)) throw new Error(`line ${ins.line}: unknown COPY flag ${w}`);
      continue;
    }
    rest.push(w);
  }
  if (rest.length < 2) throw new Error(`line ${ins.line}: COPY needs a source and a destination`);
  return { from, sources: rest.slice(0, -1), dest: rest[rest.length - 1]! };
}

/** ENV KEY=VALUE [KEY=VALUE...] (values without spaces or quoted with "). */
export function parseEnv(ins: Instruction): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of ins.args.matchAll(/(\w+)=("(?:[^"\\]|\\.)*"|\S*)/g)) out[m[1]!] = m[2]!.startsWith('"') ? (JSON.parse(m[2]!) as string) : m[2]!;
  return out;
}

/** ENTRYPOINT / CMD in exec form (a JSON array); the shell form is refused (signals would not reach node). */
export function parseExec(ins: Instruction): string[] {
  if (!ins.args.startsWith('[')) throw new Error(`line ${ins.line}: ${ins.keyword} must use the exec form ["...", ...]`);
  return JSON.parse(ins.args) as string[];
}

export const ofKind = (stage: Stage, keyword: string): Instruction[] => stage.instructions.filter((i) => i.keyword === keyword);

/** The stage's last WORKDIR (Docker's default is /). */
export function workdir(stage: Stage): string {
  return ofKind(stage, 'WORKDIR').at(-1)?.args ?? '/';
}
