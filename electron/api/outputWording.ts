// The app's words for a batch whose output would be written over its own input. The planner
// (electron/batch/plan.ts) speaks the command line's language ("choose another -o or --format");
// the app names its own controls. Free of Node and zod: the Batch view uses it for its check
// before Start, the API for the planner's refusal at Start.

const nameOf = (p: string): string => p.replace(/[\\/]+$/, '').split(/[\\/]/).pop() || p;

/** `input`: the photo (or, `folder`, the folder of photos) the output would replace. */
export function overwritesInputMessage(input: string, folder = false): string {
  return folder
    ? `The output folder holds the photos of ${nameOf(input)}: restored files would replace the originals. Choose another output folder (a new subfolder is fine), or another format.`
    : `The restored ${nameOf(input)} would replace the original: choose another output folder, or another format.`;
}
