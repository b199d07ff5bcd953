// Is a photo black-and-white? The rule is shared with the engine's colorize step (monochromeOnly),
// so it lives beside the API contract: electron/api/grayness.ts. The Restore view measures it on a
// downscaled copy in the browser (lib/photoPixels).
export { MONOCHROME_RESIDUAL, looksMonochrome, tintResidual } from '@api/grayness';
