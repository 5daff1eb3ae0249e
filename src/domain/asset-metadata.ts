/**
 * Descriptive metadata of one asset, as read from EXIF/XMP/QuickTime tags.
 * Every field is optional because real files omit any of them.
 */
export interface AssetMetadata {
  /** Wall-clock capture time as the camera wrote it, `YYYY-MM-DDTHH:mm:ss.SSS` (sub-seconds kept). */
  captureLocal: string | null;
  /** Offset of that wall clock from UTC in minutes, when the file says it (OffsetTimeOriginal, GPS time, QuickTime). */
  captureOffsetMinutes: number | null;
  /** The instant of capture. When the offset is unknown the wall clock is read as UTC; see captureOffsetMinutes. */
  capturedAt: Date | null;
  make: string | null;
  model: string | null;
  bodySerial: string | null;
  lens: string | null;
  /** Seconds, e.g. 0.004 for 1/250. */
  exposureTime: number | null;
  fNumber: number | null;
  iso: number | null;
  focalLength: number | null;
  /** Camera burst / sequence group id (e.g. Apple BurstUUID, Sony/Canon sequence ids) where present. */
  burstId: string | null;
  /** Frame position inside a burst/sequence where present. */
  sequenceNumber: number | null;
  /** Apple content identifier tying a Live Photo still to its video. */
  contentIdentifier: string | null;
  gpsLatitude: number | null;
  gpsLongitude: number | null;
  gpsAltitude: number | null;
  /** EXIF orientation 1..8 as stored (the thumbnail/signature are already upright). */
  orientation: number | null;
  /** Display width/height, after orientation is applied. */
  width: number | null;
  height: number | null;
  rating: number | null;
  description: string | null;
  /** Video duration in seconds. */
  durationSeconds: number | null;
}

export const emptyMetadata = (): AssetMetadata => ({
  captureLocal: null,
  captureOffsetMinutes: null,
  capturedAt: null,
  make: null,
  model: null,
  bodySerial: null,
  lens: null,
  exposureTime: null,
  fNumber: null,
  iso: null,
  focalLength: null,
  burstId: null,
  sequenceNumber: null,
  contentIdentifier: null,
  gpsLatitude: null,
  gpsLongitude: null,
  gpsAltitude: null,
  orientation: null,
  width: null,
  height: null,
  rating: null,
  description: null,
  durationSeconds: null,
});
