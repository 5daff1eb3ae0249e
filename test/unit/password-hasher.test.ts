import { describe, expect, it } from 'vitest';
import { PasswordHasher } from '../../src/services/auth/password-hasher.js';

/**
 * Written by the `argon2` package (0.45, `argon2.hash(password, { type: argon2id })`) that
 * photo-sync used before @node-rs/argon2: accounts created then must keep signing in. Note its
 * parameter order (m, p, t), which differs from what @node-rs/argon2 writes (m, t, p).
 */
const LEGACY_HASH =
  '$argon2id$v=19$m=65536,p=4,t=3$3OiE10EWK6HUjtWvZs7J7A$00yq9L98igfpyS5z/vmR2f0rxvuhmKzSl/4J6Q6nmW8';
const LEGACY_PASSWORD = 'correct horse battery staple';

describe('PasswordHasher', () => {
  const hasher = new PasswordHasher();

  it('verifies a hash written by the argon2 package it replaced, and only for its password', async () => {
    expect(await hasher.verify(LEGACY_HASH, LEGACY_PASSWORD)).toBe(true);
    expect(await hasher.verify(LEGACY_HASH, `${LEGACY_PASSWORD} `)).toBe(false);
    expect(await hasher.verifyOrBurn(LEGACY_HASH, LEGACY_PASSWORD)).toBe(true);
  });

  it('writes argon2id with the same cost as before (64 MiB, t=3, p=4) and a fresh salt', async () => {
    const a = await hasher.hash('s3cret passphrase');
    const b = await hasher.hash('s3cret passphrase');
    expect(a).toMatch(/^\$argon2id\$v=19\$m=65536,t=3,p=4\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/);
    expect(a).not.toBe(b);
    expect(await hasher.verify(a, 's3cret passphrase')).toBe(true);
    expect(await hasher.verify(a, 's3cret passphrasf')).toBe(false);
  });

  it('never authenticates a malformed hash or an unknown account', async () => {
    expect(await hasher.verify('not-a-hash', 'x')).toBe(false);
    expect(await hasher.verify(LEGACY_HASH.slice(0, -4), LEGACY_PASSWORD)).toBe(false);
    expect(await hasher.verifyOrBurn(undefined, LEGACY_PASSWORD)).toBe(false);
  });
});
