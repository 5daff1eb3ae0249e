import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSecurityFixture, type SecurityFixture } from '../../support/security-fixture.js';
import { httpRequest } from '../../support/test-app.js';

type IdKind = keyof SecurityFixture['ids'];

/** What a route expects, and what a viewer and a stranger (no share) must get. Every route is listed. */
interface Expectation {
  /** The fixture id that fills `:id` (and the viewer fills `:userId`). */
  id?: IdKind;
  body?: (f: SecurityFixture) => unknown;
  /** A query string naming the resource (e.g. `?library=`), for routes that take it there. */
  query?: (f: SecurityFixture) => string;
  /** Status for a viewer of the library (omit for routes unrelated to library content). */
  viewer?: number;
  /** Status for a signed-in user who has no share (404 hides the resource's existence). */
  stranger?: number;
}

const PUBLIC = new Set([
  'GET /health',
  'GET /health/ready',
  'GET /api/auth/status',
  'POST /api/auth/setup',
  'POST /api/auth/login',
  'POST /api/auth/refresh',
  'POST /api/auth/logout',
  // The web app shell (src/api/web-app.ts); every API call it makes is authorised on its own route.
  'GET /',
  'GET /*',
]);

const routes: Record<string, Expectation> = {
  'GET /api/users/me': {},
  'POST /api/users/me/password': {},
  'GET /api/users': { stranger: 403 },
  'POST /api/users': { stranger: 403 },
  'PATCH /api/users/:id': { id: 'asset', stranger: 403, body: () => ({ role: 'user' }) },
  'DELETE /api/users/:id': { id: 'asset', stranger: 403 },
  'GET /api/api-keys': {},
  'POST /api/api-keys': {},
  'DELETE /api/api-keys/:id': { id: 'apiKey', viewer: 404, stranger: 404 },
  'GET /api/assets': {},
  'GET /api/assets/:id': { id: 'asset', viewer: 200, stranger: 404 },
  'GET /api/assets/:id/thumbnail': { id: 'asset', viewer: 200, stranger: 404 },
  'GET /api/assets/:id/preview': { id: 'asset', viewer: 200, stranger: 404 },
  'GET /api/timeline/buckets': { query: (f) => `?library=${f.ids.library}`, viewer: 200, stranger: 404 },
  'GET /api/timeline/assets': { query: (f) => `?library=${f.ids.library}`, viewer: 200, stranger: 404 },
  'GET /api/jobs': {},
  'GET /api/jobs/:id': { id: 'job', viewer: 200, stranger: 404 },
  'POST /api/jobs/:id/retry': { id: 'job', viewer: 403, stranger: 404 },
  'GET /api/libraries': {},
  'POST /api/libraries': {},
  'GET /api/libraries/:id': { id: 'library', viewer: 200, stranger: 404 },
  'PATCH /api/libraries/:id': {
    id: 'library',
    body: () => ({ trashRetentionDays: 30 }),
    viewer: 403,
    stranger: 404,
  },
  'DELETE /api/libraries/:id': { id: 'library', viewer: 403, stranger: 404 },
  'POST /api/libraries/:id/scan': { id: 'library', viewer: 403, stranger: 404 },
  'GET /api/libraries/:id/shares': { id: 'library', viewer: 403, stranger: 404 },
  'PUT /api/libraries/:id/shares/:userId': {
    id: 'library',
    body: () => ({ role: 'editor' }),
    viewer: 403,
    stranger: 404,
  },
  'DELETE /api/libraries/:id/shares/:userId': { id: 'library', viewer: 403, stranger: 404 },
  'POST /api/libraries/immich': { body: () => ({ url: 'http://127.0.0.1:1', apiKey: 'x' }) },
  // The fixture's library holds folders: a viewer passes the access check and is told so (400).
  'POST /api/libraries/:id/immich/check': { id: 'library', body: () => ({}), viewer: 400, stranger: 404 },
  'POST /api/libraries/:id/immich/push': { id: 'library', body: () => ({}), viewer: 403, stranger: 404 },
  'GET /api/libraries/:id/immich/push': { id: 'library', viewer: 200, stranger: 404 },
  'GET /api/libraries/:id/immich/push/:jobId': { id: 'library', viewer: 200, stranger: 404 },
  'POST /api/libraries/:id/immich/push/:jobId/undo': { id: 'library', viewer: 403, stranger: 404 },
  'GET /api/libraries/:id/move-list.csv': { id: 'library', viewer: 403, stranger: 404 },
  'GET /api/libraries/:id/move-list.sh': { id: 'library', viewer: 403, stranger: 404 },
  'GET /api/duplicates': {},
  'GET /api/duplicates/:id': { id: 'group', viewer: 200, stranger: 404 },
  'POST /api/duplicates/:id/decision': {
    id: 'group',
    body: () => ({ action: 'dismiss' }),
    viewer: 403,
    stranger: 404,
  },
  'POST /api/duplicates/:id/apply': {
    id: 'group',
    body: (f) => ({ keepAssetIds: [f.ids.keeper] }),
    viewer: 403,
    stranger: 404,
  },
  'POST /api/duplicates/analyse': {},
  'GET /api/events': {},
  'POST /api/actions': {
    body: (f) => ({ items: [{ kind: 'remove', assetId: f.ids.asset, keepAssetIds: [f.ids.keeper] }] }),
    viewer: 403,
    stranger: 404,
  },
  'GET /api/trash': {},
  'POST /api/trash/:id/restore': { id: 'trash', viewer: 403, stranger: 404 },
  'POST /api/trash/purge': {},
  'GET /api/audit': { stranger: 403 },
  // Any signed-in user reads the runtime settings; only an administrator changes them.
  'GET /api/settings': { viewer: 200, stranger: 200 },
  'PUT /api/settings': { body: () => ({ TRASH_RETENTION_DAYS: 1 }), viewer: 403, stranger: 403 },
  'GET /api/triage': { query: (f) => `?library=${f.ids.library}`, viewer: 200, stranger: 404 },
  'GET /api/triage/:category/items': {
    query: (f) => `?library=${f.ids.library}`,
    viewer: 200,
    stranger: 404,
  },
  'POST /api/triage/:category/accept': {
    body: (f) => ({ library: f.ids.library }),
    viewer: 403,
    stranger: 404,
  },
  'GET /api/versions': {},
  'GET /api/versions/:id': { id: 'version', viewer: 200, stranger: 404 },
  'PUT /api/versions/:id/primary': {
    id: 'version',
    body: (f) => ({ assetId: f.ids.versionMember }),
    viewer: 403,
    stranger: 404,
  },
  'GET /api/bursts': {},
  'GET /api/bursts/:id': { id: 'burst', viewer: 200, stranger: 404 },
  'POST /api/bursts/:id/decision': {
    id: 'burst',
    body: () => ({ action: 'keep-all' }),
    viewer: 403,
    stranger: 404,
  },
  'GET /api/quality': {},
  'GET /api/suggestions': {},
  'POST /api/suggestions/:id/accept': { id: 'suggestion', body: () => ({}), viewer: 403, stranger: 404 },
  'GET /api/albums': {},
  // Albums are their creator's own: even a viewer of the library does not see them.
  'GET /api/albums/:id': { id: 'album', viewer: 404, stranger: 404 },
  'GET /api/batches': {},
  'POST /api/albums': { body: () => ({ name: 'Mine' }) },
  'PATCH /api/albums/:id': { id: 'album', body: () => ({ name: 'Taken' }), viewer: 404, stranger: 404 },
  'DELETE /api/albums/:id': { id: 'album', viewer: 404, stranger: 404 },
  'GET /api/assets/:id/original': { id: 'asset', viewer: 200, stranger: 404 },
  'GET /api/assets/:id/favourite': { id: 'asset', viewer: 200, stranger: 404 },
  // Favourites are each user's own mark: a viewer may mark a photo they can see.
  'PUT /api/assets/:id/favourite': {
    id: 'asset',
    body: () => ({ favourite: true }),
    viewer: 200,
    stranger: 404,
  },
  'GET /api/favourites': {},
  'POST /api/users/:id/password': {
    id: 'asset',
    body: () => ({ newPassword: 'a new password long enough' }),
    viewer: 403,
    stranger: 403,
  },
  'GET /api/problems': {},
  'GET /api/jobs/:id/failures': { id: 'job', viewer: 200, stranger: 404 },
  'GET /api/map/clusters': {},
  'GET /api/map/assets': {},
  'GET /api/timeline/facets': {},
  'GET /api/capabilities': {},
  'POST /api/insights/analyse': { body: (f) => ({ library: f.ids.library }), viewer: 403, stranger: 404 },
};

