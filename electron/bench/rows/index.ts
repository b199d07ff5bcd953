// Registration of benchmark rows: every module in this folder exports a RowSource as default and
// is listed here (the bundle needs static imports). Row names: roofline/*, infer/<model id>,
// infer-large/*, train/* (training's rows are added by the training module).
import type { RowSource } from '../types';
import roofline from './roofline';
import infer from './infer';
import train from './train';

export const ROW_SOURCES: RowSource[] = [roofline, infer, train];
