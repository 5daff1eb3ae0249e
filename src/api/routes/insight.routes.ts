import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiDeps } from '../api-deps.js';
import {
  presentAlbum,
  presentBatch,
  presentBurst,
  presentSuggestion,
  presentVersionStack,
} from '../insight-presenters.js';
import { decodeCursor, decodeValueCursor, encodeCursor, encodeValueCursor } from '../cursor.js';
import { decodeOpaqueCursor, encodeOpaqueCursor } from '../opaque-cursor.js';
import { presentAsset } from '../presenters.js';
import { idParams, pageQuery } from '../schemas.js';
import { originOf, principalOf } from '../auth/route-auth.js';

const scope = { library: z.uuid().optional(), batch: z.uuid().optional() };

const burstDecision = z.discriminatedUnion('action', [
  z.object({ action: z.literal('keep-best') }),
  z.object({ action: z.literal('keep-all') }),
  z.object({ action: z.literal('pick'), keepAssetIds: z.array(z.uuid()).min(1).max(1000) }),
]);

/** Versions, bursts, quality, suggestions, albums and import batches. */
export const insightRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  (app) => {
    app.get(
      '/api/versions',
      { config: { auth: 'user' }, schema: { querystring: z.object({ ...scope, ...pageQuery }) } },
      async (req) => {
        const r = await deps.versions.list(principalOf(req), {
          library: req.query.library,
          batch: req.query.batch,
          limit: req.query.limit,
          after: decodeOpaqueCursor(req.query.cursor),
        });
        return { items: r.items.map(presentVersionStack), nextCursor: encodeOpaqueCursor(r.next) };
      },
    );
    app.get('/api/versions/:id', { config: { auth: 'user' }, schema: { params: idParams } }, async (req) =>
      presentVersionStack(await deps.versions.get(principalOf(req), req.params.id)),
    );
    app.put(
      '/api/versions/:id/primary',
      { config: { auth: 'user' }, schema: { params: idParams, body: z.object({ assetId: z.uuid() }) } },
      async (req) => {
        const who = principalOf(req);
        const stack = await deps.versions.setPrimary(who, req.params.id, req.body.assetId, originOf(req));
        await deps.audit.record(who, originOf(req), 'version.primary-set', `version-stack:${req.params.id}`, {
          assetId: req.body.assetId,
        });
        return { ...presentVersionStack(stack), immichJobId: stack.immichJobId };
      },
    );

    app.get(
      '/api/bursts',
      {
        config: { auth: 'user' },
        schema: {
          querystring: z.object({ ...scope, ...pageQuery, status: z.enum(['open', 'decided']).optional() }),
        },
      },
      async (req) => {
        const r = await deps.bursts.list(principalOf(req), {
          library: req.query.library,
          batch: req.query.batch,
          ...(req.query.status ? { status: req.query.status } : {}),
          limit: req.query.limit,
          after: decodeValueCursor(req.query.cursor),
        });
        return { items: r.items.map(presentBurst), nextCursor: r.next && encodeValueCursor(r.next) };
      },
    );
    app.get('/api/bursts/:id', { config: { auth: 'user' }, schema: { params: idParams } }, async (req) =>
      presentBurst(await deps.bursts.get(principalOf(req), req.params.id)),
    );
    app.post(
      '/api/bursts/:id/decision',
      { config: { auth: 'user' }, schema: { params: idParams, body: burstDecision } },
      async (req) => {
        const r = await deps.bursts.decide(principalOf(req), req.params.id, req.body, originOf(req));
        return { ...presentBurst(r), jobId: r.jobId, immichJobId: r.immichJobId };
      },
    );

    app.get(
      '/api/quality',
      {
        config: { auth: 'user' },
        schema: {
          querystring: z.object({
            ...scope,
            ...pageQuery,
            maxScore: z.coerce.number().int().min(0).max(100).optional(),
            label: z.enum(['very blurry', 'too dark', 'overexposed', 'corrupted']).optional(),
          }),
        },
      },
      async (req) => {
        const q = req.query;
        const r = await deps.insights.listQuality(principalOf(req), {
          library: q.library,
          batch: q.batch,
          ...(q.maxScore !== undefined ? { maxScore: q.maxScore } : {}),
          ...(q.label ? { label: q.label } : {}),
          limit: q.limit,
          after: decodeValueCursor(q.cursor),
        });
        return { items: r.items.map(presentAsset), nextCursor: r.next && encodeValueCursor(r.next) };
      },
    );

    app.get(
      '/api/suggestions',
      {
        config: { auth: 'user' },
        schema: {
          querystring: z.object({
            ...scope,
            ...pageQuery,
            status: z.enum(['open', 'accepted']).default('open'),
          }),
        },
      },
      async (req) => {
        const r = await deps.suggestions.list(principalOf(req), {
          library: req.query.library,
          batch: req.query.batch,
          status: req.query.status,
          limit: req.query.limit,
          after: decodeOpaqueCursor(req.query.cursor),
        });
        return { items: r.items.map(presentSuggestion), nextCursor: encodeOpaqueCursor(r.next) };
      },
    );
    app.post(
      '/api/suggestions/:id/accept',
      {
        config: { auth: 'user' },
        schema: { params: idParams, body: z.object({ name: z.string().max(200).optional() }).default({}) },
      },
      async (req, reply) => {
        const who = principalOf(req);
        const { album, immichJobId } = await deps.suggestions.accept(
          who,
          req.params.id,
          originOf(req),
          req.body.name,
        );
        await deps.audit.record(who, originOf(req), 'album.created', `album:${album.id}`, {
          name: album.name,
          fromSuggestion: req.params.id,
        });
        return reply.status(201).send({
          ...presentAlbum(album, await deps.suggestions.album(who, album.id).then((a) => a.assetIds)),
          immichJobId,
        });
      },
    );

    // GET/POST/PATCH/DELETE /api/albums: album.routes.ts.

    app.get(
      '/api/batches',
      {
        config: { auth: 'user' },
        schema: { querystring: z.object({ library: z.uuid().optional(), ...pageQuery }) },
      },
      async (req) => {
        const rows = await deps.insights.listBatches(
          principalOf(req),
          req.query.library,
          req.query.limit + 1,
          decodeCursor(req.query.cursor),
        );
        const items = rows.slice(0, req.query.limit);
        const last = items.at(-1);
        return {
          items: items.map(presentBatch),
          nextCursor:
            rows.length > req.query.limit && last ? encodeCursor({ at: last.created_at, id: last.id }) : null,
        };
      },
    );

    app.post(
      '/api/insights/analyse',
      { config: { auth: 'user' }, schema: { body: z.object({ library: z.uuid() }) } },
      async (req, reply) =>
        reply
          .status(202)
          .send({ jobId: await deps.insights.requestAnalysisFor(principalOf(req), req.body.library) }),
    );
    return Promise.resolve();
  };
