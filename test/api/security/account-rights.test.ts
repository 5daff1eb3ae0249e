import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProblemJson } from '../../support/api-types.js';
import {
  httpRequest,
  makeTempDir,
  startTestApp,
  TEST_PASSWORD,
  type TestApp,
} from '../../support/test-app.js';

describe('a deleted or demoted account loses its rights at once; nobody locks the owner out', () => {
  let t: TestApp;
  let base: string;

  beforeAll(async () => {
    base = await makeTempDir('rights-base');
    t = await startTestApp({
      env: {
        LIBRARY_BASE: base,
        TRUST_PROXY: 'true',
        LOGIN_MAX_ATTEMPTS_PER_ACCOUNT: '5',
        LOGIN_MAX_ATTEMPTS_PER_IP: '5',
      },
    });
  });
  afterAll(async () => {
    await t.stop();
    await fs.rm(base, { recursive: true, force: true });
  });

  it("a deleted account's still-valid token gets 401 on every route, never 500", async () => {
    const dan = await t.createUser('dan@example.com');
    await fs.mkdir(path.join(base, 'dan'));
    expect((await t.get('/api/users/me', dan)).status).toBe(200);
    expect((await t.request('DELETE', `/api/users/${dan.id}`)).status).toBe(204);
    for (const [method, url, body] of [
      ['GET', '/api/users/me', undefined],
      ['GET', '/api/libraries', undefined],
      ['POST', '/api/libraries', { roots: [path.join(base, 'dan')] }],
      ['POST', '/api/api-keys', { name: 'after death' }],
      ['GET', '/api/trash', undefined],
    ] as const) {
      const res = await t.request<ProblemJson>(method, url, { as: dan, body });
      expect(res.status, `${method} ${url}`).toBe(401);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    const libraries = await t.app.database.db.selectFrom('libraries').select('id').execute();
    expect(libraries).toHaveLength(0);
  });

  it('a demoted admin loses admin routes on the next request; a promoted user gains them', async () => {
    const eve = await t.createUser('eve@example.com', 'admin');
    expect((await t.get('/api/users', eve)).status).toBe(200);
    const demoted = await t.request<{ role: string }>('PATCH', `/api/users/${eve.id}`, {
      body: { role: 'user' },
    });
    expect(demoted.status).toBe(200);
    expect(demoted.body.role).toBe('user');
    // Same token, issued while she was an admin.
    expect((await t.get('/api/users', eve)).status).toBe(403);
    expect(
      (
        await t.request('POST', '/api/users', {
          as: eve,
          body: { email: 'x@example.com', name: 'x', password: TEST_PASSWORD },
        })
      ).status,
    ).toBe(403);
    expect((await t.get<{ role: string }>('/api/users/me', eve)).body.role).toBe('user');

    expect((await t.request('PATCH', `/api/users/${eve.id}`, { body: { role: 'admin' } })).status).toBe(200);
    expect((await t.get('/api/users', eve)).status).toBe(200);
    // Nobody changes their own role (the last admin cannot demote themselves by mistake).
    expect((await t.request('PATCH', `/api/users/${t.admin.id}`, { body: { role: 'user' } })).status).toBe(
      400,
    );
    const audit = await t.get<{ items: { action: string }[] }>('/api/audit');
    expect(audit.body.items.filter((e) => e.action === 'user.role-changed')).toHaveLength(2);
  });

  it("an attacker's wrong passwords from another address do not lock the owner out", async () => {
    const owner = await t.createUser('owner@example.com');
    const login = (ip: string, password: string) =>
      httpRequest<ProblemJson>(t.baseUrl, 'POST', '/api/auth/login', {
        body: { email: owner.email, password },
        headers: { 'x-forwarded-for': ip },
      });
    for (let i = 0; i < 5; i++) expect((await login('203.0.113.7', `wrong password ${i}`)).status).toBe(401);
    // The attacker is throttled, even with the right password...
    const throttled = await login('203.0.113.7', TEST_PASSWORD);
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
    // ...another address guessing is throttled on its own...
    for (let i = 0; i < 5; i++) expect((await login('203.0.113.8', `wrong again ${i}`)).status).toBe(401);
    expect((await login('203.0.113.8', 'wrong again')).status).toBe(429);
    // ...and the owner, from their own address, signs in.
    expect((await login('198.51.100.20', TEST_PASSWORD)).status).toBe(200);
  });
});
