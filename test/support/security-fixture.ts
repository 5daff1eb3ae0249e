import fs from 'node:fs/promises';
import path from 'node:path';
import type { Page } from './api-types.js';
import { makeJpeg, writeFileDeep } from './images.js';
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
  };
  stop(): Promise<void>;
}

export async function startSecurityFixture(env: Record<string, string> = {}): Promise<SecurityFixture> {
  const root = await makeTempDir('sec');
  const picture = await makeJpeg({ seed: 77, width: 800, height: 600 });
  await writeFileDeep(path.join(root, 'Albums/IMG_1.JPG'), picture);
  await writeFileDeep(path.join(root, 'Downloads/IMG_1.JPG'), picture);
  await writeFileDeep(path.join(root, 'Downloads/IMG_1 copy.JPG'), picture);
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
    },
    async stop() {
      await t.stop();
      await fs.rm(root, { recursive: true, force: true });
    },
  };
}
