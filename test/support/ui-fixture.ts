import path from 'node:path';
import type { Page } from 'playwright-core';
import { makeJpeg, scene, writeFileDeep } from './images.js';

/**
 * A small library that exercises every view of the web app: an 8-frame burst (one camera body,
 * one folder, a second apart, sharper and blurrier frames), a photo and its edited version, a
 * day out in Rome (an event suggestion), an exact copy (a duplicate), a dark photo (low quality),
 * two photos a month over two older years (more months than the first screens load), and
 * optionally a short video.
 */
export const BURST_FRAMES = 8;
export const CAMERA = { make: 'Canon', model: 'Canon EOS 80D' };

async function burstFrame(i: number): Promise<Buffer> {
  // Frames of one scene, a few pixels apart, some shaken (blurred) more than others.
  const sigma = [0.3, 2.5, 0.8, 4, 1.5, 0.3, 3, 6][i] ?? 1;
  return scene(500, 820, 615)
    .extract({ left: i * 2, top: i, width: 800, height: 600 })
    .blur(sigma)
    .jpeg({ quality: 90 })
    .withExif({
      IFD0: { Make: CAMERA.make, Model: CAMERA.model },
      IFD2: { DateTimeOriginal: `2025:07:14 10:00:0${i}` },
    })
    .toBuffer();
}

export async function writeUiLibrary(root: string, video?: Buffer): Promise<void> {
  for (let i = 0; i < BURST_FRAMES; i++)
    await writeFileDeep(path.join(root, `burst/IMG_${1001 + i}.JPG`), await burstFrame(i));
  const camera = { make: CAMERA.make, model: CAMERA.model };
  const original = await makeJpeg({
    seed: 42,
    width: 1200,
    height: 800,
    dateTimeOriginal: '2025:06:20 18:00:00',
    ...camera,
  });
  await writeFileDeep(path.join(root, 'edits/IMG_2001.JPG'), original);
  await writeFileDeep(
    path.join(root, 'edits/IMG_2001-edited.jpg'),
    await scene(42, 1200, 800)
      .modulate({ brightness: 1.15, saturation: 1.3 })
      .jpeg({ quality: 85 })
      .withExif({
        IFD0: camera,
        IFD2: { DateTimeOriginal: '2025:06:20 18:00:00' },
      })
      .toBuffer(),
  );
  for (let i = 0; i < 4; i++)
    await writeFileDeep(
      path.join(root, `2025-06 Rome/DSC_30${i}.JPG`),
      await makeJpeg({
        seed: 700 + i,
        width: 1000,
        height: 750,
        dateTimeOriginal: `2025:06:10 ${10 + i}:15:00`,
        make: 'NIKON CORPORATION',
        model: 'NIKON D750',
      }),
    );
  await writeFileDeep(
    path.join(root, 'backup/DSC_300 copy.JPG'),
    await makeJpeg({
      seed: 700,
      width: 1000,
      height: 750,
      dateTimeOriginal: '2025:06:10 10:15:00',
      make: 'NIKON CORPORATION',
      model: 'NIKON D750',
    }),
  );
  await writeFileDeep(
    path.join(root, 'misc/dark.jpg'),
    await scene(77, 900, 600)
      .linear(0.06, 0)
      .jpeg()
      .withExif({ IFD2: { DateTimeOriginal: '2025:05:02 21:00:00' } })
      .toBuffer(),
  );
  let seed = 900;
  for (let year = 2022; year <= 2023; year++)
    for (let month = 1; month <= 12; month++) {
      const mm = String(month).padStart(2, '0');
      for (const day of ['05', '20'])
        await writeFileDeep(
          path.join(root, `${year}/M${year}-${mm}-${day}.jpg`),
          await makeJpeg({
            seed: seed++,
            width: 320,
            height: 240,
            dateTimeOriginal: `${year}:${mm}:${day} 12:00:00`,
          }),
        );
    }
  if (video) await writeFileDeep(path.join(root, 'video/clip.webm'), video);
}

/**
 * A real two-second WebM (VP8) recorded by the browser itself from an animated canvas: the test
 * machine has no ffmpeg to make one, and Chromium can play what it records.
 */
export async function recordWebm(page: Page): Promise<Buffer> {
  await page.goto('about:blank');
  // A string, so the test sources need no DOM types.
  const base64 = await page.evaluate<string>(`(async () => {
    const canvas = document.createElement('canvas');
    canvas.width = 320;
    canvas.height = 240;
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2d canvas');
    const stream = canvas.captureStream(25);
    const recorder = new MediaRecorder(stream, { mimeType: 'video/webm;codecs=vp8' });
    const chunks = [];
    recorder.ondataavailable = (e) => chunks.push(e.data);
    const stopped = new Promise((r) => (recorder.onstop = r));
    recorder.start(200);
    const t0 = performance.now();
    await new Promise((resolve) => {
      const draw = () => {
        const t = performance.now() - t0;
        ctx.fillStyle = 'hsl(' + ((t / 10) % 360) + ',70%,50%)';
        ctx.fillRect(0, 0, 320, 240);
        ctx.fillStyle = '#fff';
        ctx.fillRect((t / 10) % 300, 100, 20, 40);
        if (t < 2000) requestAnimationFrame(draw);
        else resolve();
      };
      draw();
    });
    recorder.stop();
    await stopped;
    const bytes = new Uint8Array(await new Blob(chunks, { type: 'video/webm' }).arrayBuffer());
    let s = '';
    for (const b of bytes) s += String.fromCharCode(b);
    return btoa(s);
  })()`);
  return Buffer.from(base64, 'base64');
}
