import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AlbumListRow } from '../../db/repositories/album.repository.js';
import type { AlbumDetail } from '../../services/album.service.js';
import type { ApiDeps } from '../api-deps.js';
import { originOf, principalOf } from '../auth/route-auth.js';
import { decodeOpaqueCursor, encodeOpaqueCursor } from '../opaque-cursor.js';
import { presentAsset } from '../presenters.js';
import { idParams, pageQuery } from '../schemas.js';

const assetIds = z.array(z.uuid({ message: 'must be a UUID' })).max(5000);

function albumFields(a: AlbumListRow | AlbumDetail['album'], count: number, coverId: string | null) {
  return {
    id: a.id,
    name: a.name,
    description: a.description,
    source: a.source,
    createdAt: a.created_at.toISOString(),
    assetCount: count,
    coverAssetId: coverId,
    coverUrl: coverId ? `/api/assets/${coverId}/thumbnail` : null,
  };
}

export const presentAlbumCard = (a: AlbumListRow) => albumFields(a, a.asset_count, a.cover_id);

export function presentAlbumDetail(d: AlbumDetail) {
  return {
    ...albumFields(d.album, d.assets.length, d.coverId),
    assetIds: d.assets.map((a) => a.id),
    assets: d.assets.map(presentAsset),
  };
}

/** Albums (docs/API.md "Albums"): each user's own, made from a suggestion or by hand. */
export const albumRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  (app) => {
    app.get(
      '/api/albums',
      { config: { auth: 'user' }, schema: { querystring: z.object(pageQuery) } },
      async (req) => {
        const r = await deps.albums.list(
          principalOf(req),
          req.query.limit,
          decodeOpaqueCursor(req.query.cursor),
        );
        return { items: r.items.map(presentAlbumCard), nextCursor: encodeOpaqueCursor(r.next) };
      },
    );
    app.get('/api/albums/:id', { config: { auth: 'user' }, schema: { params: idParams } }, async (req) =>
      presentAlbumDetail(await deps.albums.get(principalOf(req), req.params.id)),
    );
    app.post(
      '/api/albums',
      {
        config: { auth: 'user' },
        schema: {
          body: z.object({
            name: z.string().trim().min(1, { message: 'An album needs a name.' }).max(200),
            description: z.string().max(2000).nullable().optional(),
            assetIds: assetIds.optional(),
          }),
        },
      },
      async (req, reply) =>
        reply
          .status(201)
          .send(presentAlbumDetail(await deps.albums.create(principalOf(req), req.body, originOf(req)))),
    );
    app.patch(
      '/api/albums/:id',
      {
        config: { auth: 'user' },
        schema: {
          params: idParams,
          body: z.object({
            name: z.string().trim().min(1, { message: 'An album needs a name.' }).max(200).optional(),
            description: z.string().max(2000).nullable().optional(),
            coverAssetId: z.uuid().nullable().optional(),
            addAssetIds: assetIds.optional(),
            removeAssetIds: assetIds.optional(),
          }),
        },
      },
      async (req) => {
        const b = req.body;
        return presentAlbumDetail(
          await deps.albums.update(principalOf(req), req.params.id, {
            ...(b.name !== undefined ? { name: b.name } : {}),
            ...(b.description !== undefined ? { description: b.description } : {}),
            ...(b.coverAssetId !== undefined ? { coverAssetId: b.coverAssetId } : {}),
            ...(b.addAssetIds ? { addAssetIds: b.addAssetIds } : {}),
            ...(b.removeAssetIds ? { removeAssetIds: b.removeAssetIds } : {}),
          }),
        );
      },
    );
    app.delete(
      '/api/albums/:id',
      { config: { auth: 'user' }, schema: { params: idParams } },
      async (req, reply) => {
        await deps.albums.delete(principalOf(req), req.params.id, originOf(req));
        return reply.status(204).send();
      },
    );
    return Promise.resolve();
  };
