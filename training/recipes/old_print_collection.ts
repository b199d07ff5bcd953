// A collection of old prints with known originals: every photo of a set given the old-print
// evaluation protocol (training/eval/repair.ts writeRepairInputs: gray, blur 0.8, correlated grain
// 1 px sd 0.05, JPEG 75), written as <name>.jpg. finetune_checks.sh old-print-noisy fine-tunes the
// old-print restorer on these files alone (--noisy) and scores it against the originals.
// Usage: npx esbuild training/recipes/old_print_collection.ts --bundle --platform=node --format=cjs --packages=external --outfile=node_modules/.cache/old_print_collection.cjs
//        && node node_modules/.cache/old_print_collection.cjs <set folder> <out folder>
import { writeRepairInputs } from '../eval/repair';

async function main(): Promise<void> {
  const [set, out] = process.argv.slice(2);
  if (!set || !out) throw new Error('usage: old_print_collection <set folder> <out folder>');
  const cases = await writeRepairInputs(set, 'old-print', out);
  console.log(`${cases.length} old prints written to ${out}`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
