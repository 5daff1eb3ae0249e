import { afterEach, describe, expect, it, vi } from 'vitest';
import { AccessTokens } from '../../src/services/auth/access-token.js';

const claims = {
  userId: '6a0c9a55-5a43-4c3f-9d1e-2f0f7f7f0a01',
  email: 'a@example.com',
  role: 'user' as const,
};

/** Verified tokens are remembered to spare the HMAC per request; expiry still applies every time. */
describe('AccessTokens', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('verifies a token again and again, and refuses it from the moment it expires', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
    const tokens = new AccessTokens('a test secret of enough length', 60);
    const token = await tokens.sign(claims);
    expect(await tokens.verify(token)).toEqual(claims);
    vi.setSystemTime(new Date('2026-01-01T00:00:59Z'));
    expect(await tokens.verify(token)).toEqual(claims);
    vi.setSystemTime(new Date('2026-01-01T00:01:00Z'));
    expect(await tokens.verify(token)).toBeNull();
    expect(await tokens.verify(token)).toBeNull();
  });

  it('refuses a token signed with another secret or altered, even after the real one verified', async () => {
    const tokens = new AccessTokens('a test secret of enough length', 60);
    const other = new AccessTokens('another secret entirely, also long', 60);
    const token = await tokens.sign(claims);
    expect(await tokens.verify(token)).toEqual(claims);
    expect(await tokens.verify(await other.sign(claims))).toBeNull();
    const [header, , signature] = token.split('.');
    const forgedPayload = Buffer.from(
      JSON.stringify({
        ...JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()),
        role: 'admin',
      }),
    ).toString('base64url');
    expect(await tokens.verify(`${header}.${forgedPayload}.${signature}`)).toBeNull();
  });
});
