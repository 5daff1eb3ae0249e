import fs from 'node:fs';
import path from 'node:path';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { decodeValueCursor, encodeValueCursor } from '../cursor.js';
import { OriginalUnavailableError } from '../../errors.js';
import type { ApiDeps } from '../api-deps.js';
import { principalOf } from '../auth/route-auth.js';
import { presentAsset } from '../presenters.js';
import { idParams, pageQuery } from '../schemas.js';

/**
 * The byte range a `Range: bytes=…` header asks of a file of `size` bytes: null for the whole file
 * (no header, or several ranges), 'unsatisfiable' when it lies outside the file.
 */
export function byteRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | null | 'unsatisfiable' {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m) return null;
  const [, from = '', to = ''] = m;
  if (from === '' && to === '') return null;
  if (from === '') {
    const suffix = Number(to);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(from);
  const end = to === '' ? size - 1 : Math.min(Number(to), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

/** Originals (download, video playback) and each user's favourites. */
export const originalRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  (app) => {
    app.get(
      '/api/assets/:id/original',
      {
        config: { auth: 'user' },
        schema: {
          description:
            'The original file, byte for byte. Range requests (one range) answer 206, so a video can be sought. `download=1` asks the browser to save it under its file name.',
          params: idParams,
          querystring: z.object({ download: z.enum(['0', '1']).optional() }),
        },
      },
      async (req, reply) => {
        const asset = await deps.assets.get(principalOf(req), req.params.id);
        const stat = await fs.promises.stat(asset.path).catch(() => null);
        if (!stat?.isFile())
          throw new OriginalUnavailableError(`The original of asset ${asset.id} is gone from ${asset.path}.`);
        const name = path.basename(asset.path);
        void reply
          .type(asset.mime ?? 'application/octet-stream')
          .header('accept-ranges', 'bytes')
          .header('cache-control', 'private, max-age=3600')
          .header(
            'content-disposition',
            `${req.query.download === '1' ? 'attachment' : 'inline'}; filename*=UTF-8''${encodeURIComponent(name)}`,
          );
        const range = byteRange(req.headers.range, stat.size);
        if (range === 'unsatisfiable')
          return reply.status(416).header('content-range', `bytes */${stat.size}`).send();
        if (range === null)
          return reply.header('content-length', stat.size).send(fs.createReadStream(asset.path));
        return reply
          .status(206)
          .header('content-range', `bytes ${range.start}-${range.end}/${stat.size}`)
          .header('content-length', range.end - range.start + 1)
          .send(fs.createReadStream(asset.path, { start: range.start, end: range.end }));
      },
    );

    app.get(
      '/api/assets/:id/favourite',
      { config: { auth: 'user' }, schema: { params: idParams } },
      async (req) => {
        const who = principalOf(req);
        await deps.assets.get(who, req.params.id);
        return { assetId: req.params.id, favourite: await deps.favourites.has(who, req.params.id) };
      },
    );
    app.put(
      '/api/assets/:id/favourite',
      { config: { auth: 'user' }, schema: { params: idParams, body: z.object({ favourite: z.boolean() }) } },
      async (req) => {
        await deps.favourites.set(principalOf(req), req.params.id, req.body.favourite);
        return { assetId: req.params.id, favourite: req.body.favourite };
      },
    );
    app.get(
      '/api/favourites',
      { config: { auth: 'user' }, schema: { querystring: z.object(pageQuery) } },
      async (req) => {
        const r = await deps.favourites.list(
          principalOf(req),
          req.query.limit,
          decodeValueCursor(req.query.cursor),
        );
        return { items: r.items.map(presentAsset), nextCursor: r.next && encodeValueCursor(r.next) };
      },
    );
    return Promise.resolve();
  };
