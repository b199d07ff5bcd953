// The scan-splitting row: `split-scan-24mp`, a 6000 x 4000 scan of four prints (scan.ts, about a
// letter page at 600 dpi) split file to file in a child process of its own: seconds, megapixels
// of scan per second, the prints found (4 expected) and peak RSS. No model involved.
import { runInChild } from '../child';
import { printsScanFile } from '../scan';
import type { SplitSpec } from '../splitChild';
import type { BenchContext, BenchResult, RowSource } from '../types';

const WIDTH = 6000;
const HEIGHT = 4000;

const source: RowSource = async () => [
  {
    name: 'split-scan-24mp',
    run: async (ctx: BenchContext): Promise<BenchResult> => {
      const input = await printsScanFile(ctx.tmpDir, WIDTH, HEIGHT);
      const spec: SplitSpec = { kind: 'split', name: 'split-scan-24mp', input, outDir: ctx.tmpDir, megapixels: (WIDTH * HEIGHT) / 1e6 };
      return runInChild(ctx.script, spec);
    },
  },
];
export default source;
