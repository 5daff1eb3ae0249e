import * as exifrModule from 'exifr';

/**
 * exifr ships a CommonJS build (what Node loads: every function hangs off the default export) and an
 * ES build (what Vite/vitest load: named exports, and a default export that lacks `sidecar`). Pick the
 * functions from wherever this runtime put them.
 */
type ExifrApi = Pick<typeof exifrModule, 'parse' | 'sidecar'>;

function resolveExifr(): ExifrApi {
  const named: Partial<ExifrApi> = exifrModule;
  const fallback: Partial<ExifrApi> = exifrModule.default;
  const parse = typeof named.parse === 'function' ? named.parse : fallback.parse;
  const sidecar = typeof named.sidecar === 'function' ? named.sidecar : fallback.sidecar;
  if (!parse || !sidecar) throw new Error('exifr does not expose parse/sidecar');
  return { parse, sidecar };
}

export const exifr: ExifrApi = resolveExifr();
