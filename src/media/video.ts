import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { emptyMetadata, type AssetMetadata } from '../domain/asset-metadata.js';
import { parseCaptureTime } from '../domain/capture-time.js';
import { isRecord } from './read-tags.js';

const run = promisify(execFile);
const PROBE_TIMEOUT_MS = 30_000;
const POSTER_TIMEOUT_MS = 60_000;
const POSTER_MAX_BYTES = 64 * 1024 * 1024;
/** Poster frame at 1 s, or 10% into clips shorter than 10 s (the first frame is often black). */
const POSTER_AT_SECONDS = 1;
/** ffmpeg already downsizes the frame so the PNG pipe stays small; the working raster is far smaller. */
const POSTER_SCALE = "scale='min(1280,iw)':'min(1280,ih)':force_original_aspect_ratio=decrease";

/** Reads duration, display size, capture time, GPS and Apple ids with ffprobe. Throws if ffprobe fails. */
export async function probeVideo(absPath: string, ffprobePath: string, now: Date): Promise<AssetMetadata> {
  const { stdout } = await run(
    ffprobePath,
    ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', absPath],
    { timeout: PROBE_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 },
  );
  const parsed: unknown = JSON.parse(stdout);
  return videoMetadataFromProbe(isRecord(parsed) ? parsed : {}, now);
}

/** Maps ffprobe's JSON (`-show_format -show_streams`) to AssetMetadata. Pure, exported for tests. */
export function videoMetadataFromProbe(probe: Record<string, unknown>, now: Date): AssetMetadata {
  const m = emptyMetadata();
  const format = isRecord(probe.format) ? probe.format : {};
  const streams = Array.isArray(probe.streams) ? probe.streams.filter(isRecord) : [];
  const video = streams.find((s) => s.codec_type === 'video' && !isAttachedPicture(s));
  const tags = { ...stringTags(video?.tags), ...stringTags(format.tags) };

  const duration = Number(format.duration ?? video?.duration);
  m.durationSeconds = Number.isFinite(duration) && duration > 0 ? duration : null;

  const width = Number(video?.width);
  const height = Number(video?.height);
  if (width > 0 && height > 0) {
    const quarterTurn = Math.abs(rotationOf(video ?? {})) % 180 === 90;
    m.width = quarterTurn ? height : width;
    m.height = quarterTurn ? width : height;
  }

  const appleDate = tags['com.apple.quicktime.creationdate'];
  Object.assign(m, parseCaptureTime({ dateTime: appleDate ?? tags.creation_time ?? null }, now));
  m.make = tags['com.apple.quicktime.make'] ?? tags.make ?? null;
  m.model = tags['com.apple.quicktime.model'] ?? tags.model ?? null;
  m.contentIdentifier = tags['com.apple.quicktime.content.identifier'] ?? null;

  const location = parseIso6709(tags['com.apple.quicktime.location.ISO6709'] ?? tags.location ?? null);
  if (location) {
    m.gpsLatitude = location.latitude;
    m.gpsLongitude = location.longitude;
    m.gpsAltitude = location.altitude;
  }
  return m;
}

/** Extracts one upright frame as PNG bytes (ffmpeg applies the display rotation itself). */
export async function extractPosterFrame(
  absPath: string,
  ffmpegPath: string,
  durationSeconds: number | null,
): Promise<Buffer> {
  const at = durationSeconds ? Math.min(POSTER_AT_SECONDS, durationSeconds * 0.1) : 0;
  const { stdout } = await run(
    ffmpegPath,
    ['-v', 'error', '-nostdin', '-ss', at.toFixed(3), '-i', absPath, '-frames:v', '1', '-an', '-sn', '-vf', POSTER_SCALE,
      '-f', 'image2pipe', '-c:v', 'png', 'pipe:1'], // prettier-ignore
    { encoding: 'buffer', timeout: POSTER_TIMEOUT_MS, maxBuffer: POSTER_MAX_BYTES },
  );
  if (stdout.length === 0) throw new Error('ffmpeg produced no frame');
  return stdout;
}

/** `+37.7858-122.4064+012.000/` → degrees and metres; null for missing or 0,0 fixes. */
export function parseIso6709(
  text: string | null,
): { latitude: number; longitude: number; altitude: number | null } | null {
  const m = text ? /^([+-]\d+(?:\.\d+)?)([+-]\d+(?:\.\d+)?)([+-]\d+(?:\.\d+)?)?/.exec(text.trim()) : null;
  if (!m) return null;
  const latitude = Number(m[1]);
  const longitude = Number(m[2]);
  if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180 || (latitude === 0 && longitude === 0))
    return null;
  return { latitude, longitude, altitude: m[3] === undefined ? null : Number(m[3]) };
}

function rotationOf(stream: Record<string, unknown>): number {
  const fromTag = Number(stringTags(stream.tags).rotate);
  if (Number.isFinite(fromTag) && fromTag !== 0) return fromTag;
  const sideData = Array.isArray(stream.side_data_list) ? stream.side_data_list.filter(isRecord) : [];
  const rotation = Number(sideData.find((d) => typeof d.rotation === 'number')?.rotation ?? 0);
  return Number.isFinite(rotation) ? rotation : 0;
}

function isAttachedPicture(stream: Record<string, unknown>): boolean {
  return isRecord(stream.disposition) && stream.disposition.attached_pic === 1;
}

function stringTags(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  const out: Record<string, string> = {};
  for (const [key, tag] of Object.entries(value))
    if (typeof tag === 'string' && tag.trim()) out[key] = tag.trim();
  return out;
}
