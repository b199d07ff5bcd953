// sRGB <-> CIE Lab (D65), the colour space of colorize: the model predicts a and b from L, and
// the engine recombines them with the original full-resolution L. Values: sRGB in [0, 1]
// (gamma-encoded), L in [0, 100], a/b roughly in [-128, 127]. Per-pixel functions write into a
// caller-supplied array so hot loops allocate nothing.

const XN = 0.95047;
const YN = 1.0;
const ZN = 1.08883;
const EPS = 216 / 24389;
const KAPPA = 24389 / 27;

export function srgbToLinear(v: number): number {
  return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
}

export function linearToSrgb(v: number): number {
  return v <= 0.0031308 ? 12.92 * v : 1.055 * Math.pow(v, 1 / 2.4) - 0.055;
}

const f = (t: number): number => (t > EPS ? Math.cbrt(t) : (KAPPA * t + 16) / 116);
const finv = (t: number): number => {
  const t3 = t * t * t;
  return t3 > EPS ? t3 : (116 * t - 16) / KAPPA;
};

/** Lookup of srgbToLinear for every code value of a given bit depth (255 or 65535). */
export function linearTable(max: number): Float32Array {
  const t = new Float32Array(max + 1);
  for (let i = 0; i <= max; i++) t[i] = srgbToLinear(i / max);
  return t;
}

/** Linear-light RGB -> Lab, written to out[o..o+2]. */
export function linearRgbToLab(r: number, g: number, b: number, out: Float32Array | number[], o = 0): void {
  const x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / XN;
  const y = (0.2126729 * r + 0.7151522 * g + 0.072175 * b) / YN;
  const z = (0.0193339 * r + 0.119192 * g + 0.9503041 * b) / ZN;
  const fx = f(x);
  const fy = f(y);
  const fz = f(z);
  out[o] = 116 * fy - 16;
  out[o + 1] = 500 * (fx - fy);
  out[o + 2] = 200 * (fy - fz);
}

export function srgbToLab(r: number, g: number, b: number, out: Float32Array | number[], o = 0): void {
  linearRgbToLab(srgbToLinear(r), srgbToLinear(g), srgbToLinear(b), out, o);
}

/** L of a gray value (sRGB-encoded, [0, 1]): a gray pixel has a = b = 0. */
export function grayToL(v: number): number {
  return 116 * f(srgbToLinear(v)) - 16;
}

/** Lab -> sRGB in [0, 1] (clamped), written to out[o..o+2]. */
export function labToSrgb(L: number, a: number, b: number, out: Float32Array | number[], o = 0): void {
  const fy = (L + 16) / 116;
  const x = XN * finv(fy + a / 500);
  const y = YN * (L > KAPPA * EPS ? fy * fy * fy : L / KAPPA);
  const z = ZN * finv(fy - b / 200);
  const rl = 3.2404542 * x - 1.5371385 * y - 0.4985314 * z;
  const gl = -0.969266 * x + 1.8760108 * y + 0.041556 * z;
  const bl = 0.0556434 * x - 0.2040259 * y + 1.0572252 * z;
  const clamp = (v: number): number => (v < 0 ? 0 : v > 1 ? 1 : v);
  out[o] = clamp(linearToSrgb(clamp(rl)));
  out[o + 1] = clamp(linearToSrgb(clamp(gl)));
  out[o + 2] = clamp(linearToSrgb(clamp(bl)));
}

/** Lab L of a linear-light luminance Y (0-1, D65 white). */
export function lFromY(y: number): number {
  return 116 * f(y) - 16;
}

/** Linear-light luminance of linear RGB (sRGB primaries). */
export function luminance(r: number, g: number, b: number): number {
  return 0.2126729 * r + 0.7151522 * g + 0.072175 * b;
}
