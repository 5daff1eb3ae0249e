import { describe, expect, it } from 'vitest';
import { folderOrganisationScore, looksLikeCopyName } from '../../src/domain/folder-organisation.js';
import {
  defaultExactKeeperRules,
  defaultNearKeeperRules,
  rankKeepers,
  type KeeperCandidate,
} from '../../src/domain/keeper-ranking.js';

const base = (over: Partial<KeeperCandidate>): KeeperCandidate => ({
  id: over.path ?? 'x',
  path: '/p/x.jpg',
  kind: 'jpeg',
  sizeBytes: 1000,
  mtimeMs: 1000,
  width: 4000,
  height: 3000,
  capturedAtMs: null,
  sharpness: 100,
  metadataFields: 3,
  inAlbum: false,
  ...over,
});

describe('folder organisation and copy names', () => {
  it('prefers dated, named folders over dump folders', () => {
    const organised = folderOrganisationScore('/nas/photos/2024/2024-06 Lisbon/IMG_1.JPG');
    const camera = folderOrganisationScore('/nas/photos/DCIM/100CANON/IMG_1.JPG');
    const dump = folderOrganisationScore('/nas/photos/Downloads/IMG_1.JPG');
    const toSort = folderOrganisationScore('/nas/photos/Desktop/to sort/IMG_1.JPG');
    expect(organised).toBeGreaterThan(camera);
    expect(camera).toBeGreaterThan(dump);
    expect(dump).toBeGreaterThan(toSort);
  });

  it('recognises names of copies made by operating systems and sync tools', () => {
    for (const name of [
      'IMG_1 (1).JPG',
      'IMG_1 copy.jpg',
      'IMG_1 - Copy.jpg',
      'IMG_1 copy 2.jpg',
      'IMG_1~2.jpg',
      'IMG_1 Kopie.jpg',
    ])
      expect(looksLikeCopyName(`/a/${name}`), name).toBe(true);
    for (const name of ['IMG_1.JPG', 'copyright-notice.jpg', 'DSC_0001.jpg', 'IMG_1-edited.jpg'])
      expect(looksLikeCopyName(`/a/${name}`), name).toBe(false);
  });
});

describe('keeper ranking', () => {
  it('keeps the exact copy in the most organised folder, then the oldest, then the clean name', () => {
    const ranked = rankKeepers(
      [
        base({ path: '/x/Downloads/IMG_1.JPG', mtimeMs: 1 }),
        base({ path: '/x/Pictures/2023/2023-05 Rome/IMG_1.JPG', mtimeMs: 50 }),
        base({ path: '/x/Pictures/2023/2023-05 Rome/IMG_1 (1).JPG', mtimeMs: 50 }),
      ],
      defaultExactKeeperRules,
    );
    expect(ranked.map((r) => r.candidate.path)).toEqual([
      '/x/Pictures/2023/2023-05 Rome/IMG_1.JPG',
      '/x/Pictures/2023/2023-05 Rome/IMG_1 (1).JPG',
      '/x/Downloads/IMG_1.JPG',
    ]);
    expect(ranked[1]?.decidedBy).toBe('clean-name');
    expect(ranked[2]?.decidedBy).toBe('organised-folder');
  });

  it('keeps the original format, then the larger picture, for near duplicates', () => {
    const ranked = rankKeepers(
      [
        base({ path: '/a/small.jpg', width: 1600, height: 1200 }),
        base({ path: '/a/orig.heic', kind: 'heic', width: 4032, height: 3024 }),
        base({ path: '/a/export.jpg', width: 4032, height: 3024 }),
      ],
      defaultNearKeeperRules,
    );
    expect(ranked.map((r) => r.candidate.path)).toEqual(['/a/orig.heic', '/a/export.jpg', '/a/small.jpg']);
    expect(ranked[2]?.decidedBy).toBe('resolution');
  });

  it('keeps the camera file with its capture time over a metadata-less conversion of the same pixels', () => {
    const ranked = rankKeepers(
      [
        base({ path: '/a/IMG_1.heic', kind: 'heic', sizeBytes: 900, metadataFields: 0 }),
        base({ path: '/b/IMG_1.JPG', sizeBytes: 800, cameraOriginal: true, capturedAtMs: 5 }),
        base({ path: '/c/IMG_1.png', kind: 'png', sizeBytes: 5000, metadataFields: 0 }),
      ],
      defaultNearKeeperRules,
    );
    expect(ranked.map((r) => r.candidate.path)).toEqual(['/b/IMG_1.JPG', '/a/IMG_1.heic', '/c/IMG_1.png']);
    expect(ranked[1]?.decidedBy).toBe('camera-original');
    // A larger original still wins over a smaller camera copy.
    const larger = base({ path: '/d/IMG_1.heic', kind: 'heic', width: 8000, height: 6000 });
    expect(
      rankKeepers([(ranked[0] as (typeof ranked)[number]).candidate, larger], defaultNearKeeperRules)[0]
        ?.candidate.path,
    ).toBe('/d/IMG_1.heic');
  });

  it('follows the user order of rules, and breaks full ties by path so input order never matters', () => {
    const a = base({ path: '/a/1.jpg', sizeBytes: 10, width: 100, height: 100 });
    const b = base({ path: '/a/2.jpg', sizeBytes: 20, width: 50, height: 50 });
    expect(rankKeepers([a, b], ['file-size', 'resolution'])[0]?.candidate.path).toBe('/a/2.jpg');
    expect(rankKeepers([a, b], ['resolution', 'file-size'])[0]?.candidate.path).toBe('/a/1.jpg');
    const c = base({ path: '/z/c.jpg' });
    const d = base({ path: '/m/d.jpg' });
    expect(rankKeepers([c, d], [])[0]?.candidate.path).toBe('/m/d.jpg');
    expect(rankKeepers([d, c], [])[0]?.candidate.path).toBe('/m/d.jpg');
  });
});
