import path from 'node:path';
import { expect } from 'vitest';
import { makeJpeg, writeFileDeep } from './images.js';
import { makeTempDir, type TestApp, type TestUser } from './test-app.js';

/** A 640×480 camera JPEG taken at `when` (EXIF date format). */
export const timelineShot = (seed: number, when: string, extra: { orientation?: number } = {}) =>
  makeJpeg({ seed, width: 640, height: 480, dateTimeOriginal: when, ...extra });

/**
 * For the timeline's access checks: Olga's own library of two photos (June 2024, January 2022), and
 * a user who sees no library at all. The folder is added to `roots` for the caller to remove.
 */
export async function othersLibrary(
  t: TestApp,
  tempPrefix: string,
  roots: string[],
): Promise<{ olga: TestUser; stranger: TestUser; olgasLibrary: string }> {
  const olga = await t.createUser('olga@example.com');
  const stranger = await t.createUser('stan@example.com');
  const theirs = await makeTempDir(tempPrefix);
  roots.push(theirs);
  await writeFileDeep(path.join(theirs, 'a.jpg'), await timelineShot(6, '2024:06:05 08:00:00'));
  await writeFileDeep(path.join(theirs, 'b.jpg'), await timelineShot(7, '2022:01:01 12:00:00'));
  const created = await t.request<{ id: string }>('POST', '/api/libraries', {
    as: olga,
    body: { roots: [theirs] },
  });
  expect(created.status).toBe(201);
  await t.app.queue.whenIdle();
  return { olga, stranger, olgasLibrary: created.body.id };
}
