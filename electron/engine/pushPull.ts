// Push-pull hole filling: the coarse fill of the inpainting step. Every hole pixel (mask set)
// gets a smooth estimate from the pixels around it: the image and its weights (1 outside the
// holes) are averaged down a 2x pyramid until no hole is left at the coarsest level, then each
// level's holes are filled from the bilinearly upsampled level below (Gortler et al.'s push-pull,
// as in "The Lumigraph"). Linear time, no iterations, deterministic; the inpainting network then
// refines this fill at full resolution (training and engine both start from it).

/** One plane: fills `plane` (width x height, values anywhere) in place where `hole` is set. */
export function pushPullPlane(plane: Float32Array, hole: ArrayLike<number>, width: number, height: number): void {
  const levels: { w: number; h: number; v: Float32Array; wt: Float32Array }[] = [];
  let w = width, h = height;
  let v = new Float32Array(plane.length), wt = new Float32Array(plane.length);
  let missing = 0;
  for (let i = 0; i < plane.length; i++) {
    const known = hole[i] ? 0 : 1;
    wt[i] = known;
    v[i] = known ? (plane[i] as number) : 0;
    missing += 1 - known;
  }
  if (missing === 0 || missing === plane.length) return;
  levels.push({ w, h, v, wt });
  // push: weighted 2x2 means (values premultiplied by weight) until nothing is missing
  while (w > 1 || h > 1) {
    const nw = Math.ceil(w / 2), nh = Math.ceil(h / 2);
    const nv = new Float32Array(nw * nh), nwt = new Float32Array(nw * nh);
    let holes = 0;
    for (let y = 0; y < nh; y++) for (let x = 0; x < nw; x++) {
      let sv = 0, sw = 0;
      for (let dy = 0; dy < 2; dy++) for (let dx = 0; dx < 2; dx++) {
        const xx = 2 * x + dx, yy = 2 * y + dy;
        if (xx < w && yy < h) { sv += v[yy * w + xx]! * wt[yy * w + xx]!; sw += wt[yy * w + xx]!; }
      }
      const o = y * nw + x;
      nwt[o] = Math.min(1, sw);
      nv[o] = sw > 0 ? sv / sw : 0;
      if (sw === 0) holes++;
    }
    w = nw; h = nh; v = nv; wt = nwt;
    levels.push({ w, h, v, wt });
    if (holes === 0) break;
  }
  // pull: each finer level takes the upsampled coarser values where its own weight is short
  for (let l = levels.length - 2; l >= 0; l--) {
    const fine = levels[l]!, coarse = levels[l + 1]!;
    for (let y = 0; y < fine.h; y++) {
      const cy = Math.min(coarse.h - 1, Math.max(0, (y + 0.5) / 2 - 0.5));
      const y0 = Math.floor(cy), y1 = Math.min(coarse.h - 1, y0 + 1), fy = cy - y0;
      for (let x = 0; x < fine.w; x++) {
        const i = y * fine.w + x, a = fine.wt[i]!;
        if (a >= 1) continue;
        const cx = Math.min(coarse.w - 1, Math.max(0, (x + 0.5) / 2 - 0.5));
        const x0 = Math.floor(cx), x1 = Math.min(coarse.w - 1, x0 + 1), fx = cx - x0;
        const c = coarse.v;
        const up = (1 - fy) * ((1 - fx) * c[y0 * coarse.w + x0]! + fx * c[y0 * coarse.w + x1]!) + fy * ((1 - fx) * c[y1 * coarse.w + x0]! + fx * c[y1 * coarse.w + x1]!);
        fine.v[i] = a * fine.v[i]! + (1 - a) * up;
        fine.wt[i] = 1;
      }
    }
  }
  const top = levels[0]!.v;
  for (let i = 0; i < plane.length; i++) if (hole[i]) plane[i] = top[i]!;
}

/** Planar channels (c x width x height) filled in place where `hole` (width x height) is set. */
export function pushPullFill(data: Float32Array, channels: number, hole: ArrayLike<number>, width: number, height: number): void {
  const n = width * height;
  for (let c = 0; c < channels; c++) {
    const plane = data.subarray(c * n, (c + 1) * n);
    pushPullPlane(plane, hole, width, height);
  }
}
