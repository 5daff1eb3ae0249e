import { describe, expect, it } from 'vitest';
import { readAppleMakerNote } from '../../src/media/apple-maker-note.js';
import { metadataFromTags } from '../../src/media/metadata-from-tags.js';

const NOW = new Date('2025-01-01T00:00:00Z');

describe('metadataFromTags', () => {
  it('prefers DateTimeOriginal and falls back to CreateDate with its own sub-seconds and offset', () => {
    expect(
      metadataFromTags({ DateTimeOriginal: '2020:01:02 03:04:05', CreateDate: '2019:01:01 00:00:00' }, NOW)
        .captureLocal,
    ).toBe('2020-01-02T03:04:05.000');
    const digitized = metadataFromTags(
      { CreateDate: '2019:01:01 10:00:00', SubSecTimeDigitized: '5', OffsetTimeDigitized: '-03:00' },
      NOW,
    );
    expect(digitized).toMatchObject({ captureLocal: '2019-01-01T10:00:00.500', captureOffsetMinutes: -180 });
  });

  it('drops a 0,0 GPS fix together with its altitude, and signs altitude below sea level', () => {
    expect(metadataFromTags({ latitude: 0, longitude: 0, GPSAltitude: 50 }, NOW)).toMatchObject({
      gpsLatitude: null,
      gpsLongitude: null,
      gpsAltitude: null,
    });
    expect(
      metadataFromTags(
        { latitude: 31.5, longitude: 35.5, GPSAltitude: 430, GPSAltitudeRef: Uint8Array.of(1) },
        NOW,
      ),
    ).toMatchObject({
      gpsLatitude: 31.5,
      gpsLongitude: 35.5,
      gpsAltitude: -430,
    });
  });

  it('swaps EXIF dimensions for orientations 5–8', () => {
    expect(
      metadataFromTags({ ExifImageWidth: 4000, ExifImageHeight: 3000, Orientation: 6 }, NOW),
    ).toMatchObject({ width: 3000, height: 4000 });
    expect(
      metadataFromTags({ ExifImageWidth: 4000, ExifImageHeight: 3000, Orientation: 3 }, NOW),
    ).toMatchObject({ width: 4000, height: 3000 });
    expect(metadataFromTags({ Orientation: 9 }, NOW).orientation).toBeNull();
  });

  it('ignores camera boilerplate and blank descriptions, and reads XMP language alternatives', () => {
    expect(metadataFromTags({ ImageDescription: 'OLYMPUS DIGITAL CAMERA' }, NOW).description).toBeNull();
    expect(metadataFromTags({ ImageDescription: '   \u0000' }, NOW).description).toBeNull();
    expect(
      metadataFromTags(
        { ImageDescription: 'SONY DSC', description: { lang: 'x-default', value: 'Picnic' } },
        NOW,
      ).description,
    ).toBe('Picnic');
    expect(metadataFromTags({ description: [{ lang: 'en', value: 'Beach' }] }, NOW).description).toBe(
      'Beach',
    );
  });

  it('reads camera settings, serial, lens, ids and rating with fallbacks', () => {
    const m = metadataFromTags(
      {
        Make: ' Canon\u0000',
        Model: 'EOS R5',
        SerialNumber: '0123',
        Lens: 'RF 24-70',
        ExposureTime: 0.01,
        FNumber: 4,
        ISOSpeedRatings: [1600, 0],
        FocalLength: 35,
        BurstUUID: 'B-1',
        ContentIdentifier: 'C-1',
        Rating: -1,
      },
      NOW,
    );
    expect(m).toMatchObject({
      make: 'Canon',
      model: 'EOS R5',
      bodySerial: '0123',
      lens: 'RF 24-70',
      exposureTime: 0.01,
      fNumber: 4,
      iso: 1600,
      focalLength: 35,
      burstId: 'B-1',
      contentIdentifier: 'C-1',
      rating: -1,
    });
    expect(metadataFromTags({ Rating: 7, ExposureTime: 0, FNumber: -2 }, NOW)).toMatchObject({
      rating: null,
      exposureTime: null,
      fNumber: null,
    });
  });
});

describe('readAppleMakerNote', () => {
  /** "Apple iOS\0", version 1, "MM", then a big-endian IFD with BurstUUID (0x0b) and ContentIdentifier (0x11). */
  function appleNote(burst: string, content: string): Buffer {
    const header = Buffer.concat([
      Buffer.from('Apple iOS\0', 'latin1'),
      Buffer.from([0, 1]),
      Buffer.from('MM', 'latin1'),
    ]);
    const ifdSize = 2 + 2 * 12 + 4;
    const dataStart = header.length + ifdSize;
    const ifd = Buffer.alloc(ifdSize);
    ifd.writeUInt16BE(2, 0);
    const strings = [`${burst}\0`, `${content}\0`];
    let at = dataStart;
    [0x0b, 0x11].forEach((tag, i) => {
      const e = 2 + i * 12;
      ifd.writeUInt16BE(tag, e);
      ifd.writeUInt16BE(2, e + 2);
      ifd.writeUInt32BE(strings[i]!.length, e + 4);
      ifd.writeUInt32BE(at, e + 8);
      at += strings[i]!.length;
    });
    return Buffer.concat([header, ifd, Buffer.from(strings.join(''), 'latin1')]);
  }

  it('reads the burst UUID and content identifier', () => {
    expect(readAppleMakerNote(appleNote('4F0E-BURST', '9C1D-LIVE'))).toEqual({
      burstId: '4F0E-BURST',
      contentIdentifier: '9C1D-LIVE',
    });
  });

  it('returns null for other makers and garbage', () => {
    expect(readAppleMakerNote(Buffer.from('Nikon\0\x02\x10\0\0MM\0*'))).toBeNull();
    expect(readAppleMakerNote(Buffer.from('Apple iOS\0\0\x01MM\xff\xff', 'latin1'))).toBeNull();
  });
});
