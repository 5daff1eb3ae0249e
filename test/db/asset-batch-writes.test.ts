import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssetRepository, type AssetUpdate } from '../../src/db/repositories/asset.repository.js';
import { LibraryRepository } from '../../src/db/repositories/library.repository.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/** The update ingest writes for an analysed photo, with every kind of column (bytea, jsonb, dates, nulls). */
function analysedValues(seed: number): AssetUpdate {
  return {
    status: 'ready',
    kind: 'jpeg',
    mime: 'image/jpeg',
    sha256: seed.toString(16).padStart(64, '0'),
    size_bytes: 3_000_000 + seed,
    problem_code: null,
    problem_message: null,
    sort_at: new Date(Date.UTC(2024, 0, 1, 12, 0, seed)),
    captured_at: new Date(Date.UTC(2024, 0, 1, 12, 0, seed)),
    capture_local: '2024-01-01T13:00:00.250',
    capture_offset_minutes: 60,
    make: `Canon ${seed}`,
    model: 'EOS R6 \'mark\' "II"',
    lens: null,
    exposure_time: 0.004,
    f_number: 2.8,
    iso: 100 + seed,
    gps_latitude: 48.8566,
    gps_longitude: 2.3522,
    orientation: 6,
    width: 4000,
    height: 3000,
    description: 'naïve café — 東京',
    phash: 'fedcba9876543210',
    signatures: Buffer.from([0, 1, 2, 254, 255, seed]),
    quality: JSON.stringify({ laplacianVariance: 123.5, meanLuminance: 100, integrity: 'ok' }),
    has_thumbnail: true,
    ingested_at: new Date(Date.UTC(2026, 10, 24)),
    attempts: 1,
  };
}

describe('batched asset writes (ingest)', () => {
  let tdb: TestDatabase;
  let assets: AssetRepository;
  let libraryId: string;
  let ids: string[];

  beforeAll(async () => {
    tdb = await createTestDatabase();
    assets = new AssetRepository(tdb.handle.db);
    const library = await new LibraryRepository(tdb.handle.db).create({ name: 'batch', roots: ['/photos'] });
    libraryId = library.id;
    await assets.upsertPending(
      libraryId,
      [0, 1, 2].map((i) => ({ path: `/photos/${i}.jpg`, sizeBytes: 10, mtimeMs: 1, inode: String(i) })),
    );
    ids = (await assets.pendingRows(libraryId)).map((r) => r.id);
  });

  afterAll(() => tdb.drop());

  it('writes every column of many rows in one statement, each with its own values', async () => {
    await assets.updateMany(ids.slice(0, 2).map((id, i) => ({ id, values: analysedValues(i + 1) })));
    for (const [i, id] of ids.slice(0, 2).entries()) {
      const row = await assets.findById(id);
      const want = analysedValues(i + 1);
      expect(row).toMatchObject({
        status: 'ready',
        sha256: want.sha256,
        size_bytes: want.size_bytes,
        capture_local: want.capture_local,
        make: want.make,
        model: want.model,
        lens: null,
        iso: want.iso,
        description: want.description,
        orientation: 6,
        has_thumbnail: true,
        attempts: 1,
      });
      expect(row?.captured_at?.toISOString()).toBe((want.captured_at as Date).toISOString());
      expect(row?.signatures && Buffer.from(row.signatures)).toEqual(want.signatures);
      expect(row?.quality).toEqual({ laplacianVariance: 123.5, meanLuminance: 100, integrity: 'ok' });
      expect(row?.gps_latitude).toBeCloseTo(48.8566, 6);
    }
    // The row left out is untouched.
    expect((await assets.findById(ids[2] as string))?.status).toBe('pending');
  });

  it('refuses updates that set different columns (a missing key would silently write null)', async () => {
    const partial = { status: 'ready' as const };
    await expect(
      assets.updateMany([
        { id: ids[0] as string, values: analysedValues(1) },
        { id: ids[2] as string, values: partial },
      ]),
    ).rejects.toThrow(/same columns/);
  });

  it('finds move candidates for many contents in one query, keyed by content and size', async () => {
    const found = await assets.moveCandidatesFor(libraryId, [
      { sha256: analysedValues(1).sha256 as string, sizeBytes: 3_000_001 },
      { sha256: analysedValues(2).sha256 as string, sizeBytes: 3_000_002 },
      { sha256: 'f'.repeat(64), sizeBytes: 1 },
    ]);
    expect(found.get(`${analysedValues(1).sha256}:3000001`)?.map((r) => r.id)).toEqual([ids[0]]);
    expect(found.get(`${analysedValues(2).sha256}:3000002`)?.map((r) => r.id)).toEqual([ids[1]]);
    expect(found.size).toBe(2);
  });
});
