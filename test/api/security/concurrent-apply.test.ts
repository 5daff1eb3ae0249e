import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from '../../support/api-types.js';
import { makeJpeg, writeFileDeep } from '../../support/images.js';
import { makeTempDir, startTestApp, type TestApp } from '../../support/test-app.js';

describe('applying the same decision twice at once', () => {
  let root: string;
  let t: TestApp;
  let picture: Buffer;

  beforeAll(async () => {
    root = await makeTempDir('race');
    picture = await makeJpeg({ seed: 31, width: 900, height: 600 });
    for (const p of ['keep/IMG_1.JPG', 'a/IMG_1.JPG', 'b/IMG_1.JPG'])
      await writeFileDeep(path.join(root, p), picture);
    t = await startTestApp({ libraryRoots: [root] });
    await t.app.queue.whenIdle();
  });
  afterAll(async () => {
    await t.stop();
    await fs.rm(root, { recursive: true, force: true });
  });

  it('lets exactly one request win; every file is either in place or in the trash, once', async () => {
    const [group] = (await t.get<Page<{ id: string; keeperAssetId: string }>>('/api/duplicates?kind=exact'))
      .body.items;
    const body = { keepAssetIds: [group!.keeperAssetId] };
    // Read before applying: a fast apply job may already have dissolved the group afterwards.
    const [member] = await otherMembers(group!.id, group!.keeperAssetId);
    const results = await Promise.all(
      [1, 2, 3].map(() =>
        t.request<{ jobId?: string }>('POST', `/api/duplicates/${group!.id}/apply`, { body }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([202, 409, 409]);
    // The same files through the generic endpoint are refused while (and after) they are removed.
    const overlap = await t.request('POST', '/api/actions', {
      body: { items: [{ kind: 'remove', assetId: member, groupId: group!.id }] },
    });
    expect(overlap.status).toBe(409);
    await t.app.queue.whenIdle();

    const items = await t.app.database.db.selectFrom('action_items').select(['asset_id', 'status']).execute();
    expect(items.map((i) => i.status)).toEqual(['applied', 'applied']);
    expect(new Set(items.map((i) => i.asset_id)).size).toBe(2);
    // Nothing lost: the keeper in place, both copies in the trash with their bytes, no stray files.
    expect((await fs.readFile(path.join(root, 'keep/IMG_1.JPG'))).equals(picture)).toBe(true);
    const trashed = (await fs.readdir(path.join(root, '.photo-sync-trash'), { recursive: true })).filter(
      (f) => f.endsWith('.JPG'),
    );
    expect(trashed).toHaveLength(2);
    for (const f of trashed)
      expect((await fs.readFile(path.join(root, '.photo-sync-trash', f))).equals(picture)).toBe(true);
    for (const p of ['a/IMG_1.JPG', 'b/IMG_1.JPG'])
      await expect(fs.access(path.join(root, p))).rejects.toThrow();
  });

  async function otherMembers(groupId: string, keeper: string): Promise<string[]> {
    const d = await t.get<{ members: { asset: { id: string } }[] }>(`/api/duplicates/${groupId}`);
    return d.body.members.map((m) => m.asset.id).filter((id) => id !== keeper);
  }
});