describe('every registered route enforces authentication and access', () => {
  let f: SecurityFixture;
  let table: { method: string; url: string; auth: string }[];

  beforeAll(async () => {
    f = await startSecurityFixture();
    table = f.t.app.server.routeTable.filter((r) => r.method !== 'HEAD' && !r.url.startsWith('/api/docs'));
  });
  afterAll(async () => {
    await f.stop();
  });

  const urlFor = (route: string, e: Expectation) => {
    const [, url = ''] = route.split(' ');
    return url
      .replace(':id', e.id ? f.ids[e.id] : '00000000-0000-4000-8000-000000000000')
      .replace(':userId', f.viewer.id)
      .replace(':jobId', f.ids.job)
      .replace(':category', 'bursts')
      .concat(e.query ? e.query(f) : '');
  };

  it('lists every route: public ones on purpose, the rest with their access expectations', () => {
    const registered = table.map((r) => `${r.method} ${r.url}`);
    const unlisted = registered.filter((r) => !PUBLIC.has(r) && !(r in routes));
    expect(unlisted, 'new route: add it to the table with its access expectations').toEqual([]);
    for (const r of table) {
      const key = `${r.method} ${r.url}`;
      expect(r.auth === 'public', `${key} is ${r.auth}`).toBe(PUBLIC.has(key));
    }
    expect(Object.keys(routes).filter((k) => !registered.includes(k))).toEqual([]);
  });

  it('answers 401 problem+json without credentials and with a forged token, on every protected route', async () => {
    for (const [route, e] of Object.entries(routes)) {
      const [method = 'GET'] = route.split(' ');
      const url = urlFor(route, e);
      for (const token of [null, 'not.a.jwt', `${f.t.admin.accessToken.slice(0, -4)}AAAA`]) {
        const res = await httpRequest<{ status: number }>(f.t.baseUrl, method, url, {
          token,
          ...(e.body ? { body: e.body(f) } : {}),
        });
        expect(res.status, `${route} with ${token === null ? 'no token' : 'a forged token'}`).toBe(401);
        expect(res.headers.get('content-type'), route).toContain('application/problem+json');
      }
    }
    for (const r of f.t.app.server.routeTable.filter((x) => x.method === 'HEAD' && x.auth !== 'public')) {
      const res = await httpRequest(f.t.baseUrl, 'HEAD', r.url.replace(':id', f.ids.asset));
      expect(res.status, `HEAD ${r.url}`).toBe(401);
    }
  });

  it("hides other users' resources (404) and refuses a viewer's changes (403)", async () => {
    for (const [route, e] of Object.entries(routes)) {
      const [method = 'GET'] = route.split(' ');
      if (e.stranger === undefined && e.viewer === undefined) continue;
      for (const [who, user, expected] of [
        ['stranger', f.stranger, e.stranger],
        ['viewer', f.viewer, e.viewer],
      ] as const) {
        if (expected === undefined) continue;
        const res = await httpRequest(f.t.baseUrl, method, urlFor(route, e), {
          token: user.accessToken,
          ...(e.body ? { body: e.body(f) } : {}),
        });
        expect(res.status, `${route} as ${who}`).toBe(expected);
      }
    }
    // Nothing a refused request asked for happened.
    expect(await f.t.app.database.db.selectFrom('action_items').select('id').execute()).toHaveLength(1);
    expect(await f.t.app.database.db.selectFrom('settings').select('key').execute()).toEqual([]);
    expect(
      (await f.t.get<{ items: unknown[] }>(`/api/libraries/${f.ids.library}/shares`)).body.items,
    ).toHaveLength(2);
  });

  it('serves the OpenAPI document (JSON and UI) without auth, listing the protected routes', async () => {
    const doc = await httpRequest<{ openapi: string; paths: Record<string, unknown> }>(
      f.t.baseUrl,
      'GET',
      '/api/docs/json',
    );
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/auth/login',
        '/api/trash/{id}/restore',
        '/api/events',
        '/api/audit',
        '/api/settings',
      ]),
    );
    const ui = await fetch(`${f.t.baseUrl}/api/docs/`);
    expect(ui.status).toBe(200);
    expect(ui.headers.get('content-type')).toContain('text/html');
  });
});
