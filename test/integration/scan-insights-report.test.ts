import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanReport } from '../../src/report/scan-report.js';
import { runCli } from '../support/cli-process.js';
import { scene, writeFileDeep } from '../support/images.js';
import { makeTempDir } from '../support/test-app.js';

const exif = (time: string, subSec?: string) => ({
  IFD0: { Make: 'NIKON', Model: 'Z 6' },
  IFD2: { DateTimeOriginal: time, ...(subSec ? { SubSecTimeOriginal: subSec } : {}) },
});

describe('photo-sync scan report: versions, bursts, quality, suggestions', () => {
  let root: string;
  let doc: ScanReport;
  const rel = (p: string) => path.relative(root, p);

  beforeAll(async () => {
    root = await makeTempDir('scan-insights');
    const picture = await scene(8, 1600, 1200).png().toBuffer();
    // One shot as JPEG + TIFF (same folder, same base name, same time), and an export of it elsewhere.
    const jpeg = await sharp(picture).jpeg({ quality: 90 }).withExif(exif('2024:03:10 09:00:00')).toBuffer();
    await writeFileDeep(path.join(root, 'DCIM/DSC_0001.JPG'), jpeg);
    await writeFileDeep(
      path.join(root, 'DCIM/dsc_0001.tif'),
      await sharp(picture).tiff().withExif(exif('2024:03:10 09:00:01')).toBuffer(),
    );
    await writeFileDeep(
      path.join(root, 'Export/DSC_0001.jpg'),
      await sharp(jpeg).resize(1000).jpeg({ quality: 75 }).toBuffer(),
    );
    // A three-frame burst, the middle frame sharp.
    for (let i = 0; i < 3; i++) {
      let frame = sharp(await scene(9, 1620, 1220).png().toBuffer()).extract({
        left: 5 + i * 5,
        top: 10,
        width: 1600,
        height: 1200,
      });
      if (i !== 1) frame = frame.blur(3);
      await writeFileDeep(
        path.join(root, `DCIM/DSC_00${10 + i}.JPG`),
        await frame
          .jpeg({ quality: 90 })
          .withExif(exif('2024:03:10 09:05:00', `${i * 4}0`))
          .toBuffer(),
      );
    }
    await writeFileDeep(
      path.join(root, 'DCIM/DSC_0020.JPG'),
      await scene(10, 1600, 1200).linear(0.04, 0).jpeg().withExif(exif('2024:03:10 09:30:00')).toBuffer(),
    );
    // Bad EXIF from a camera with a reset clock and no GPS fix: 1970 times 0.5 s apart, GPS (0, 0).
    for (let i = 0; i < 4; i++)
      await writeFileDeep(
        path.join(root, `Reset/DSC_09${i}.JPG`),
        await scene(30 + i, 800, 600)
          .jpeg()
          .withExif({
            IFD0: { Make: 'NIKON', Model: 'Z 6' },
            IFD2: { DateTimeOriginal: `1970:01:01 00:00:0${i}`, SubSecTimeOriginal: '50' },
            IFD3: {
              GPSLatitudeRef: 'N',
              GPSLatitude: '0/1 0/1 0/1',
              GPSLongitudeRef: 'E',
              GPSLongitude: '0/1 0/1 0/1',
            },
          })
          .toBuffer(),
      );
    const out = path.join(root, '..', `${path.basename(root)}-report.json`);
    const r = await runCli(['scan', root, '--report', out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/Version stacks: 1; bursts: 1; low-quality photos: 3; album suggestions: \d+\./);
    doc = JSON.parse(await fs.readFile(out, 'utf8')) as ScanReport;
    await fs.rm(out);
  });

  afterAll(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  it('is format version 2 and counts the insights in the summary', () => {
    expect(doc.version).toBe(2);
    expect(doc.summary).toMatchObject({ versionStacks: 1, bursts: 1, lowQuality: 3 });
    expect(doc.summary.suggestions).toBe(doc.suggestions.length);
  });

  it('stacks the JPEG and TIFF of one shot with the JPEG as primary, and keeps the TIFF out of duplicate groups', () => {
    expect(doc.versions).toEqual([
      {
        primary: path.join(root, 'DCIM/DSC_0001.JPG'),
        reasons: ['same-name'],
        members: [
          { path: path.join(root, 'DCIM/DSC_0001.JPG'), format: 'jpeg', primary: true },
          { path: path.join(root, 'DCIM/dsc_0001.tif'), format: 'tiff', primary: false },
        ],
      },
    ]);
    const grouped = [...doc.near, ...doc.similar].flatMap((g) => g.members.map((m) => rel(m.path)));
    expect(grouped).toContain('Export/DSC_0001.jpg');
    expect(grouped).toContain('DCIM/DSC_0001.JPG');
    expect(grouped).not.toContain('DCIM/dsc_0001.tif');
  });

  it('lists the burst frames and recommends the sharp one', () => {
    expect(doc.bursts).toHaveLength(1);
    expect(doc.bursts[0]?.frames.map((f) => rel(f.path))).toEqual([
      'DCIM/DSC_0010.JPG',
      'DCIM/DSC_0011.JPG',
      'DCIM/DSC_0012.JPG',
    ]);
    expect(rel(doc.bursts[0]?.recommended ?? '')).toBe('DCIM/DSC_0011.JPG');
  });

  it('flags the blurred frames and the dark photo with score and label, and suggests the morning as an event', () => {
    expect(doc.quality.map((q) => ({ path: rel(q.path), labels: q.labels }))).toEqual([
      { path: 'DCIM/DSC_0010.JPG', labels: ['very blurry'] },
      { path: 'DCIM/DSC_0012.JPG', labels: ['very blurry'] },
      { path: 'DCIM/DSC_0020.JPG', labels: ['too dark'] },
    ]);
    expect(doc.quality.every((q) => q.score <= 30)).toBe(true);
    const event = doc.suggestions.find((s) => s.kind === 'event');
    expect(event?.name).toBe('10 Mar 2024');
    expect(event?.paths.map(rel)).not.toContain('DCIM/dsc_0001.tif');
  });

  it('builds no burst, event or place from a reset clock and a (0, 0) GPS fix', () => {
    const used = [
      ...doc.bursts.flatMap((b) => b.frames.map((f) => f.path)),
      ...doc.suggestions.flatMap((s) => s.paths),
    ].map(rel);
    expect(used.filter((p) => p.startsWith('Reset/'))).toEqual([]);
    expect(doc.suggestions.filter((s) => s.kind === 'place')).toEqual([]);
  });
});
