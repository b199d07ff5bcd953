// The ESRGAN comparison's loading path on the real packages and the real wasm backend: the
// threaded build starts with 2 threads in Node (wasmThreadsInNode.ts), slim (0-255 range) is
// scored by evalUpscale and beats bicubic on Set5 x4, and thick (0-1 range, custom layers
// registered by the package's setup) beats bicubic on a crop. A wrong value range or a layer
// mix-up gives far lower PSNR than bicubic, so these fail on such bugs. The numbers of the
// comparison itself are `npm run bench -- --only compare` rows, not tests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imresize, type Planar } from '../../../training/data/degrade';
import { evalUpscale } from '../../../training/eval/evaluate';
import { loadPlanar } from '../../../training/eval/images';
import { psnrY, to8bit } from '../../../training/eval/metrics';
import { loadEsrgan } from './esrganPackages';
import { EsrganRunner } from './esrganRunner';
import { loadTfjsWasm, type TfjsWasmBackend } from './tfjsWasm';

const SR = '/work/shared/data/eval/sr';

function crop(img: Planar, y0: number, x0: number, h: number, w: number): Planar {
  const data = new Float32Array(img.c * h * w);
  for (let c = 0; c < img.c; c++) for (let y = 0; y < h; y++) {
    const src = (c * img.h + y0 + y) * img.w + x0;
    data.set(img.data.subarray(src, src + w), (c * h + y) * w);
  }
  return { c: img.c, h, w, data };
}

describe('ESRGAN models of @upscalerjs on tfjs-wasm', () => {
  let backend: TfjsWasmBackend;
  beforeAll(async () => {
    backend = await loadTfjsWasm(2);
  });
  afterAll(() => backend?.dispose());

  it('runs the threaded SIMD build with 2 threads in Node', () => {
    expect(backend.threads).toBe(2);
    expect(backend.backend).toMatch(/simd threaded/);
  });

  it('slim x4 through evalUpscale beats bicubic on Set5', async () => {
    const esrgan = await loadEsrgan(backend.tf, 'slim', 4);
    expect(esrgan.inputMax).toBe(255);
    const [bicubic, slim] = await evalUpscale(new EsrganRunner(backend.tf, esrgan), `${SR}/Set5`, 4);
    expect(slim?.method).toBe('esrgan-slim-x4');
    expect(slim?.images).toBe(5);
    expect(slim!.psnr).toBeGreaterThan(bicubic!.psnr! + 0.1);
    esrgan.model.dispose();
  });

  it('thick x4 (0-1 range, custom layers) beats bicubic on a crop', async () => {
    const esrgan = await loadEsrgan(backend.tf, 'thick', 4);
    expect(esrgan.inputMax).toBe(1);
    const hr = crop(await loadPlanar(`${SR}/Set5/x4/HR/img_001.png`), 160, 160, 192, 192);
    const lr = crop(await loadPlanar(`${SR}/Set5/x4/LR/img_001.png`), 40, 40, 48, 48);
    const out = await new EsrganRunner(backend.tf, esrgan).run({ image: lr });
    expect([out.c, out.h, out.w]).toEqual([3, 192, 192]);
    const bic = imresize(lr, 192, 192);
    const thickPsnr = psnrY({ ...out, data: to8bit(out.data) }, hr, 4), bicPsnr = psnrY({ ...bic, data: to8bit(bic.data) }, hr, 4);
    expect(thickPsnr).toBeGreaterThan(bicPsnr + 1);
    esrgan.model.dispose();
  });
});
