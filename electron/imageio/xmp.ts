// Records the model and settings used in an output's XMP packet (merged into the input's XMP
// when that is kept) and reads them back. One rdf:Description in our own namespace carries the
// settings as a JSON object in the attribute restore:processing.

export const RESTORE_XMP_NS = 'https://restore-studio.app/ns/xmp/1.0/';
const ATTR = 'restore:processing';

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function unescapeXml(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&gt;/g, '>')
    .replace(/&lt;/g, '<')
    .replace(/&#(\d+);/g, (_m, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&#x([0-9a-f]+);/gi, (_m, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&amp;/g, '&');
}

function description(processing: Record<string, string>): string {
  return `<rdf:Description rdf:about="" xmlns:restore="${RESTORE_XMP_NS}" ${ATTR}="${escapeXml(JSON.stringify(processing))}"/>`;
}

const OUR_DESCRIPTION = /<rdf:Description\b[^>]*\brestore:processing="[^"]*"[^>]*\/>\s*/g;

/**
 * An XMP packet holding `processing`, merged into `existing` (the input's XMP) when given:
 * a previous restore record is replaced, everything else is kept. A packet we cannot merge into
 * (no rdf:RDF element) is replaced by a fresh one.
 */
export function xmpWithProcessing(existing: string | undefined, processing: Record<string, string>): string {
  const ours = description(processing);
  if (existing !== undefined && existing.includes('</rdf:RDF>')) {
    return existing.replace(OUR_DESCRIPTION, '').replace('</rdf:RDF>', `${ours}</rdf:RDF>`);
  }
  return (
    '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>' +
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
    ours +
    '</rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
  );
}

/**
 * The packet with its tiff:Orientation (attribute or element form), if any, set to 1: the
 * written pixels are upright, and some viewers honour the XMP copy of the orientation.
 */
export function xmpUpright(xmp: string): string {
  return xmp
    .replace(/(\btiff:Orientation\s*=\s*)(["'])\s*\d+\s*\2/g, '$1$21$2')
    .replace(/(<tiff:Orientation>)\s*\d+\s*(<\/tiff:Orientation>)/g, '$11$2');
}

/** The processing record of an XMP packet written by xmpWithProcessing, or undefined. */
export function readProcessing(xmp: Uint8Array | string | undefined): Record<string, string> | undefined {
  if (xmp === undefined) return undefined;
  const text = typeof xmp === 'string' ? xmp : Buffer.from(xmp.buffer, xmp.byteOffset, xmp.byteLength).toString('utf8');
  const m = /\brestore:processing="([^"]*)"/.exec(text);
  if (!m || m[1] === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(unescapeXml(m[1]));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed)) if (typeof v === 'string') out[k] = v;
  return out;
}

/** One line for EXIF ImageDescription: "key=value; key=value". */
export function processingSummary(processing: Record<string, string>): string {
  return Object.entries(processing)
    .map(([k, v]) => `${k}=${v}`)
    .join('; ');
}
