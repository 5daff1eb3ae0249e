import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProblemJson } from '../../support/api-types.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

/**
 * Login must not tell whether an account exists. Messages are compared here; the timing side
 * (argon2 work spent for unknown accounts too) is measured by `npm run bench:login-timing`.
 */
describe('user enumeration through login', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.stop();
  });

  it('answers an unknown email and a wrong password identically', async () => {
    const attempt = (email: string) =>
      t.request<ProblemJson>('POST', '/api/auth/login', {
        as: null,
        body: { email, password: 'not the password' },
      });
    const known = await attempt(t.admin.email);
    const unknown = await attempt('nobody@example.com');
    const strip = (p: ProblemJson) => ({ ...p, requestId: undefined });
    expect(known.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(strip(unknown.body)).toEqual(strip(known.body));
    expect(known.body.detail).toBe('Email or password is incorrect.');
    expect([...known.headers.keys()].sort()).toEqual([...unknown.headers.keys()].sort());
  });

  it('does not reveal accounts through set-up or status either', async () => {
    const setup = await t.request<ProblemJson>('POST', '/api/auth/setup', {
      as: null,
      body: { email: t.admin.email, name: 'x', password: 'long enough password' },
    });
    const setupOther = await t.request<ProblemJson>('POST', '/api/auth/setup', {
      as: null,
      body: { email: 'nobody@example.com', name: 'x', password: 'long enough password' },
    });
    expect(setup.body.detail).toBe(setupOther.body.detail);
  });
});
