// Command-line wrapper of training/averageWeights.ts: writes alpha * A + (1 - alpha) * B.
// Usage: npx esbuild training/recipes/average_weights.ts --bundle --platform=node --outfile=/tmp/avg.cjs
//        && node /tmp/avg.cjs <A.onnx> <B.onnx> <alpha> <out.onnx>
import { promises as fs } from 'node:fs';
import { parseModel, serializeModel } from '../../models/onnx/serialize';
import { averageWeights } from '../averageWeights';

async function main(): Promise<void> {
  const [a, b, alpha, out] = process.argv.slice(2);
  if (!a || !b || alpha === undefined || !out) throw new Error('usage: average_weights <A.onnx> <B.onnx> <alpha> <out.onnx>');
  const model = averageWeights(parseModel(await fs.readFile(a), a), parseModel(await fs.readFile(b), b), Number(alpha));
  await fs.writeFile(out, serializeModel(model));
}

main().catch((e: unknown) => {
  process.stderr.write(`average_weights: ${(e as Error).message}\n`);
  process.exit(1);
});
