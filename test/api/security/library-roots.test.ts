import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProblemJson } from '../../support/api-types.js';
import { makeTempDir, startTestApp, type TestApp, type TestUser } from '../../support/test-app.js';

interface ConflictJson extends ProblemJson {
  conflictingLibrary?: { id: string; name: string; root: string } | null;
}

const add = (t: TestApp, roots: string[], as?: TestUser) =>
  t.request<ConflictJson & { id: string }>('POST', '/api/libraries', { as, body: { roots } });

describe('library folders: only what an administrator opened (LIBRARY_BASE), never overlapping', () => {
  let t: TestApp;
  let base: string;
  let outside: string;
  let alice: TestUser;
  let bob: TestUser;
  let aliceLibrary: string;

  beforeAll(async () => {
    base = await makeTempDir('roots-base');
    outside = await makeTempDir('roots-outside');
    for (const d of ['alice/2024', 'bob', 'shared', 'x/.photo-sync-trash/item'])
      await fs.mkdir(path.join(base, d), { recursive: true });
    await fs.writeFile(path.join(outside, 'secret.txt'), 'secret');
    await fs.symlink(outside, path.join(base, 'escape'));
    await fs.symlink(path.join(base, 'alice'), path.join(base, 'alias-of-alice'));
    await fs.symlink('/etc', path.join(base, 'etc-link'));
    t = await startTestApp({ env: { LIBRARY_BASE: base } });
    alice = await t.createUser('alice@example.com');
    bob = await t.createUser('bob@example.com');
    const created = await add(t, [path.join(base, 'alice')], alice);
    expect(created.status).toBe(201);
    aliceLibrary = created.body.id;
  });
  afterAll(async () => {
    await t.stop();
    await fs.rm(base, { recursive: true, force: true });
    await fs.rm(outside, { recursive: true, force: true });
  });

  it('a user adds a folder inside the allowed base', async () => {
    const res = await add(t, [path.join(base, 'bob') + '/'], bob);
    expect(res.status).toBe(201);
  });

  it("nobody adds another user's folder, a folder inside it, one containing it, or a symlink to it: 409", async () => {
    for (const root of [
      path.join(base, 'alice'),
      path.join(base, 'alice/2024'),
      path.join(base, 'alias-of-alice'),
      path.join(base, 'alice/../alice/2024'),
    ]) {
      const res = await add(t, [root], bob);
      expect(res.status, root).toBe(409);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      // Bob may not see Alice's library: it is "another account's library", not its name.
      expect(res.body.detail, root).toMatch(/another account's library/);
      expect(res.body.conflictingLibrary).toBeNull();
    }
    // The owner is told which of their libraries it is.
    const own = await add(t, [path.join(base, 'alice/2024')], alice);
    expect(own.status).toBe(409);
    expect(own.body.conflictingLibrary).toMatchObject({ id: aliceLibrary, name: 'alice' });
    // An administrator (confined to LIBRARY_BASE) cannot add the base that contains it either.
    const admin = await add(t, [base]);
    expect(admin.status).toBe(409);
    expect(admin.body.detail).toMatch(/contains/);
    expect(admin.body.conflictingLibrary).toMatchObject({ id: aliceLibrary });
  });

  it('a user cannot add the base itself, anything outside it, a trash folder, or two overlapping folders', async () => {
    for (const root of [
      base,
      '/',
      '/etc',
      outside,
      path.join(base, 'escape'),
      path.join(base, 'etc-link'),
      path.join(base, '..'),
    ]) {
      const res = await add(t, [root], bob);
      expect(res.status, root).toBe(400);
      expect(res.body.detail, root).toMatch(/outside the folders open for libraries/);
    }
    const trash = await add(t, [path.join(base, 'x/.photo-sync-trash/item')], bob);
    expect(trash.status).toBe(400);
    expect(trash.body.detail).toMatch(/trash/);
    const twice = await add(t, [path.join(base, 'shared'), path.join(base, 'shared')], bob);
    expect(twice.status).toBe(400);
    expect(twice.body.detail).toMatch(/overlap/);
  });

  it('errors do not tell whether a folder outside exists, nor the working directory', async () => {
    const exists = await add(t, [path.join(outside, 'secret.txt')], bob);
    const missing = await add(t, [path.join(outside, 'no-such-thing')], bob);
    const existsDir = await add(t, [outside], bob);
    expect([exists.status, missing.status, existsDir.status]).toEqual([400, 400, 400]);
    const shape = (r: typeof exists, p: string) => r.body.detail.replace(p, '<path>');
    expect(shape(exists, path.join(outside, 'secret.txt'))).toBe(
      shape(missing, path.join(outside, 'no-such-thing')),
    );
    expect(shape(existsDir, outside)).toBe(shape(missing, path.join(outside, 'no-such-thing')));
    for (const body of [exists.body, missing.body])
      expect(JSON.stringify(body)).not.toMatch(/does not exist|is a file/);

    for (const rel of ['photos', './x', '../..', 'alice']) {
      const res = await add(t, [rel], bob);
      expect(res.status, rel).toBe(400);
      expect(res.body.detail).toMatch(/absolute path/);
      expect(JSON.stringify(res.body)).not.toContain(process.cwd());
    }
    expect((await t.get<{ items: unknown[] }>('/api/libraries', bob)).body.items).toHaveLength(1);
  });
});

describe('library folders without LIBRARY_BASE: only administrators add, and never system folders or the data dir', () => {
  let t: TestApp;
  let folder: string;

  beforeAll(async () => {
    folder = await makeTempDir('roots-admin');
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.stop();
    await fs.rm(folder, { recursive: true, force: true });
  });

  it('a user gets 403 for any folder, even a real, readable one', async () => {
    const carol = await t.createUser('carol@example.com');
    for (const root of [folder, '/etc', '/']) {
      const res = await add(t, [root], carol);
      expect(res.status, root).toBe(403);
      expect(res.body.detail).toMatch(/Only an administrator/);
    }
  });

  it('an administrator cannot add /, system folders, the data dir, a folder containing it, or one inside it', async () => {
    for (const root of ['/', '/etc', '/proc', '/sys', '/usr/share', '/dev']) {
      const res = await add(t, [root]);
      expect(res.status, root).toBe(400);
      expect(res.body.detail, root).toMatch(/system folder|root of the file system/);
    }
    for (const root of [
      t.dataDir,
      path.join(t.dataDir, 'thumbnails'),
      path.dirname(t.dataDir),
      os.tmpdir(),
    ]) {
      await fs.mkdir(root, { recursive: true });
      const res = await add(t, [root]);
      expect(res.status, root).toBe(400);
      expect(res.body.detail, root).toMatch(/data folder/);
    }
    expect((await add(t, [folder])).status).toBe(201);
  });
});
