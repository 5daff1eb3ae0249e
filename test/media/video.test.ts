import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeFile } from '../../src/media/analyze-file.js';
import type { AnalyzeOptions } from '../../src/media/media-analysis.js';
import { parseIso6709, videoMetadataFromProbe } from '../../src/media/video.js';
import { makeTempDir, writeFixture } from './fixtures.js';

const NOW = new Date('2025-01-01T00:00:00Z');

function findTool(name: string): string | null {
  try {
    return execFileSync('which', [name], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}
const ffmpeg = findTool('ffmpeg');
const ffprobe = findTool('ffprobe');
const haveFfmpeg = ffmpeg !== null && ffprobe !== null;
if (!haveFfmpeg)
  console.log('Skipping real-video tests: ffmpeg/ffprobe not on PATH (apt-get install ffmpeg).');

describe('videoMetadataFromProbe', () => {
  it('maps duration, rotated display size, Apple creation date, content id and location', () => {
    const m = videoMetadataFromProbe(
      {
        format: {
          duration: '3.480000',
          tags: {
            creation_time: '2021-05-06T07:08:09.000000Z',
            'com.apple.quicktime.creationdate': '2021-05-06T09:08:09+0200',
            'com.apple.quicktime.content.identifier': 'F0B2-11',
            'com.apple.quicktime.location.ISO6709': '+48.8584+002.2945+035.000/',
            'com.apple.quicktime.make': 'Apple',
            'com.apple.quicktime.model': 'iPhone 12',
          },
        },
        streams: [
          { codec_type: 'audio' },
          {
            codec_type: 'video',
            width: 1920,
            height: 1080,
            side_data_list: [{ side_data_type: 'Display Matrix', rotation: -90 }],
          },
        ],
      },
      NOW,
    );
    expect(m).toMatchObject({
      durationSeconds: 3.48,
      width: 1080,
      height: 1920,
      captureLocal: '2021-05-06T09:08:09.000',
      captureOffsetMinutes: 120,
      contentIdentifier: 'F0B2-11',
      make: 'Apple',
      model: 'iPhone 12',
      gpsLatitude: 48.8584,
      gpsLongitude: 2.2945,
      gpsAltitude: 35,
    });
    expect(m.capturedAt?.toISOString()).toBe('2021-05-06T07:08:09.000Z');
  });

  it('falls back to the UTC creation_time and the legacy rotate tag, and skips cover art streams', () => {
    const m = videoMetadataFromProbe(
      {
        format: { tags: { creation_time: '2019-01-02T03:04:05.000000Z' } },
        streams: [
          { codec_type: 'video', width: 600, height: 600, disposition: { attached_pic: 1 } },
          { codec_type: 'video', width: 640, height: 480, tags: { rotate: '270' } },
        ],
      },
      NOW,
    );
    expect(m).toMatchObject({
      width: 480,
      height: 640,
      captureLocal: '2019-01-02T03:04:05.000',
      captureOffsetMinutes: 0,
    });
    expect(m.durationSeconds).toBeNull();
  });

  it('tolerates an empty probe', () => {
    expect(videoMetadataFromProbe({}, NOW).width).toBeNull();
  });
});

describe('parseIso6709', () => {
  it.each([
    ['+37.7858-122.4064+012.000/', { latitude: 37.7858, longitude: -122.4064, altitude: 12 }],
    ['-33.8650+151.2094/', { latitude: -33.865, longitude: 151.2094, altitude: null }],
    ['+00.0000+000.0000/', null],
    ['+95.0000+000.0000/', null],
    ['nowhere', null],
    [null, null],
  ])('%s', (text, expected) => {
    expect(parseIso6709(text)).toEqual(expected);
  });
});

describe.skipIf(!haveFfmpeg)('real videos through ffprobe and ffmpeg', () => {
  const run = promisify(execFile);
  let tmp: Awaited<ReturnType<typeof makeTempDir>>;
  let opts: AnalyzeOptions;

  beforeAll(async () => {
    tmp = await makeTempDir();
    opts = { thumbnailSize: 250, ffprobePath: ffprobe, ffmpegPath: ffmpeg };
  });

  afterAll(async () => {
    await tmp.cleanup();
  });

  const testClip = async (name: string, extra: string[]): Promise<string> => {
    const path = tmp.path(name);
    const source = [
      '-f',
      'lavfi',
      '-i',
      'testsrc=duration=2:size=640x480:rate=10',
      '-c:v',
      'libx264',
      '-pix_fmt',
      'yuv420p',
    ];
    await run(ffmpeg!, ['-v', 'error', '-y', ...source, ...extra, path]);
    return path;
  };

  it('reads QuickTime metadata and makes a poster-frame thumbnail', async () => {
    const path = await testClip('IMG_0001.MOV', [
      '-movflags', 'use_metadata_tags',
      '-metadata', 'com.apple.quicktime.content.identifier=ABC-123',
      '-metadata', 'com.apple.quicktime.creationdate=2021-05-06T09:08:09+0200',
      '-metadata', 'location=+37.7858-122.4064+012.000/',
    ]); // prettier-ignore
    const result = await analyzeFile(path, opts);
    expect(result).toMatchObject({ kind: 'video', mime: 'video/quicktime', problem: null });
    expect(result.metadata).toMatchObject({
      width: 640,
      height: 480,
      contentIdentifier: 'ABC-123',
      captureLocal: '2021-05-06T09:08:09.000',
      captureOffsetMinutes: 120,
      gpsLatitude: 37.7858,
      gpsLongitude: -122.4064,
    });
    expect(result.metadata.durationSeconds).toBeCloseTo(2, 1);
    const thumb = await sharp(result.thumbnail!).metadata();
    expect([thumb.width, thumb.height, thumb.format]).toEqual([333, 250, 'webp']);
    expect(result.phash).toMatch(/^[0-9a-f]{16}$/);
    expect(result.quality?.integrity).toBe('ok');
  }, 30_000);

  it('shows rotated phone videos upright', async () => {
    const path = await testClip('portrait.mp4', []);
    // Write a 90° display matrix into the track header, as phones do for portrait clips.
    const bytes = await readFile(path);
    const tkhd = bytes.indexOf('tkhd') + 4;
    const matrix = tkhd + (bytes[tkhd] === 1 ? 52 : 40);
    [0, 0x10000, 0, -0x10000, 0, 0, 0, 0, 0x40000000].forEach((v, i) =>
      bytes.writeInt32BE(v, matrix + 4 * i),
    );
    await writeFile(path, bytes);
    const result = await analyzeFile(path, opts);
    expect(result.metadata).toMatchObject({ width: 480, height: 640 });
    const thumb = await sharp(result.thumbnail!).metadata();
    expect([thumb.width, thumb.height]).toEqual([250, 333]);
  }, 30_000);

  it('reports an undecodable video as corrupted instead of throwing', async () => {
    const junk = Buffer.concat([
      Buffer.from('00000018667479706d703432000000006d70343269736f6d', 'hex'),
      randomBytes(20_000),
    ]);
    const result = await analyzeFile(await writeFixture(tmp.path('broken.mp4'), junk), opts);
    expect(result).toMatchObject({ kind: 'video', thumbnail: null });
    expect(result.problem?.code).toBe('corrupted');
    expect(result.problem?.message).toMatch(/video may be damaged/);
  }, 30_000);
});
