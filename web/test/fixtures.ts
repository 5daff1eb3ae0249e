import type { Asset, DuplicateDetail, DuplicateMember } from '../src/api/types';

/** A complete asset as the server presents it; tests override the fields they are about. */
export function asset(id: string, over: Partial<Asset> = {}): Asset {
  const base: Asset = {
    id,
    libraryId: 'lib-1',
    path: `/photos/${id}.jpg`,
    status: 'ready',
    kind: 'jpeg',
    mime: 'image/jpeg',
    sizeBytes: 1_000_000,
    sha256: null,
    problem: null,
    capturedAt: '2025-06-03T10:00:00.000Z',
    captureLocal: null,
    captureOffsetMinutes: null,
    fileModifiedAt: '2025-06-03T10:00:00.000Z',
    camera: { make: 'Canon', model: 'EOS R6', bodySerial: null, lens: null },
    exposure: { exposureTime: null, fNumber: null, iso: null, focalLength: null },
    burstId: null,
    sequenceNumber: null,
    contentIdentifier: null,
    gps: null,
    orientation: null,
    width: 4000,
    height: 3000,
    rating: null,
    description: null,
    durationSeconds: null,
    phash: null,
    quality: null,
    qualityScore: null,
    qualityLabels: [],
    qualityFlags: [],
    importBatchId: null,
    hasThumbnail: true,
    thumbnailUrl: `/api/assets/${id}/thumbnail`,
    ingestedAt: null,
  };
  return Object.assign(base, over);
}

export function member(
  id: string,
  compared: Partial<DuplicateMember['compared']>,
  isKeeper = false,
): DuplicateMember {
  return {
    asset: asset(id),
    rank: 0,
    similarity: 1,
    isKeeper,
    keeperReason: isKeeper ? 'largest resolution' : null,
    compared: {
      resolution: '4000×3000',
      sizeBytes: 1_000_000,
      format: 'jpeg',
      capturedAt: '2025-06-03T10:00:00.000Z',
      camera: 'Canon EOS R6',
      folder: '/photos',
      quality: 120,
      ...compared,
    },
  };
}

export function detail(members: DuplicateMember[]): DuplicateDetail {
  return {
    id: 'g-1',
    kind: 'exact',
    status: 'open',
    confidence: 'green',
    memberCount: members.length,
    bytesReclaimable: 1_000_000,
    minSimilarity: 1,
    keeperAssetId: members.find((m) => m.isKeeper)?.asset.id ?? '',
    keeperThumbnailUrl: '',
    keeperKind: null,
    newestAt: '2025-06-03T10:00:00.000Z',
    decidedAt: null,
    differs: {
      resolution: false,
      sizeBytes: false,
      format: false,
      capturedAt: false,
      camera: false,
      folder: false,
      quality: false,
    },
    members,
  };
}
