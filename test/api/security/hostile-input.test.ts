import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProblemJson } from '../../support/api-types.js';
import { startSecurityFixture, type SecurityFixture } from '../../support/security-fixture.js';
import { makeTempDir } from '../../support/test-app.js';

const SQL_PAYLOADS = [
  "' OR '1'='1",
  "open'; DROP TABLE assets; --",
  '1; SELECT pg_sleep(5)',
  "x' UNION SELECT password_hash FROM users --",
];

const TRAVERSALS = [
  '..%2F..%2F..%2Fetc%2Fpasswd',
  '..%2f..%2fjwt-secret',
  '%2e%2e%2f%2e%2e%2f',
  '....//....//etc',
];

describe('hostile input gets a clear 4xx and changes nothing', () => {
  let f: SecurityFixture;
  let base: string;
  let outside: string;
  const counts = async () => {
    const db = f.t.app.database.db;
    const n = async (table: 'assets' | 'users' | 'libraries' | 'action_items') =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    return {
      assets: await n('assets'),
      users: await n('users'),
      libraries: await n('libraries'),
      items: await n('action_items'),
    };
  };

  beforeAll(async () => {
    base = await makeTempDir('sec-base');
    outside = await makeTempDir('sec-outside');
    await fs.mkdir(path.join(base, 'photos'));
    await fs.symlink(outside, path.join(base, 'escape'));
    f = await startSecurityFixture({ LIBRARY_BASE: base });
  });
  afterAll(async () => {
    await f.stop();
    await fs.rm(base, { recursive: true, force: true });
    await fs.rm(outside, { recursive: true, force: true });
  });

  it('refuses path traversal in every path-like parameter', async () => {
    const before = await counts();
    for (const bad of TRAVERSALS) {
      for (const url of [
        `/api/assets/${bad}/thumbnail`,
        `/api/assets/${bad}`,
        `/api/trash/${bad}/restore`,
        `/api/libraries/${bad}/move-list.sh`,
        `/api/duplicates/${bad}`,
        `/api/jobs/${bad}`,
      ]) {
        const method = url.endsWith('/restore') ? 'POST' : 'GET';
        const res = await f.t.request<ProblemJson>(method, url);
        expect([400, 404], `${method} ${url}`).toContain(res.status);
        expect(res.headers.get('content-type'), url).toContain('application/problem+json');
        expect(JSON.stringify(res.body)).not.toMatch(/root:|BEGIN|[A-Za-z0-9_-]{60}/);
      }
    }
    // Library roots must stay inside LIBRARY_BASE: `..` and a symlink pointing out are both refused.
    for (const root of [path.join(base, 'photos/../..'), path.join(base, 'escape'), outside, '/etc']) {
      const res = await f.t.request<ProblemJson>('POST', '/api/libraries', { body: { roots: [root] } });
      expect(res.status, root).toBe(400);
      expect(res.body.detail).toMatch(/outside the folders open for libraries/);
    }
    const ok = await f.t.request('POST', '/api/libraries', { body: { roots: [path.join(base, 'photos')] } });
    expect(ok.status).toBe(201);
    expect((await counts()).libraries).toBe(before.libraries + 1);
  });

  it('refuses oversized, malformed and mistyped bodies with problem+json', async () => {
    const before = await counts();
    const huge = JSON.stringify({
      items: [{ kind: 'remove', assetId: f.ids.asset, reason: 'x'.repeat(2 * 1024 * 1024) }],
    });
    const tooBig = await f.t.request<ProblemJson>('POST', '/api/actions', { body: huge });
    expect(tooBig.status).toBe(413);
    expect(tooBig.headers.get('content-type')).toContain('application/problem+json');

    const malformed = await f.t.request<ProblemJson>('POST', '/api/actions', { body: '{"items": [' });
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('content-type')).toContain('application/problem+json');

    const wrongType = await f.t.request<ProblemJson>('POST', '/api/actions', {
      body: 'items=1',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(wrongType.status).toBe(415);

    const tooMany = await f.t.request<ProblemJson>('POST', '/api/actions', {
      body: { items: Array.from({ length: 5001 }, () => ({ kind: 'remove', assetId: f.ids.asset })) },
    });
    expect(tooMany.status).toBe(400);

    const protoPollution = await f.t.request<ProblemJson>('POST', '/api/auth/login', {
      as: null,
      body: '{"email":"a@b.c","password":"x","__proto__":{"role":"admin"}}',
    });
    expect(protoPollution.status).toBe(400);

    const longPassword = await f.t.request<ProblemJson>('POST', '/api/auth/login', {
      as: null,
      body: { email: f.t.admin.email, password: 'p'.repeat(5000) },
    });
    expect(longPassword.status).toBe(400);
    expect(await counts()).toEqual(before);
  });

  it('treats SQL in every filter, sort and cursor parameter as a value, never as SQL', async () => {
    const before = await counts();
    const params: [string, string][] = [
      ['/api/assets', 'status'],
      ['/api/assets', 'library'],
      ['/api/assets', 'cursor'],
      ['/api/assets', 'limit'],
      ['/api/duplicates', 'kind'],
      ['/api/duplicates', 'status'],
      ['/api/duplicates', 'sort'],
      ['/api/duplicates', 'library'],
      ['/api/duplicates', 'cursor'],
      ['/api/jobs', 'cursor'],
      ['/api/jobs', 'limit'],
      ['/api/trash', 'cursor'],
      ['/api/audit', 'action'],
      ['/api/audit', 'cursor'],
      ['/api/triage', 'library'],
      ['/api/triage', 'batch'],
      ['/api/triage/bursts/items', 'cursor'],
      ['/api/triage/versions/items', 'cursor'],
      ['/api/triage/low-quality/items', 'cursor'],
      ['/api/versions', 'cursor'],
      ['/api/bursts', 'status'],
      ['/api/bursts', 'cursor'],
      ['/api/quality', 'label'],
      ['/api/quality', 'maxScore'],
      ['/api/quality', 'cursor'],
      ['/api/suggestions', 'status'],
      ['/api/suggestions', 'cursor'],
      ['/api/albums', 'cursor'],
      ['/api/batches', 'cursor'],
    ];
    for (const [route, param] of params)
      for (const payload of SQL_PAYLOADS) {
        const res = await f.t.request<ProblemJson>('GET', `${route}?${param}=${encodeURIComponent(payload)}`);
        expect(res.status, `${route}?${param}=${payload}`).toBe(400);
        expect(res.body.detail, `${route}?${param}`).toMatch(
          new RegExp(param === 'cursor' ? 'cursor' : param),
        );
      }
    // A well-formed cursor carrying SQL in its id is refused too.
    const forged = Buffer.from(JSON.stringify([Date.now(), "x' OR '1'='1"])).toString('base64url');
    expect((await f.t.request('GET', `/api/assets?cursor=${forged}`)).status).toBe(400);
    // SQL in a login email is only a wrong email.
    const login = await f.t.request<ProblemJson>('POST', '/api/auth/login', {
      as: null,
      body: { email: "admin@example.com' OR '1'='1", password: "' OR '1'='1" },
    });
    expect(login.status).toBe(401);
    expect(await counts()).toEqual(before);
    expect((await f.t.get<{ items: unknown[] }>('/api/assets')).body.items.length).toBeGreaterThan(0);
  });
});
