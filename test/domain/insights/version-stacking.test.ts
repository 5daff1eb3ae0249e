import { describe, expect, it } from 'vitest';
import {
  DEFAULT_VERSION_SETTINGS,
  editedFrom,
  stackVersions,
} from '../../../src/domain/insights/version-stacking.js';
import { NOW, at, subject } from './subjects.js';

const stacks = (list: Parameters<typeof stackVersions>[0], overrides: Set<string> = new Set()) =>
  stackVersions(list, DEFAULT_VERSION_SETTINGS, overrides, NOW);

describe('version stacking', () => {
  it('stacks RAW + JPEG + HEIC of one shot (same folder, base name case-insensitive) with the JPEG as primary', () => {
    const result = stacks([
      subject('/p/DCIM/IMG_0001.CR2', { kind: 'raw', captureLocal: at(0) }),
      subject('/p/DCIM/img_0001.jpg', { captureLocal: at(0.5) }),
      subject('/p/DCIM/IMG_0001.HEIC', { kind: 'heic', captureLocal: at(1.9) }),
    ]);
    expect(result).toHaveLength(1);
    expect(result[0]?.primaryId).toBe('/p/DCIM/img_0001.jpg');
    expect(result[0]?.memberIds).toHaveLength(3);
    expect(result[0]?.reasons).toEqual(['same-name']);
  });

  it('does not stack same-name files taken more than the window apart, or in different folders', () => {
    expect(
      stacks([
        subject('/p/DCIM/IMG_0002.CR2', { kind: 'raw', captureLocal: at(0) }),
        subject('/p/DCIM/IMG_0002.JPG', { captureLocal: at(2.5) }),
        subject('/p/a/IMG_0003.CR2', { kind: 'raw', captureLocal: at(10) }),
        subject('/p/b/IMG_0003.JPG', { captureLocal: at(10) }),
      ]),
    ).toEqual([]);
  });

  it('honours a configured capture window', () => {
    const files = [
      subject('/p/IMG_9.DNG', { kind: 'raw', captureLocal: at(0) }),
      subject('/p/IMG_9.JPG', { captureLocal: at(4) }),
    ];
    expect(
      stackVersions(files, { ...DEFAULT_VERSION_SETTINGS, captureWindowMs: 5000 }, new Set(), NOW),
    ).toHaveLength(1);
    expect(stacks(files)).toEqual([]);
  });

  it('recognises the default edit and export name patterns', () => {
    const p = DEFAULT_VERSION_SETTINGS.editPatterns;
    expect(editedFrom('IMG_1234-edited', p)).toBe('IMG_1234');
    expect(editedFrom('IMG_1234 (1)', p)).toBe('IMG_1234');
    expect(editedFrom('IMG_E1234', p)).toBe('IMG_1234');
    expect(editedFrom('_DSC1234-2', p)).toBe('_DSC1234');
    expect(editedFrom('IMG_1234', p)).toBeNull();
  });

  it('stacks an edit only when its picture agrees with the original', () => {
    const original = subject('/p/IMG_1234.JPG', { phash: 'ffff0000ffff0000' });
    const edit = subject('/p/IMG_E1234.JPG', { phash: 'ffff0000ffff0003', captureLocal: at(3600) });
    const other = subject('/p/IMG_1234 (1).JPG', { phash: '0000ffff0000ffff' });
    const result = stacks([original, edit, other]);
    expect(result).toHaveLength(1);
    expect(new Set(result[0]?.memberIds)).toEqual(new Set([original.id, edit.id]));
    expect(result[0]?.reasons).toEqual(['edit']);
  });

  it('never stacks byte-identical copies (those are exact duplicates)', () => {
    expect(
      stacks([subject('/p/IMG_5.JPG', { sha256: 'same' }), subject('/p/IMG_5 (1).JPG', { sha256: 'same' })]),
    ).toEqual([]);
  });

  it('pairs a Live Photo still with its video by content identifier', () => {
    const result = stacks([
      subject('/p/IMG_7.HEIC', { kind: 'heic', contentIdentifier: 'CID-1' }),
      subject('/q/clip.MOV', { kind: 'video', contentIdentifier: 'CID-1', phash: null }),
    ]);
    expect(result).toHaveLength(1);
    expect(result[0]?.primaryId).toBe('/p/IMG_7.HEIC');
    expect(result[0]?.reasons).toEqual(['live-photo']);
  });

  it('keeps the user-chosen primary, and follows a configured preference otherwise', () => {
    const files = [
      subject('/p/IMG_8.CR2', { kind: 'raw', captureLocal: at(0) }),
      subject('/p/IMG_8.JPG', { captureLocal: at(0) }),
    ];
    const overridden = stacks(files, new Set(['/p/IMG_8.CR2']))[0];
    expect(overridden?.primaryId).toBe('/p/IMG_8.CR2');
    expect(overridden?.autoPrimaryId).toBe('/p/IMG_8.JPG');
    const rawFirst = stackVersions(
      files,
      { ...DEFAULT_VERSION_SETTINGS, primaryOrder: ['raw', 'jpeg'] },
      new Set(),
      NOW,
    );
    expect(rawFirst[0]?.primaryId).toBe('/p/IMG_8.CR2');
  });

  it('lacking a trustworthy time (1970 clock), same-name files need agreeing pictures', () => {
    const agree = stacks([
      subject('/p/IMG_3.DNG', { kind: 'raw', captureLocal: '1970-01-01T00:00:00.000' }),
      subject('/p/IMG_3.JPG', { captureLocal: null }),
    ]);
    expect(agree).toHaveLength(1);
    const disagree = stacks([
      subject('/p/IMG_4.DNG', {
        kind: 'raw',
        captureLocal: '1970-01-01T00:00:00.000',
        phash: '0000000000000000',
      }),
      subject('/p/IMG_4.JPG', { captureLocal: null, phash: 'ffffffffffffffff' }),
    ]);
    expect(disagree).toEqual([]);
  });
});
