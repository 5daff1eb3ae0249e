/** The JSON the API returns, as the tests read it. */
export interface AssetJson {
  id: string;
  libraryId: string;
  path: string;
  status: string;
  kind: string | null;
  sizeBytes: number;
  sha256: string | null;
  problem: { code: string; message: string } | null;
  capturedAt: string | null;
  captureLocal: string | null;
  camera: { make: string | null; model: string | null };
  width: number | null;
  height: number | null;
  orientation: number | null;
  phash: string | null;
  quality: { laplacianVariance: number; integrity: string } | null;
  hasThumbnail: boolean;
  thumbnailUrl: string | null;
  ingestedAt: string | null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface JobJson {
  id: string;
  type: string;
  status: string;
  progress: { total: number; done: number; failed: number };
  error: string | null;
}

export interface ProblemJson {
  type: string;
  title: string;
  status: number;
  detail: string;
  requestId: string;
}
