import { emptyMetadata, type AssetMetadata } from '../domain/asset-metadata.js';
import { parseCaptureTime } from '../domain/capture-time.js';
import type { TagBag } from './read-tags.js';

/**
 * Maps a flat tag bag (EXIF names as exifr spells them, XMP local names) to AssetMetadata.
 * What is read, in order of preference:
 * - capture time: DateTimeOriginal + SubSecTimeOriginal + OffsetTimeOriginal, else CreateDate +
 *   SubSecTimeDigitized + OffsetTimeDigitized (XMP exif:/xmp: dates are ISO strings with their own
 *   offset). ModifyDate is not a capture time and is ignored.
 * - body serial: BodySerialNumber, SerialNumber; lens: LensModel, XMP aux:Lens.
 * - burst id: Apple MakerNote BurstUUID, XMP GCamera:BurstID, any XMP BurstUUID; sequence number:
 *   an XMP/EXIF SequenceNumber if present (Canon/Sony maker-note sequence counters are not decoded).
 * - content identifier: Apple MakerNote ContentIdentifier (Live Photos).
 * - GPS: exifr's signed latitude/longitude; exactly 0,0 is a missing fix and is dropped with altitude.
 * - rating: EXIF/XMP Rating (-1 = rejected … 5); description: ImageDescription or XMP dc:description,
 *   minus camera boilerplate such as "OLYMPUS DIGITAL CAMERA".
 */
export function metadataFromTags(tags: TagBag, now: Date): AssetMetadata {
  const m = emptyMetadata();
  const original = text(tags.DateTimeOriginal);
  const capture = parseCaptureTime(
    original
      ? {
          dateTime: original,
          subSeconds: text(tags.SubSecTimeOriginal),
          offset: text(tags.OffsetTimeOriginal),
        }
      : {
          dateTime: text(tags.CreateDate),
          subSeconds: text(tags.SubSecTimeDigitized),
          offset: text(tags.OffsetTimeDigitized),
        },
    now,
  );
  Object.assign(m, capture);

  m.make = text(tags.Make);
  m.model = text(tags.Model);
  m.bodySerial = text(tags.BodySerialNumber) ?? text(tags.SerialNumber);
  m.lens = text(tags.LensModel) ?? text(tags.Lens);
  m.exposureTime = positive(tags.ExposureTime);
  m.fNumber = positive(tags.FNumber);
  m.iso = positive(tags.ISO) ?? positive(tags.ISOSpeedRatings) ?? positive(tags.PhotographicSensitivity);
  m.focalLength = positive(tags.FocalLength);
  m.burstId = text(tags.BurstUUID) ?? text(tags.BurstID);
  m.sequenceNumber = integerIn(tags.SequenceNumber, 0, 1_000_000);
  m.contentIdentifier = text(tags.ContentIdentifier);

  const lat = finite(tags.latitude);
  const lon = finite(tags.longitude);
  if (
    lat !== null &&
    lon !== null &&
    !(lat === 0 && lon === 0) &&
    Math.abs(lat) <= 90 &&
    Math.abs(lon) <= 180
  ) {
    m.gpsLatitude = lat;
    m.gpsLongitude = lon;
    const altitude = finite(tags.GPSAltitude);
    m.gpsAltitude = altitude === null ? null : firstNumber(tags.GPSAltitudeRef) === 1 ? -altitude : altitude;
  }

  m.orientation = integerIn(tags.Orientation, 1, 8);
  const width = integerIn(tags.ExifImageWidth ?? tags.ImageWidth, 1, 1_000_000);
  const height = integerIn(tags.ExifImageHeight ?? tags.ImageHeight, 1, 1_000_000);
  const swap = m.orientation !== null && m.orientation >= 5;
  m.width = swap ? height : width;
  m.height = swap ? width : height;

  m.rating = integerIn(tags.Rating, -1, 5);
  m.description = meaningfulDescription(tags.ImageDescription) ?? meaningfulDescription(tags.description);
  return m;
}

/** Placeholder captions cameras and tools write into every file. */
const BOILERPLATE_DESCRIPTION =
  /^(olympus digital camera|sony dsc|konica minolta digital camera|minolta digital camera|samsung digital camera|kodak digital still camera|digital camera|leica digital camera|pentax digital camera|exif_jpeg_picture|default|image|untitled|camera|dsc|photo|picture)$/i;

function meaningfulDescription(value: unknown): string | null {
  const first: unknown = Array.isArray(value) ? (value as unknown[])[0] : value;
  const candidate = isLocalizedText(first) ? first.value : first;
  const description = isLocalizedText(candidate) ? text(candidate.value) : text(candidate);
  if (description === null || BOILERPLATE_DESCRIPTION.test(description)) return null;
  return description;
}

function isLocalizedText(value: unknown): value is { value: unknown } {
  return typeof value === 'object' && value !== null && 'value' in value;
}

/** Trimmed string without NULs; null when empty or not text-like. */
function text(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return null;
  // eslint-disable-next-line no-control-regex -- NULs pad fixed-size EXIF strings
  const cleaned = value.replace(/\u0000/g, '').trim();
  return cleaned.length > 0 ? cleaned : null;
}

function firstNumber(value: unknown): number | null {
  if (typeof value === 'number') return value;
  if (Array.isArray(value) || ArrayBuffer.isView(value)) {
    const first: unknown = (value as ArrayLike<unknown>)[0];
    return typeof first === 'number' ? first : null;
  }
  return null;
}

function finite(value: unknown): number | null {
  const n = firstNumber(value);
  return n !== null && Number.isFinite(n) ? n : null;
}

function positive(value: unknown): number | null {
  const n = finite(value);
  return n !== null && n > 0 ? n : null;
}

function integerIn(value: unknown, min: number, max: number): number | null {
  const n = finite(value);
  return n !== null && Number.isInteger(n) && n >= min && n <= max ? n : null;
}
