import sharp from 'sharp';
import type { FakeImmich } from './fake-immich.js';
import { makeJpeg } from './images.js';
import type { TestApp } from './test-app.js';

/**
 * An original from a Canon body and a brightened export of it, both uploaded to the fake Immich:
 * the pair every write-back suite needs as a version stack. Returns their Immich ids.
 */
export async function addVersionPair(
  immich: FakeImmich,
  seed: number,
  dateTimeOriginal: string,
  originalPath: string,
  editPath: string,
): Promise<{ base: string; edit: string }> {
  const original = await makeJpeg({ seed, dateTimeOriginal, make: 'Canon', model: 'EOS R6' });
  const edited = await sharp(original).modulate({ brightness: 1.08 }).jpeg().toBuffer();
  return {
    base: (await immich.addPhoto(original, originalPath)).id,
    edit: (await immich.addPhoto(edited, editPath)).id,
  };
}

/** Connects the fake Immich as a library of the app's admin and waits for its first sync and analysis. */
export async function connectImmichLibrary(t: TestApp, immich: FakeImmich): Promise<string> {
  const res = await t.request<{ id: string }>('POST', '/api/libraries/immich', {
    body: { url: immich.url, apiKey: immich.apiKey },
  });
  if (res.status !== 201) throw new Error(`connecting the fake Immich answered ${res.status}`);
  await t.app.queue.whenIdle();
  return res.body.id;
}
