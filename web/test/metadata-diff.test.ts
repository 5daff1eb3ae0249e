import { describe, expect, it } from 'vitest';
import { metadataDiff } from '../src/review/metadata-diff';
import { detail, member } from './fixtures';

describe('metadata diff of a duplicate group', () => {
  const d = detail([
    member('keeper', { resolution: '4000×3000', sizeBytes: 2_100_000 }, true),
    member('smaller', { resolution: '2000×1500', sizeBytes: 2_100_400, folder: '/backup' }),
    member('same', { sizeBytes: 2_100_000 }),
  ]);

  it('marks the fields that are not the same for every copy', () => {
    const differs = Object.fromEntries(metadataDiff(d).map((r) => [r.field, r.differs]));
    expect(differs).toEqual({
      resolution: true,
      sizeBytes: true,
      format: false,
      capturedAt: false,
      camera: false,
      folder: true,
      quality: false,
    });
  });

  it('highlights the cells that differ from the keeper, decided on raw values not on display text', () => {
    const size = metadataDiff(d).find((r) => r.field === 'sizeBytes')!;
    // 2,100,000 and 2,100,400 bytes both read "2.1 MB" but are different files.
    expect(size.values).toEqual(['2.1 MB', '2.1 MB', '2.1 MB']);
    expect(size.differsFromKeeper).toEqual([false, true, false]);
  });

  it('compares against the copy the reviewer marked to keep when given', () => {
    const res = metadataDiff(d, 'smaller').find((r) => r.field === 'resolution')!;
    expect(res.differsFromKeeper).toEqual([true, false, true]);
  });

  it('shows a dash for missing values', () => {
    const withMissing = detail([member('a', { camera: null }, true), member('b', {})]);
    const camera = metadataDiff(withMissing).find((r) => r.field === 'camera')!;
    expect(camera.values).toEqual(['—', 'Canon EOS R6']);
    expect(camera.differs).toBe(true);
  });
});
