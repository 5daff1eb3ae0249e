import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeJpeg, writeFileDeep } from '../support/images.js';
import { connectSse, type SseEvent } from '../support/sse-client.js';
import { makeTempDir, startTestApp, type TestApp, type TestUser } from '../support/test-app.js';

interface JobEvent {
  jobId: string;
  libraryId: string | null;
  status: string;
}

describe('live events (SSE)', () => {
  let root: string;
  let t: TestApp;
  let bob: TestUser;
  let libraryId: string;
  const auth = (u: TestUser) => ({ authorization: `Bearer ${u.accessToken}` });
  const isJobOf = (jobId: string, status?: string) => (e: SseEvent) =>
    e.event === 'job.progress' &&
    (e.data as JobEvent).jobId === jobId &&
    (status === undefined || (e.data as JobEvent).status === status);

  beforeAll(async () => {
    root = await makeTempDir('sse');
    await writeFileDeep(path.join(root, 'a.jpg'), await makeJpeg({ seed: 1 }));
    t = await startTestApp({ libraryRoots: [root], env: { SSE_HEARTBEAT_SECONDS: '1' } });
    await t.app.queue.whenIdle();
    bob = await t.createUser('bob@example.com');
    const libs = await t.get<{ items: { id: string }[] }>('/api/libraries');
    libraryId = libs.body.items[0]!.id;
  });
  afterAll(async () => {
    await t.stop();
    await fs.rm(root, { recursive: true, force: true });
  });

  it('needs authentication', async () => {
    const anon = await connectSse(`${t.baseUrl}/api/events`, {});
    expect(anon.status).toBe(401);
    anon.close();
  });

  it("streams the caller's job progress with ids and heartbeats; others do not see it", async () => {
    const admin = await connectSse(`${t.baseUrl}/api/events`, auth(t.admin));
    const other = await connectSse(`${t.baseUrl}/api/events`, auth(bob));
    expect(admin.status).toBe(200);
    await other.waitFor((e) => e.event === 'heartbeat', 5000, 'a heartbeat');

    const scan = await t.request<{ jobId: string }>('POST', `/api/libraries/${libraryId}/scan`);
    expect(scan.status).toBe(202);
    const done = await admin.waitFor(isJobOf(scan.body.jobId, 'completed'), 30_000, 'the scan to complete');
    expect(done.id).toBeGreaterThan(0);
    expect(done.data).toMatchObject({ libraryId, type: 'library.scan' });
    await other.waitFor(
      (e) => e.event === 'heartbeat' && (e.id ?? 0) > (done.id ?? 0),
      5000,
      'a later heartbeat',
    );
    expect(
      other.events.filter((e) => e.event === 'job.progress' && (e.data as JobEvent).libraryId === libraryId),
    ).toEqual([]);
    expect(admin.events.every((e) => typeof e.id === 'number')).toBe(true);
    admin.close();
    other.close();
  });

  it('replays missed events after Last-Event-ID, and shares open the stream to the new viewer', async () => {
    const first = await connectSse(`${t.baseUrl}/api/events`, auth(t.admin));
    const beat = await first.waitFor((e) => e.event === 'heartbeat', 5000, 'a heartbeat');
    first.close();

    // While disconnected: a scan runs.
    const scan = await t.request<{ jobId: string }>('POST', `/api/libraries/${libraryId}/scan`);
    await t.app.queue.whenIdle();
    const again = await connectSse(`${t.baseUrl}/api/events`, {
      ...auth(t.admin),
      'last-event-id': String(beat.id),
    });
    const replayed = await again.waitFor(isJobOf(scan.body.jobId, 'completed'), 5000, 'the replayed job');
    expect(replayed.id).toBeGreaterThan(beat.id ?? 0);
    again.close();

    // Bob gets a viewer share: the next scan of that library reaches him.
    expect(
      (await t.request('PUT', `/api/libraries/${libraryId}/shares/${bob.id}`, { body: { role: 'viewer' } }))
        .status,
    ).toBe(204);
    const bobStream = await connectSse(`${t.baseUrl}/api/events`, auth(bob));
    await bobStream.waitFor((e) => e.event === 'heartbeat', 5000, 'a heartbeat');
    const next = await t.request<{ jobId: string }>('POST', `/api/libraries/${libraryId}/scan`);
    await bobStream.waitFor(isJobOf(next.body.jobId, 'completed'), 30_000, "the shared library's scan");
    bobStream.close();
  });
});
