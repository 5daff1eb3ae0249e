import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProblemJson } from '../support/api-types.js';
import fs from 'node:fs/promises';
import { httpRequest, makeTempDir, startTestApp, TEST_PASSWORD, type TestApp } from '../support/test-app.js';

interface SessionJson {
  user: { id: string; email: string; name: string; role: string };
  accessToken: string;
  expiresIn: number;
}

/** `name=value` pairs of the Set-Cookie headers, by name, with their attributes. */
function cookiesOf(headers: Headers): Map<string, { value: string; attrs: string }> {
  const out = new Map<string, { value: string; attrs: string }>();
  for (const line of headers.getSetCookie()) {
    const [pair = '', ...attrs] = line.split(';');
    const eq = pair.indexOf('=');
    out.set(pair.slice(0, eq).trim(), { value: pair.slice(eq + 1), attrs: attrs.join(';').toLowerCase() });
  }
  return out;
}

describe('authentication API', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      // Users add libraries only inside LIBRARY_BASE (docs/SECURITY.md).
      env: {
        LOGIN_MAX_ATTEMPTS_PER_ACCOUNT: '3',
        LOGIN_MAX_ATTEMPTS_PER_IP: '50',
        LIBRARY_BASE: os.tmpdir(),
      },
    });
  });
  afterAll(async () => {
    await t.stop();
  });

  it('reports set-up done and refuses a second first-run admin', async () => {
    expect((await t.get<{ setupRequired: boolean }>('/api/auth/status', null)).body).toEqual({
      setupRequired: false,
    });
    const again = await t.request<ProblemJson>('POST', '/api/auth/setup', {
      as: null,
      body: { email: 'intruder@example.com', name: 'X', password: 'whatever-long' },
    });
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toContain('application/problem+json');
  });

  it('signs in with httpOnly SameSite=Strict cookies that authenticate on their own', async () => {
    const res = await t.request<SessionJson>('POST', '/api/auth/login', {
      as: null,
      body: { email: 'ADMIN@example.com ', password: TEST_PASSWORD },
    });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ email: 'admin@example.com', role: 'admin' });
    expect(res.body.expiresIn).toBe(900);
    const cookies = cookiesOf(res.headers);
    const access = cookies.get('ps_access');
    const refresh = cookies.get('ps_refresh');
    expect(access?.attrs).toContain('httponly');
    expect(access?.attrs).toContain('samesite=strict');
    expect(access?.attrs).toContain('path=/');
    expect(refresh?.attrs).toContain('httponly');
    expect(refresh?.attrs).toContain('path=/api/auth');

    const me = await httpRequest<{ email: string; role: string }>(t.baseUrl, 'GET', '/api/users/me', {
      headers: { cookie: `ps_access=${access?.value}` },
    });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ email: 'admin@example.com', role: 'admin' });
  });

  it('rotates the refresh token, and logout revokes it', async () => {
    const login = await t.request<SessionJson>('POST', '/api/auth/login', {
      as: null,
      body: { email: t.admin.email, password: TEST_PASSWORD },
    });
    const first = cookiesOf(login.headers).get('ps_refresh')?.value;
    const refreshed = await httpRequest<SessionJson>(t.baseUrl, 'POST', '/api/auth/refresh', {
      headers: { cookie: `ps_refresh=${first}` },
    });
    expect(refreshed.status).toBe(200);
    const second = cookiesOf(refreshed.headers).get('ps_refresh')?.value;
    expect(second).toBeTruthy();
    expect(second).not.toBe(first);
    expect(
      (await httpRequest(t.baseUrl, 'GET', '/api/users/me', { token: refreshed.body.accessToken })).status,
    ).toBe(200);

    const out = await httpRequest(t.baseUrl, 'POST', '/api/auth/logout', {
      headers: { cookie: `ps_refresh=${second}` },
    });
    expect(out.status).toBe(204);
    expect(cookiesOf(out.headers).get('ps_refresh')?.value).toBe('');
    const after = await httpRequest<ProblemJson>(t.baseUrl, 'POST', '/api/auth/refresh', {
      headers: { cookie: `ps_refresh=${second}` },
    });
    expect(after.status).toBe(401);
  });

  it('creates users (admin only), who then sign in with the role given', async () => {
    const bob = await t.createUser('bob@example.com');
    const me = await t.get<{ email: string; role: string }>('/api/users/me', bob);
    expect(me.body).toMatchObject({ email: 'bob@example.com', role: 'user' });
    const denied = await t.request<ProblemJson>('POST', '/api/users', {
      as: bob,
      body: { email: 'eve@example.com', name: 'Eve', password: TEST_PASSWORD, role: 'admin' },
    });
    expect(denied.status).toBe(403);
    const dup = await t.request<ProblemJson>('POST', '/api/users', {
      body: { email: 'Bob@Example.com', name: 'Bob 2', password: TEST_PASSWORD },
    });
    expect(dup.status).toBe(409);
  });

  it('deleting an account hands its libraries to the admin and ends its access', async () => {
    const dan = await t.createUser('dan@example.com');
    const folder = await makeTempDir('dan');
    const lib = await t.request<{ id: string }>('POST', '/api/libraries', {
      as: dan,
      body: { roots: [folder] },
    });
    expect(lib.status).toBe(201);
    expect((await t.get(`/api/libraries/${lib.body.id}`)).status).toBe(404);
    expect((await t.request('DELETE', `/api/users/${dan.id}`)).status).toBe(204);
    const adopted = await t.get<{ role: string }>(`/api/libraries/${lib.body.id}`);
    expect(adopted.body.role).toBe('owner');
    // A deleted account's token is refused outright, not answered with an empty list.
    expect((await t.get('/api/libraries', dan)).status).toBe(401);
    expect((await t.request('DELETE', `/api/users/${t.admin.id}`)).status).toBe(400);
    await fs.rm(folder, { recursive: true, force: true });
  });

  it('issues API keys shown once, usable with x-api-key, revocable by their owner', async () => {
    const created = await t.request<{ id: string; secret: string; prefix: string }>('POST', '/api/api-keys', {
      body: { name: 'backup script' },
    });
    expect(created.status).toBe(201);
    expect(created.body.secret.startsWith(created.body.prefix)).toBe(true);
    const viaKey = await httpRequest<{ email: string }>(t.baseUrl, 'GET', '/api/users/me', {
      headers: { 'x-api-key': created.body.secret },
    });
    expect(viaKey.body.email).toBe(t.admin.email);
    const list = await t.get<{ items: Record<string, unknown>[] }>('/api/api-keys');
    expect(list.body.items).toHaveLength(1);
    expect(JSON.stringify(list.body)).not.toContain(created.body.secret);

    expect((await t.request('DELETE', `/api/api-keys/${created.body.id}`)).status).toBe(204);
    const revoked = await httpRequest(t.baseUrl, 'GET', '/api/users/me', {
      headers: { 'x-api-key': created.body.secret },
    });
    expect(revoked.status).toBe(401);
  });

  it('changing the password ends other sessions and the old password stops working', async () => {
    const carol = await t.createUser('carol@example.com');
    const res = await t.request('POST', '/api/users/me/password', {
      as: carol,
      body: { currentPassword: TEST_PASSWORD, newPassword: 'a much better passphrase' },
    });
    expect(res.status).toBe(204);
    const old = await t.request('POST', '/api/auth/login', {
      as: null,
      body: { email: carol.email, password: TEST_PASSWORD },
    });
    expect(old.status).toBe(401);
    await expect(t.login(carol.email, 'a much better passphrase')).resolves.toMatchObject({ id: carol.id });
  });

  it('limits failed sign-ins per account with 429 and Retry-After', async () => {
    await t.createUser('dave@example.com');
    const attempt = () =>
      t.request<ProblemJson>('POST', '/api/auth/login', {
        as: null,
        body: { email: 'dave@example.com', password: 'wrong password!' },
      });
    for (let i = 0; i < 3; i++) expect((await attempt()).status).toBe(401);
    const blocked = await attempt();
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    // Even the right password waits until the window ends: the block is per account.
    const right = await t.request('POST', '/api/auth/login', {
      as: null,
      body: { email: 'dave@example.com', password: TEST_PASSWORD },
    });
    expect(right.status).toBe(429);
  });
});
