// EXIF/XMP rewriting for upright outputs, on blocks written by libvips: Orientation set to 1,
// IFD1 (thumbnail) unlinked, both byte orders, unreadable blocks dropped; XMP tiff:Orientation reset.
import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { exifForUprightOutput, exifOrientation, ifd1Offset, tiffPart } from './exif';
import { readProcessing, xmpUpright, xmpWithProcessing } from './xmp';

async function exifFromLibvips(orientation: number): Promise<Buffer> {
  const jpg = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#123456' } })
    .withExif({ IFD0: { Make: 'X' }, IFD1: { ImageDescription: 'thumbnail' } })
    .withMetadata({ orientation })
    .jpeg()
    .toBuffer();
  const exif = (await sharp(jpg).metadata()).exif;
  if (!exif) throw new Error('libvips wrote no EXIF');
  return exif;
}

/** The same TIFF structure in the other byte order is not easy to build by hand; swap a tiny one. */
function bigEndianOrientationBlock(orientation: number): Buffer {
  const b = Buffer.alloc(6 + 8 + 2 + 12 + 4);
  b.write('Exif\0\0', 0, 'latin1');
  const t = 6;
  b.write('MM', t, 'latin1');
  b.writeUInt16BE(42, t + 2);
  b.writeUInt32BE(8, t + 4);
  b.writeUInt16BE(1, t + 8);
  b.writeUInt16BE(0x0112, t + 10);
  b.writeUInt16BE(3, t + 12);
  b.writeUInt32BE(1, t + 14);
  b.writeUInt16BE(orientation, t + 18);
  b.writeUInt32BE(99, t + 22); // a (bogus) IFD1 link
  return b;
}

describe('exifForUprightOutput', () => {
  it('sets orientation 1 and unlinks the thumbnail IFD (little-endian, as libvips writes)', async () => {
    const exif = await exifFromLibvips(6);
    expect(exifOrientation(exif)).toBe(6);
    expect(ifd1Offset(exif)).toBeGreaterThan(0);
    const out = exifForUprightOutput(exif);
    expect(out).toBeDefined();
    expect(exifOrientation(out!)).toBe(1);
    expect(ifd1Offset(out!)).toBe(0);
    expect(out!.length).toBe(exif.length);
    expect(exifOrientation(exif)).toBe(6); // the input block is not modified
    expect(await sharp(Buffer.from(tiffPart(out!))).metadata().catch(() => 'not an image')).toBeDefined();
  });

  it('handles big-endian blocks', () => {
    const out = exifForUprightOutput(bigEndianOrientationBlock(8));
    expect(exifOrientation(out!)).toBe(1);
    expect(ifd1Offset(out!)).toBe(0);
  });

  it('drops blocks that are not a TIFF structure', () => {
    expect(exifForUprightOutput(Buffer.from('Exif\0\0garbage here', 'latin1'))).toBeUndefined();
    const truncated = bigEndianOrientationBlock(3).subarray(0, 16);
    expect(exifForUprightOutput(truncated)).toBeUndefined();
  });
});

describe('XMP', () => {
  it('tiff:Orientation is reset in attribute and element form', () => {
    const attr = `<rdf:Description rdf:about="" xmlns:tiff="http://ns.adobe.com/tiff/1.0/" tiff:Orientation="6" tiff:Make="X"/>`;
    expect(xmpUpright(attr)).toContain('tiff:Orientation="1"');
    expect(xmpUpright(attr)).toContain('tiff:Make="X"');
    const elem = `<tiff:Orientation> 8 </tiff:Orientation>`;
    expect(xmpUpright(elem)).toBe('<tiff:Orientation>1</tiff:Orientation>');
  });

  it('a fresh packet carries the processing record', () => {
    const xmp = xmpWithProcessing(undefined, { model: 'a&b', steps: '[{"task":"denoise"}]' });
    expect(xmp).toContain('<x:xmpmeta');
    expect(readProcessing(xmp)).toEqual({ model: 'a&b', steps: '[{"task":"denoise"}]' });
  });

  it('readProcessing ignores packets without a record or with a damaged one', () => {
    expect(readProcessing('<x:xmpmeta/>')).toBeUndefined();
    expect(readProcessing('<a restore:processing="{not json"/>')).toBeUndefined();
    expect(readProcessing(undefined)).toBeUndefined();
  });
});
