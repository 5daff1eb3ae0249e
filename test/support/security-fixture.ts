import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import type { Page } from './api-types.js';
import { makeJpeg, scene, writeFileDeep } from './images.js';
import { makeTempDir, startTestApp, type TestApp, type TestUser } from './test-app.js';

/**
 * An app with one library owned by the admin holding an exact-duplicate pair (one copy already in
 * the trash), a viewer (bob), an editor (erin), a stranger (carol) and an API key: one real id for
 * every kind of path parameter, for the route-table and security tests.
 */
export interface SecurityFixture {
  t: TestApp;
  root: string;
  viewer: TestUser;
  editor: TestUser;
  stranger: TestUser;
  ids: {
    library: string;
    asset: string;
    keeper: string;
    group: string;
    job: string;
    trash: string;
    apiKey: string;
    version: string;
    versionMember: string;
    burst: string;
    suggestion: string;
    album: string;
  };
  stop(): Promise<void>;
}

export async function startSecurityFixture(env: Record<string, string> = {}): Promise<SecurityFixture> {
  const root = await makeTempDir('sec');
  const picture = await makeJpeg({ seed: 77, width: 800, height: 600 });
  await writeFileDeep(path.join(root, 'Albums/IMG_1.JPG'), picture);
  await writeFileDeep(path.join(root, 'Downloads/IMG_1.JPG'), picture);
  await writeFileDeep(path.join(root, 'Downloads/IMG_1 copy.JPG'), picture);
  await writeInsightSubjects(root);
  const t = await startTestApp({ libraryRoots: [root], env });
  await t.app.queue.whenIdle();
  const library = (await t.get<Page<{ id: string }>>('/api/libraries')).body.items[0]!.id;
  const viewer = await t.createUser('bob@example.com');
  const editor = await t.createUser('erin@example.com');
  const stranger = await t.createUser('carol@example.com');
  await t.request('PUT', `/api/libraries/${library}/shares/${viewer.id}`, { body: { role: 'viewer' } });
  await t.request('PUT', `/api/libraries/${library}/shares/${editor.id}`, { body: { role: 'editor' } });

  const firstGroupId = (await t.get<Page<{ id: string }>>('/api/duplicates?kind=exact')).body.items[0]!.id;
  const first = (
    await t.get<{ keeperAssetId: string; members: { asset: { id: string; path: string } }[] }>(
      `/api/duplicates/${firstGroupId}`,
    )
  ).body;
  const others = first.members.map((m) => m.asset).filter((a) => a.id !== first.keeperAssetId);
  const trashed = others.find((a) => a.path.endsWith('copy.JPG'))!;
  const asset = others.find((a) => a.id !== trashed.id)!;
  const applied = await t.request<{ jobId: string }>('POST', '/api/actions', {
    body: { items: [{ kind: 'remove', assetId: trashed.id, keepAssetIds: [first.keeperAssetId] }] },
  });
  await t.app.queue.whenIdle();
  const trash = (await t.get<Page<{ id: string }>>('/api/trash')).body.items[0]!.id;
  // The analysis after the removal rebuilt the groups: take the current one.
  const group = (await t.get<Page<{ id: string }>>('/api/duplicates?kind=exact')).body.items[0]!.id;
  const key = await t.request<{ id: string }>('POST', '/api/api-keys', { body: { name: 'fixture' } });
  const version = (await t.get<Page<{ id: string; members: { asset: { id: string } }[] }>>('/api/versions'))
    .body.items[0]!;
  const burst = (await t.get<Page<{ id: string }>>('/api/bursts')).body.items[0]!.id;
  const suggestions = (await t.get<Page<{ id: string }>>('/api/suggestions')).body.items;
  const album = await t.request<{ id: string }>('POST', `/api/suggestions/${suggestions[0]!.id}/accept`, {
    body: {},
  });
  return {
    t,
    root,
    viewer,
    editor,
    stranger,
    ids: {
      library,
      asset: asset.id,
      keeper: first.keeperAssetId,
      group,
      job: applied.body.jobId,
      trash,
      apiKey: key.body.id,
      version: version.id,
      versionMember: version.members[1]!.asset.id,
      burst,
      // Accepted above; another open suggestion (if any) is as good for the access checks.
      suggestion: suggestions[1]?.id ?? suggestions[0]!.id,
      album: album.body.id,
    },
    async stop() {
      await t.stop();
      await fs.rm(root, { recursive: true, force: true });
    },
  };
}

const cameraExif = (time: string, subSec?: string) => ({
  IFD0: { Make: 'Canon', Model: 'EOS R6' },
  IFD2: { DateTimeOriginal: time, ...(subSec ? { SubSecTimeOriginal: subSec } : {}) },
});

/** An original with its edit (a version stack) and three frames 0.3 s apart (a burst). */
async function writeInsightSubjects(root: string): Promise<void> {
  const original = await scene(11, 1200, 900)
    .jpeg({ quality: 92 })
    .withExif(cameraExif('2024:06:03 10:00:00'))
    .toBuffer();
  await writeFileDeep(path.join(root, 'DCIM/IMG_0100.JPG'), original);
  await writeFileDeep(
    path.join(root, 'DCIM/IMG_E0100.JPG'),
    await sharp(original)
      .modulate({ brightness: 1.04 })
      .jpeg({ quality: 85 })
      .withExif(cameraExif('2024:06:03 10:00:00'))
      .toBuffer(),
  );
  const base = await scene(21, 1240, 940).png().toBuffer();
  for (let i = 0; i < 3; i++)
    await writeFileDeep(
      path.join(root, `DCIM/IMG_020${i}.JPG`),
      await sharp(base)
        .extract({ left: 20 + i * 4, top: 20, width: 1200, height: 900 })
        .blur(i === 1 ? 0.3 : 3)
        .jpeg({ quality: 90 })
        .withExif(cameraExif('2024:06:03 10:30:00', String(i * 30).padStart(2, '0')))
        .toBuffer(),
    );
}
