import { TiffReader } from './tiff-reader.js';

/**
 * Apple's MakerNote ("Apple iOS\0", version, "MM", then a big-endian IFD whose offsets are relative to
 * the start of the note). We read the two tags that tie photos together:
 * 0x000b BurstUUID (frames of one burst) and 0x0011 ContentIdentifier (a Live Photo's still ↔ video).
 */
export interface AppleMakerNoteIds {
  burstId: string | null;
  contentIdentifier: string | null;
}

const SIGNATURE = 'Apple iOS\0';
const IFD_OFFSET = 14;
const TAG_BURST_UUID = 0x000b;
const TAG_CONTENT_IDENTIFIER = 0x0011;

export function readAppleMakerNote(note: Uint8Array): AppleMakerNoteIds | null {
  if (
    note.length < IFD_OFFSET + 2 ||
    Buffer.from(note.subarray(0, SIGNATURE.length)).toString('latin1') !== SIGNATURE
  ) {
    return null;
  }
  const reader = new TiffReader(note, note[12] === 0x49, 0);
  const ifd = reader.readIfd(IFD_OFFSET);
  if (!ifd) return null;
  return {
    burstId: reader.string(ifd.entries.get(TAG_BURST_UUID)),
    contentIdentifier: reader.string(ifd.entries.get(TAG_CONTENT_IDENTIFIER)),
  };
}
