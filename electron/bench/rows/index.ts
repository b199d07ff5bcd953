// Registration of benchmark rows: every module in this folder exports a RowSource as default and
// is listed here (the bundle needs static imports). Row names: roofline/*, infer/<model id>,
// infer-tta/<denoise or upscale model id>,
// infer-large/*, infer-12mp/<denoise model id>, upscale-1mp-x4/<x4 model id>,
// upscale-16mp/<upscale model id>, colorize-12mp/<colorize model id>, detect-12mp/<id>, inpaint-12mp/<id>, repair-12mp, split-scan-24mp, compare/* (ESRGAN vs ours), train/* (training's rows are added
// by the training module). The noise estimator's accuracy is `restore eval --task noise-estimate`.
import type { RowSource } from '../types';
import roofline from './roofline';
import infer from './infer';
import infer12mp from './infer12mp';
import upscale from './upscale';
import colorize12mp from './colorize12mp';
import repair12mp from './repair12mp';
import splitScan from './splitScan';
import compare from './compare';
import train from './train';

export const ROW_SOURCES: RowSource[] = [roofline, infer, infer12mp, upscale, colorize12mp, repair12mp, splitScan, compare, train];
