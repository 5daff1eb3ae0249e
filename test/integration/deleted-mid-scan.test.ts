import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssetRepository } from '../../src/db/repositories/asset.repository.js';
import { LibraryRepository } from '../../src/db/repositories/library.repository.js';
import { ThumbnailStore } from '../../src/fs/thumbnail-store.js';
import { walkFiles, type WalkedFile } from '../../src/fs/walk-files.js';
import { createLogger } from '../../src/logger.js';
import { analyzeFile } from '../../src/media/analyze-file.js';
import { IngestService } from '../../src/services/ingest.service.js';
import { makeJpeg, writeFileDeep } from '../support/images.js';
import { makeTempDir } from '../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

describe('a file deleted between the walk and its ingest', () => {
  let t: TestDatabase;
  let root: string;
  let dataDir: string;

  beforeAll(async () => {
    t = await createTestDatabase();
    root = await makeTempDir('vanish');
    dataDir = await makeTempDir('vanish-data');
    await writeFileDeep(path.join(root, 'keep.jpg'), await makeJpeg({ seed: 1 }));
    await writeFileDeep(path.join(root, 'gone.jpg'), await makeJpeg({ seed: 2 }));
  });

  afterAll(async () => {
    await t.drop();
    await fs.rm(root, { recursive: true, force: true });
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('leaves no asset row behind and lets the rest of the scan continue', async () => {
    const lib = await new LibraryRepository(t.handle.db).create({ name: 'v', roots: [root] });
    const assets = new AssetRepository(t.handle.db);
    const walked: WalkedFile[] = [];
    for await (const e of walkFiles(root)) if (e.type === 'file') walked.push(e);
    await assets.upsertPending(lib.id, walked);
    await fs.rm(path.join(root, 'gone.jpg'));

    const ingest = new IngestService(
      assets,
      new ThumbnailStore(dataDir),
      (p) => analyzeFile(p, { thumbnailSize: 250, ffmpegPath: null, ffprobePath: null }),
      createLogger('silent'),
    );
    const outcomes: Record<string, string> = {};
    for (const row of await assets.pendingRows(lib.id))
      outcomes[path.basename(row.path)] = await ingest.ingest(row);
    expect(outcomes).toEqual({ 'gone.jpg': 'vanished', 'keep.jpg': 'ready' });
    const rows = await t.handle.db.selectFrom('assets').select(['path', 'status']).execute();
    expect(rows).toEqual([{ path: path.join(root, 'keep.jpg'), status: 'ready' }]);
  });
});
