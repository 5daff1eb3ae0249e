import { Permission } from '@immich/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeImmich } from '../support/fake-immich.js';
import { addVersionPair, connectImmichLibrary } from '../support/immich-fixtures.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

interface JobJson {
  status: string;
  progress: { total: number; done: number; failed: number };
  results: { assetId: string; status: string; error: string | null }[] | null;
}
interface WriteJson {
  kind: string;
  status: string;
  subjectId: string;
  error: string | null;
}

describe('Immich failures never stop a job: 5xx retried, outage, revoked key, missing permission, deleted asset', () => {
  let t: TestApp;
  let immich: FakeImmich;
  let libraryId = '';
  const bases: string[] = [];
  const edits: string[] = [];
  const job = async (jobId: string) => {
    await t.app.queue.whenIdle();
    return (await t.get<JobJson>(`/api/jobs/${jobId}`)).body;
  };
  const writes = async (jobId: string) =>
    (await t.get<{ items: WriteJson[] }>(`/api/libraries/${libraryId}/immich/push/${jobId}`)).body.items;
  const push = async () => {
    const res = await t.request<{ jobId: string; items: number }>(
      'POST',
      `/api/libraries/${libraryId}/immich/push`,
      { body: { stacks: true, albums: false, duplicates: false } },
    );
    expect(res.status).toBe(202);
    return res.body.jobId;
  };
  const undo = async (jobId: string) => {
    const res = await t.request('POST', `/api/libraries/${libraryId}/immich/push/${jobId}/undo`);
    expect(res.status).toBe(200);
  };
  const stackCreates = () => immich.hits.get('POST /api/stacks') ?? 0;

  beforeAll(async () => {
    immich = new FakeImmich();
    await immich.start();
    // Three originals, each with an edit beside it, hours apart: three version stacks.
    for (const i of [0, 1, 2]) {
      const pair = await addVersionPair(
        immich,
        80 + i,
        `2024:09:0${i + 1} 1${i}:00:00`,
        `/photos/IMG_0${i}00.JPG`,
        `/photos/IMG_0${i}00-edited.jpg`,
      );
      bases.push(pair.base);
      edits.push(pair.edit);
    }
    t = await startTestApp();
    libraryId = await connectImmichLibrary(t, immich);
  });

  afterAll(async () => {
    await t.stop();
    await immich.stop();
  });

  it('retries a 5xx with backoff; one that persists fails only its item, and retrying the job redoes it', async () => {
    immich.failNext(2, 503, 'POST /api/stacks');
    const first = await push();
    expect(await job(first)).toMatchObject({
      status: 'completed',
      progress: { total: 3, done: 3, failed: 0 },
    });
    expect(immich.stacks.size).toBe(3);
    await undo(first);
    expect(immich.stacks.size).toBe(0);

    // 1 try + 3 retries, all 503: that item fails with Immich's status, the others go on.
    const before = stackCreates();
    immich.failNext(4, 503, 'POST /api/stacks');
    const second = await push();
    expect(await job(second)).toMatchObject({
      status: 'completed',
      progress: { total: 3, done: 2, failed: 1 },
    });
    expect(stackCreates() - before).toBe(6);
    const failed = (await writes(second)).filter((w) => w.status === 'failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]?.error).toMatch(/failed \(stack create, HTTP 503\)/);
    expect(immich.stacks.size).toBe(2);

    const retry = await t.request<{ jobId: string }>('POST', `/api/jobs/${second}/retry`);
    expect(retry.status).toBe(202);
    expect(await job(retry.body.jobId)).toMatchObject({
      status: 'completed',
      progress: { done: 1, failed: 0 },
    });
    expect(immich.stacks.size).toBe(3);
    await undo(second);
    await undo(retry.body.jobId);
    expect(immich.stacks.size).toBe(0);
  });

  it('Immich going down mid-job fails the items left with the reason, without sending them; retry finishes them', async () => {
    const before = stackCreates();
    // The first stack is created, then every request to create one finds the server gone.
    immich.failNext(1000, 0, 'POST /api/stacks', 1);
    const jobId = await push();
    expect(await job(jobId)).toMatchObject({
      status: 'completed',
      progress: { total: 3, done: 1, failed: 2 },
    });
    // One success, then one try + 3 retries for the item that met the outage; the last is not sent.
    expect(stackCreates() - before).toBe(5);
    const failed = (await writes(jobId)).filter((w) => w.status === 'failed');
    expect(failed.map((w) => w.error ?? '').sort()).toEqual([
      expect.stringMatching(/^Immich at .* cannot be reached \(stack create\).*Check the URL/),
      expect.stringMatching(/^Not tried: Immich at .* cannot be reached/),
    ]);
    expect(immich.stacks.size).toBe(1);

    immich.failNext(0);
    const retry = await t.request<{ jobId: string }>('POST', `/api/jobs/${jobId}/retry`);
    expect(await job(retry.body.jobId)).toMatchObject({
      status: 'completed',
      progress: { done: 2, failed: 0 },
    });
    expect(immich.stacks.size).toBe(3);
    await undo(jobId);
    await undo(retry.body.jobId);
    expect(immich.stacks.size).toBe(0);
  });

  it('a key without a permission fails each item naming the permission; a revoked key fails the rest at once', async () => {
    immich.permissions = Object.values(Permission).filter(
      (p) => p !== Permission.All && p !== Permission.StackCreate,
    );
    const jobId = await push();
    expect(await job(jobId)).toMatchObject({
      status: 'completed',
      progress: { total: 3, done: 0, failed: 3 },
    });
    for (const w of await writes(jobId))
      expect(w.error).toMatch(/lacks the stack\.create permission .*Account settings → API keys/);
    expect(immich.stacks.size).toBe(0);
    immich.permissions = [Permission.All];

    // Removals while the key is revoked: the first meets the 401, the second is not sent.
    const ids = await t.app.database.db
      .selectFrom('assets')
      .select('id')
      .where('external_id', 'in', [edits[0]!, edits[1]!])
      .execute();
    const key = immich.apiKey;
    immich.apiKey = 'revoked-key-0000000000000';
    const req = await t.request<{ jobId: string }>('POST', '/api/actions', {
      body: { items: ids.map((r) => ({ kind: 'remove', assetId: r.id, keepAssetIds: [] })) },
    });
    expect(req.status).toBe(202);
    const done = await job(req.body.jobId);
    expect(done).toMatchObject({ status: 'completed', progress: { total: 2, done: 0, failed: 2 } });
    const errors = (done.results ?? []).map((r) => r.error ?? '').sort();
    expect(errors).toEqual([
      expect.stringMatching(/^Immich at .* refused the API key \(asset\): it was revoked or is wrong/),
      expect.stringMatching(/^Not tried: Immich at .* refused the API key/),
    ]);
    expect(edits.map((e) => immich.assets.get(e)?.deletedAt ?? null)).toEqual([null, null, null]);

    // With the key back, retrying the job removes both into Immich's trash.
    immich.apiKey = key;
    const retry = await t.request<{ jobId: string }>('POST', `/api/jobs/${req.body.jobId}/retry`);
    expect((await job(retry.body.jobId)).progress).toMatchObject({ done: 2, failed: 0 });
    expect(immich.assets.get(edits[0]!)?.deletedAt).not.toBeNull();
    expect(immich.assets.get(edits[1]!)?.deletedAt).not.toBeNull();
    const trash = await t.get<{ items: { id: string }[] }>('/api/trash');
    for (const entry of trash.body.items)
      expect((await t.request('POST', `/api/trash/${entry.id}/restore`)).status).toBe(200);
    expect(immich.assets.get(edits[0]!)?.deletedAt).toBeNull();
  });

  it('a stack whose asset was deleted in Immich since the analysis is skipped and reported; the job goes on', async () => {
    immich.purge(edits[2]!);
    const jobId = await push();
    expect(await job(jobId)).toMatchObject({
      status: 'completed',
      progress: { total: 3, done: 3, failed: 0 },
    });
    const items = await writes(jobId);
    expect(items.filter((w) => w.status === 'applied')).toHaveLength(2);
    const skipped = items.filter((w) => w.status === 'skipped');
    expect(skipped).toHaveLength(1);
    expect(skipped[0]?.error).toBe('1 asset(s) deleted in Immich since the analysis were left out.');
    expect(immich.stacks.size).toBe(2);
    expect([...immich.stacks.values()].some((s) => s.assetIds.includes(bases[2]!))).toBe(false);
  });
});
