import { describe, expect, it } from 'vitest';
import { detectKind, extensionOf } from '../../src/domain/detect-kind.js';

const bytes = (...parts: (string | number[])[]): Uint8Array =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? Array.from(p, (c) => c.charCodeAt(0)) : p)));
const u32be = (n: number): number[] => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
const ftyp = (major: string, ...compatible: string[]): Uint8Array =>
  bytes(u32be(16 + 4 * compatible.length), 'ftyp', major, [0, 0, 0, 0], ...compatible, [0, 0, 0, 0]);

/** A little-endian TIFF header with one IFD0 entry carrying `tag`. */
function tiffWithTag(tag: number): Uint8Array {
  return bytes(
    'II',
    [42, 0],
    [8, 0, 0, 0],
    [1, 0],
    [tag & 255, tag >> 8, 1, 0, 4, 0, 0, 0, 1, 4, 0, 0],
    [0, 0, 0, 0],
  );
}

describe('detectKind', () => {
  it.each([
    ['jpeg', bytes([0xff, 0xd8, 0xff, 0xe0]), 'image/jpeg'],
    ['png', bytes([0x89], 'PNG', [0x0d, 0x0a, 0x1a, 0x0a]), 'image/png'],
    ['gif', bytes('GIF89a'), 'image/gif'],
    ['webp', bytes('RIFF', [0, 0, 0, 0], 'WEBPVP8 '), 'image/webp'],
    ['bmp', bytes('BM', [0, 0, 0, 0, 0, 0, 0, 0, 54, 0, 0, 0, 40, 0, 0, 0]), 'image/bmp'],
    ['tiff', tiffWithTag(256), 'image/tiff'],
    ['avif', ftyp('avif', 'mif1', 'miaf'), 'image/avif'],
    ['heic', ftyp('heic', 'mif1', 'heic'), 'image/heic'],
    ['heic', ftyp('mif1', 'heic'), 'image/heic'],
    ['avif', ftyp('mif1', 'avif'), 'image/avif'],
  ])('recognises %s (%#)', (kind, head, mime) => {
    expect(detectKind(head, 'file.bin')).toMatchObject({ kind, mime });
  });

  it.each([
    ['cr3', ftyp('crx ', 'isom')],
    ['raf', bytes('FUJIFILMCCD-RAW 0201')],
    ['orf', bytes('IIRO', [8, 0, 0, 0])],
    ['rw2', bytes('IIU', [0, 8, 0, 0, 0])],
    ['cr2', bytes('II', [42, 0, 16, 0, 0, 0], 'CR', [2, 0])],
    ['dng', tiffWithTag(50706)],
  ])('recognises %s RAW by its bytes, whatever the name', (format, head) => {
    expect(detectKind(head, 'photo.tif')).toMatchObject({ kind: 'raw', format });
  });

  it('treats a plain TIFF container as RAW only when the extension says so', () => {
    expect(detectKind(tiffWithTag(256), 'DSC_0001.NEF')).toMatchObject({
      kind: 'raw',
      format: 'nef',
      mime: 'image/x-nikon-nef',
    });
    expect(detectKind(tiffWithTag(256), 'scan.tif')).toMatchObject({ kind: 'tiff' });
  });

  it.each([
    ['mov', ftyp('qt  ', 'qt  ')],
    ['mov', bytes([0, 0, 0, 8], 'wide')],
    ['mp4', ftyp('isom', 'iso2', 'avc1', 'mp41')],
    ['m4v', ftyp('M4V ', 'M4V ', 'mp42')],
    ['3gp', ftyp('3gp5', '3gp5')],
    ['avi', bytes('RIFF', [0, 0, 0, 0], 'AVI LIST')],
    ['mkv', bytes([0x1a, 0x45, 0xdf, 0xa3, 0x93, 0x42, 0x82, 0x88], 'matroska')],
    ['webm', bytes([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x82, 0x84], 'webm')],
    ['mpeg', bytes([0, 0, 1, 0xba, 0x44])],
  ])('recognises %s video', (format, head) => {
    expect(detectKind(head, 'clip.dat')).toMatchObject({ kind: 'video', format });
  });

  it('recognises MPEG transport streams by their sync bytes', () => {
    const ts = new Uint8Array(188 * 3);
    ts[0] = ts[188] = ts[376] = 0x47;
    expect(detectKind(ts, '00001.MTS')).toMatchObject({ kind: 'video', mime: 'video/mp2t' });
  });

  it.each([
    [
      'an xpacket',
      '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>\n<x:xmpmeta xmlns:x="adobe:ns:meta/">',
    ],
    ['a bare xmpmeta with BOM and blank lines', '\ufeff\n\n  <x:xmpmeta xmlns:x="adobe:ns:meta/">'],
    ['an XML prolog before xmpmeta', '<?xml version="1.0"?>\n<x:xmpmeta xmlns:x="adobe:ns:meta/">'],
  ])('recognises XMP sidecars: %s', (_label, text) => {
    expect(detectKind(new TextEncoder().encode(text), 'IMG_1.xmp')).toMatchObject({ kind: 'xmp' });
  });

  it('goes by content, not extension', () => {
    const png = bytes([0x89], 'PNG', [0x0d, 0x0a, 0x1a, 0x0a]);
    expect(detectKind(png, 'holiday.jpg').kind).toBe('png');
    expect(detectKind(new TextEncoder().encode('hello, I am text'), 'holiday.jpg').kind).toBe('unknown');
    expect(detectKind(new TextEncoder().encode('<?xml version="1.0"?><svg/>'), 'a.xmp').kind).toBe('unknown');
    expect(detectKind(ftyp('M4A ', 'M4A '), 'song.m4a').kind).toBe('unknown');
  });

  it('returns unknown for empty or tiny input', () => {
    expect(detectKind(new Uint8Array(0), 'x.jpg')).toEqual({ kind: 'unknown', mime: null, format: null });
    expect(detectKind(bytes([0xff]), 'x.jpg').kind).toBe('unknown');
  });
});

describe('extensionOf', () => {
  it('lower-cases the last extension of the base name', () => {
    expect(extensionOf('/a.b/IMG_0001.JPG')).toBe('jpg');
    expect(extensionOf('/a/.hidden')).toBe('');
    expect(extensionOf('noext')).toBe('');
  });
});
