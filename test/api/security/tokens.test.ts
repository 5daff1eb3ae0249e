import fs from 'node:fs/promises';
import path from 'node:path';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProblemJson } from '../../support/api-types.js';
import { httpRequest, startTestApp, TEST_PASSWORD, type TestApp } from '../../support/test-app.js';

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

function refreshCookie(headers: Headers): string {
  const line = headers.getSetCookie().find((c) => c.startsWith('ps_refresh='));
  return line?.split(';')[0]?.slice('ps_refresh='.length) ?? '';
}

describe('access and refresh tokens', () => {
  let t: TestApp;
  let secret: Uint8Array;
  const me = (token: string) => httpRequest<ProblemJson>(t.baseUrl, 'GET', '/api/users/me', { token });
  const claims = () => ({ email: t.admin.email, role: 'admin' });

  beforeAll(async () => {
    t = await startTestApp();
    const file = path.join(t.dataDir, 'jwt-secret');
    expect((await fs.stat(file)).mode & 0o777, 'the generated secret is private to the owner').toBe(0o600);
    secret = new TextEncoder().encode((await fs.readFile(file, 'utf8')).trim());
  });
  afterAll(async () => {
    await t.stop();
  });

  const sign = (opts: { exp?: string | number; alg?: string; key?: Uint8Array; aud?: string } = {}) =>
    new SignJWT(claims())
      .setProtectedHeader({ alg: opts.alg ?? 'HS256' })
      .setSubject(t.admin.id)
      .setIssuer('photo-sync')
      .setAudience(opts.aud ?? 'photo-sync-api')
      .setIssuedAt()
      .setExpirationTime(opts.exp ?? '5m')
      .sign(opts.key ?? secret);

  it('accepts a token signed with the server secret (the control case)', async () => {
    expect((await me(await sign())).status).toBe(200);
  });

  it('rejects a missing token', async () => {
    const res = await httpRequest<ProblemJson>(t.baseUrl, 'GET', '/api/users/me');
    expect(res.status).toBe(401);
    expect(res.body.type).toMatch(/unauthorized$/);
  });

  it('rejects an expired token', async () => {
    expect((await me(await sign({ exp: Math.floor(Date.now() / 1000) - 60 }))).status).toBe(401);
  });

  it('rejects a token signed with another secret', async () => {
    expect((await me(await sign({ key: new TextEncoder().encode('x'.repeat(48)) }))).status).toBe(401);
  });

  it('rejects alg "none" and algorithms other than HS256, even with the right key', async () => {
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({
      ...claims(),
      sub: t.admin.id,
      iss: 'photo-sync',
      aud: 'photo-sync-api',
      exp: Math.floor(Date.now() / 1000) + 300,
    })}.`;
    expect((await me(unsigned)).status).toBe(401);
    expect((await me(await sign({ alg: 'HS512' }))).status).toBe(401);
  });

  it('rejects a tampered payload (role raised) under the original signature', async () => {
    const bob = await t.createUser('bob@example.com');
    const [header, payload, signature] = bob.accessToken.split('.');
    const raised = {
      ...(JSON.parse(Buffer.from(payload!, 'base64url').toString()) as object),
      role: 'admin',
    };
    const forged = `${header}.${b64(raised)}.${signature}`;
    expect((await me(bob.accessToken)).status).toBe(200);
    expect((await httpRequest(t.baseUrl, 'GET', '/api/audit', { token: forged })).status).toBe(401);
  });

  it('rejects a token for another audience', async () => {
    expect((await me(await sign({ aud: 'someone-else' }))).status).toBe(401);
  });

  it('detects refresh-token reuse after rotation and revokes the whole session family', async () => {
    const login = await httpRequest(t.baseUrl, 'POST', '/api/auth/login', {
      body: { email: t.admin.email, password: TEST_PASSWORD },
    });
    const stolen = refreshCookie(login.headers);
    const rotated = await httpRequest(t.baseUrl, 'POST', '/api/auth/refresh', {
      headers: { cookie: `ps_refresh=${stolen}` },
    });
    expect(rotated.status).toBe(200);
    const current = refreshCookie(rotated.headers);

    // The attacker replays the old token: refused, and the legitimate newer token dies with it.
    const replay = await httpRequest<ProblemJson>(t.baseUrl, 'POST', '/api/auth/refresh', {
      headers: { cookie: `ps_refresh=${stolen}` },
    });
    expect(replay.status).toBe(401);
    const victim = await httpRequest(t.baseUrl, 'POST', '/api/auth/refresh', {
      headers: { cookie: `ps_refresh=${current}` },
    });
    expect(victim.status).toBe(401);
    // Other sessions of the same account are not affected.
    expect((await me(t.admin.accessToken)).status).toBe(200);
  });

  it('refuses two concurrent refreshes of one token: at most one succeeds', async () => {
    const login = await httpRequest(t.baseUrl, 'POST', '/api/auth/login', {
      body: { email: t.admin.email, password: TEST_PASSWORD },
    });
    const token = refreshCookie(login.headers);
    const results = await Promise.all(
      [1, 2].map(() =>
        httpRequest(t.baseUrl, 'POST', '/api/auth/refresh', { headers: { cookie: `ps_refresh=${token}` } }),
      ),
    );
    expect(results.filter((r) => r.status === 200).length).toBeLessThanOrEqual(1);
  });

  it('rejects a cookie-authenticated change coming from another site', async () => {
    const res = await httpRequest<ProblemJson>(t.baseUrl, 'POST', '/api/duplicates/analyse', {
      headers: { cookie: `ps_access=${t.admin.accessToken}`, origin: 'https://evil.example' },
    });
    expect(res.status).toBe(403);
    const same = await httpRequest(t.baseUrl, 'POST', '/api/duplicates/analyse', {
      headers: { cookie: `ps_access=${t.admin.accessToken}`, origin: t.baseUrl },
    });
    expect(same.status).toBe(202);
  });
});
