// A minimal uncompressed TIFF writer for 32-bit float samples (SampleFormat 3), which sharp's own
// TIFF writer cannot produce (it casts to 8 bits): for tests of float inputs.
import { promises as fs } from 'node:fs';

/** Writes `data` (HWC, `channels` 1 or 3) as a little-endian float TIFF. */
export async function writeFloatTiff(file: string, width: number, height: number, channels: 1 | 3, data: Float32Array): Promise<void> {
  const tags: Array<[number, number, number, number[]]> = []; // tag, type (3 short, 4 long), count, values
  const dataBytes = width * height * channels * 4;
  const bpsOffset = 8; // BitsPerSample / SampleFormat arrays (3 shorts each) live before the IFD
  const sfOffset = 16;
  const pixelOffset = 24;
  const ifdOffset = pixelOffset + dataBytes;
  const arr = (v: number, off: number): number[] => (channels === 1 ? [v] : [off]);
  tags.push([256, 4, 1, [width]]);
  tags.push([257, 4, 1, [height]]);
  tags.push([258, 3, channels, arr(32, bpsOffset)]);
  tags.push([259, 3, 1, [1]]); // no compression
  tags.push([262, 3, 1, [channels === 1 ? 1 : 2]]); // BlackIsZero / RGB
  tags.push([273, 4, 1, [pixelOffset]]);
  tags.push([277, 3, 1, [channels]]);
  tags.push([278, 4, 1, [height]]);
  tags.push([279, 4, 1, [dataBytes]]);
  tags.push([284, 3, 1, [1]]); // chunky
  tags.push([339, 3, channels, arr(3, sfOffset)]); // IEEE float
  const buf = Buffer.alloc(ifdOffset + 2 + tags.length * 12 + 4);
  buf.write('II', 0, 'latin1');
  buf.writeUInt16LE(42, 2);
  buf.writeUInt32LE(ifdOffset, 4);
  for (let c = 0; c < 3; c++) {
    buf.writeUInt16LE(32, bpsOffset + 2 * c);
    buf.writeUInt16LE(3, sfOffset + 2 * c);
  }
  for (let i = 0; i < data.length; i++) buf.writeFloatLE(data[i]!, pixelOffset + 4 * i);
  let p = ifdOffset;
  buf.writeUInt16LE(tags.length, p);
  p += 2;
  for (const [tag, type, count, values] of tags) {
    buf.writeUInt16LE(tag, p);
    buf.writeUInt16LE(type, p + 2);
    buf.writeUInt32LE(count, p + 4);
    if (count > 1 || type === 4) buf.writeUInt32LE(values[0]!, p + 8);
    else buf.writeUInt16LE(values[0]!, p + 8);
    p += 12;
  }
  buf.writeUInt32LE(0, p);
  await fs.writeFile(file, buf);
}
