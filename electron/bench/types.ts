// Types of the benchmark harness: a row is a named measurement; row sources (electron/bench/rows/*)
// list the rows they offer cheaply, and only the rows selected by --only are run.

/** One measured row, printed as a table row or one JSON line ({"name": ..., fields...}). */
export interface BenchResult {
  name: string;
  [field: string]: number | string | boolean | null;
}

export interface BenchContext {
  /** Threads for ONNX Runtime (default 2, the roofline's contract). */
  threads: number;
  /** Tile side for the model rows (--tile); 0 = each model's recommended tile. */
  tile: number;
  /** Extra model folders (besides the app's models/). */
  modelDirs: string[];
  /** Scratch folder for generated models, removed at the end. */
  tmpDir: string;
  /** The bench script itself (dist/bench.js), for measurements in a child process (child.ts). */
  script: string;
  /** Progress notes (stderr). */
  log: (message: string) => void;
}

export interface BenchRow {
  name: string;
  run: (ctx: BenchContext) => Promise<BenchResult>;
}

/** A module under rows/ exports one of these as default; register it in rows/index.ts. */
export type RowSource = (ctx: BenchContext) => Promise<BenchRow[]>;
