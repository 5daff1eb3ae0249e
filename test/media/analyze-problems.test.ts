import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeFile, FileUnreadableError } from '../../src/media/analyze-file.js';
import {
  ANALYZE_OPTIONS,
  CAMERA_EXIF,
  makeTempDir,
  rng,
  scenePng,
  sha256Of,
  writeFixture,
} from './fixtures.js';

let tmp: Awaited<ReturnType<typeof makeTempDir>>;
let scene: Buffer; // 1600×1200 lossless source
let jpegPath: string;

beforeAll(async () => {
  tmp = await makeTempDir();
  scene = await scenePng(13, 1600, 1200);
  const camera = await sharp(scene).jpeg({ quality: 90 }).withExif(CAMERA_EXIF).toBuffer();
  jpegPath = await writeFixture(tmp.path('IMG_0001.JPG'), camera);
}, 60_000);

afterAll(async () => {
  await tmp.cleanup();
});

describe('damaged files', () => {
  it('flags a JPEG cut in half as truncated but still makes a thumbnail', async () => {
    const whole = await readFile(jpegPath);
    const path = await writeFixture(tmp.path('cut.jpg'), whole.subarray(0, whole.length >> 1));
    const result = await analyzeFile(path, ANALYZE_OPTIONS);
    expect(result.kind).toBe('jpeg');
    expect(result.quality?.integrity).toBe('truncated');
    expect(result.problem?.code).toBe('corrupted');
    expect(result.problem?.message).toMatch(/truncated/i);
    expect(result.thumbnail).not.toBeNull();
    expect(result.metadata.make).toBe('TestCam');
  });

  it('flags damaged entropy-coded data as corrupted', async () => {
    const bytes = Buffer.from(await readFile(jpegPath));
    const random = rng(5);
    for (const at of [0.35, 0.55, 0.75]) {
      const offset = Math.floor(bytes.length * at);
      for (let i = 0; i < 256; i++) bytes[offset + i] = Math.floor(random() * 256);
    }
    const result = await analyzeFile(await writeFixture(tmp.path('damaged.jpg'), bytes), ANALYZE_OPTIONS);
    expect(result.quality?.integrity).toBe('corrupted');
    expect(result.problem?.code).toBe('corrupted');
    expect(result.problem?.message).toMatch(/damaged/);
    expect(result.thumbnail).not.toBeNull();
  });

  it('flags a truncated PNG', async () => {
    const png = await sharp(scene).resize(800, 600).png().toBuffer();
    const result = await analyzeFile(
      await writeFixture(tmp.path('cut.png'), png.subarray(0, png.length >> 1)),
      ANALYZE_OPTIONS,
    );
    expect(result.kind).toBe('png');
    expect(result.problem?.code).toBe('corrupted');
    expect(result.quality?.integrity).toBe('truncated');
  });

  it('tells damaged PNG data from a truncated file', async () => {
    const png = Buffer.from(await sharp(scene).resize(800, 600).png().toBuffer());
    png.fill(0x5a, png.length >> 1, (png.length >> 1) + 200);
    const result = await analyzeFile(await writeFixture(tmp.path('damaged.png'), png), ANALYZE_OPTIONS);
    expect(result.problem?.code).toBe('corrupted');
    expect(result.quality?.integrity).toBe('corrupted');
  });

  it('keeps kind and hash when nothing can be decoded', async () => {
    const path = await writeFixture(
      tmp.path('header-only.jpg'),
      Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(3000)]),
    );
    const result = await analyzeFile(path, ANALYZE_OPTIONS);
    expect(result).toMatchObject({ kind: 'jpeg', thumbnail: null, phash: null, quality: null });
    expect(result.problem?.code).toBe('corrupted');
    expect(result.sha256).toBe(await sha256Of(path));
  });
});

describe('sidecars and videos', () => {
  it('reads an XMP sidecar without making a thumbnail', async () => {
    const xmp = `\ufeff<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:GCamera="http://ns.google.com/photos/1.0/camera/" xmp:Rating="5" GCamera:BurstID="burst-42">
<dc:description><rdf:Alt><rdf:li xml:lang="x-default">Sunset</rdf:li></rdf:Alt></dc:description>
</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>`;
    const result = await analyzeFile(await writeFixture(tmp.path('IMG_0001.xmp'), xmp), ANALYZE_OPTIONS);
    expect(result).toMatchObject({ kind: 'xmp', thumbnail: null, phash: null, problem: null });
    expect(result.metadata).toMatchObject({ rating: 5, description: 'Sunset', burstId: 'burst-42' });
  });

  it('says video thumbnails need ffmpeg when it is not configured', async () => {
    const mp4Head = Buffer.concat([
      Buffer.from('00000018667479706d703432000000006d70343269736f6d', 'hex'),
      randomBytes(4096),
    ]);
    const result = await analyzeFile(await writeFixture(tmp.path('clip.mp4'), mp4Head), ANALYZE_OPTIONS);
    expect(result).toMatchObject({ kind: 'video', mime: 'video/mp4', thumbnail: null });
    expect(result.problem).toEqual({
      code: 'needs-ffmpeg',
      message: 'Video thumbnails need ffmpeg: install ffmpeg (e.g. apt-get install ffmpeg) and rescan',
    });
    expect(result.sha256).toBe(createHash('sha256').update(mp4Head).digest('hex'));
  });
});

describe('unreadable files', () => {
  it('throws FileUnreadableError for a missing file', async () => {
    const missing = tmp.path('gone.jpg');
    await expect(analyzeFile(missing, ANALYZE_OPTIONS)).rejects.toMatchObject({
      name: 'FileUnreadableError',
      code: 'ENOENT',
      path: missing,
    });
  });

  it('throws FileUnreadableError for a directory', async () => {
    const dir = tmp.path('folder.jpg');
    await mkdir(dir);
    const error: unknown = await analyzeFile(dir, ANALYZE_OPTIONS).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileUnreadableError);
    expect(error).toMatchObject({
      code: 'EISDIR',
      message: `Cannot read ${dir}: it is a directory, not a file`,
    });
  });

  it('refuses a named pipe at once instead of waiting for a writer', async () => {
    const fifo = tmp.path('pipe.jpg');
    execFileSync('mkfifo', [fifo]);
    await expect(analyzeFile(fifo, ANALYZE_OPTIONS)).rejects.toMatchObject({
      code: 'ENOTFILE',
      message: `Cannot read ${fifo}: it is not a regular file (a device, socket or pipe)`,
    });
  });

  const isRoot = process.getuid?.() === 0;
  if (isRoot) console.log('Skipping the EACCES test: running as root, which can read any file.');
  it.skipIf(isRoot)('throws FileUnreadableError with a permissions hint for an unreadable file', async () => {
    const path = await writeFixture(tmp.path('secret.jpg'), 'x');
    await chmod(path, 0o000);
    await expect(analyzeFile(path, ANALYZE_OPTIONS)).rejects.toMatchObject({
      code: 'EACCES',
      message: `Cannot read ${path}: permission denied — check the file's permissions`,
    });
  });
});
