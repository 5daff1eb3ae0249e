import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpsClient } from '../support/https-client.js';
import { makeJpeg, writeFileDeep } from '../support/images.js';
import { hasCommand, startCaddy, startNginx, type RunningProxy } from '../support/proxies.js';
import { PrivateRedis, redisServerAvailable } from '../support/redis-server.js';
import { eventually, makeTempDir } from '../support/test-app.js';
import { scaleOutSkipReason, Topology } from '../support/topology.js';

const PHOTOS = 30;

const skipReason =
  scaleOutSkipReason ??
  (!redisServerAvailable
    ? 'production e2e skipped: no redis-server binary'
    : !hasCommand('caddy') || !hasCommand('nginx')
      ? 'production e2e skipped: caddy and nginx are needed (apt-get install caddy nginx; .ci/run does)'
      : null);
if (skipReason) console.warn(skipReason);

interface JobJson {
  id: string;
  status: string;
  progress: { total: number; done: number; failed: number };
}

async function makeLibrary(root: string, seed: number): Promise<void> {
  for (let i = 0; i < PHOTOS; i++)
    await writeFileDeep(
      path.join(root, `IMG_${seed + i}.JPG`),
      await makeJpeg({ seed: seed + i, width: 2400, height: 1600 }),
    );
  // Two byte-identical copies: the duplicates endpoint must find them.
  await fs.copyFile(path.join(root, `IMG_${seed}.JPG`), path.join(root, `copy of IMG_${seed}.JPG`));
}

/**
 * Through the proxy over HTTPS: sign in, add a library, and watch its scan on the live event
 * stream. Returns the progress events seen and, for the first one, whether the job was still
 * unfinished when it arrived (an SSE stream buffered by the proxy would deliver nothing until
 * the end).
 */
async function scanThroughProxy(proxy: RunningProxy, topology: Topology, root: string) {
  const client = new HttpsClient(proxy.url, proxy.ca);
  const auth = await topology.signIn(proxy.url, client.fetch);
  const progress: { status: string; done: number; total: number }[] = [];
  let jobId: string | null = null;
  const first: { stillRunning?: Promise<boolean> } = {};
  const stream = await client.openEvents('/api/events', auth, (e) => {
    if (e.name !== 'job.progress') return;
    const p = e.data as { jobId: string; status: string; done: number; total: number };
    if (p.jobId !== jobId) return;
    progress.push(p);
    first.stillRunning ??= client
      .json<JobJson>('GET', `/api/jobs/${p.jobId}`, { headers: auth })
      .then((r) => r.body.status !== 'completed');
  });
  const created = await client.json<{ id: string; scanJobId: string }>('POST', '/api/libraries', {
    headers: auth,
    json: { roots: [root] },
  });
  expect(created.status).toBe(201);
  jobId = created.body.scanJobId;
  const done = await eventually(
    async () => {
      const r = await client.json<JobJson>('GET', `/api/jobs/${created.body.scanJobId}`, { headers: auth });
      return r.body.status === 'completed' ? r.body : undefined;
    },
    180_000,
    'the scan to complete behind the proxy',
  );
  stream.close();
  return {
    client,
    auth,
    done,
    progress,
    stillRunningAtFirstEvent: first.stillRunning,
    streamHeaders: stream.headers,
    libraryId: created.body.id,
  };
}

describe.skipIf(skipReason !== null)('production topology behind Caddy and nginx, over HTTPS', () => {
  let work: string;
  let redis: PrivateRedis;
  let topology: Topology;
  const proxies: RunningProxy[] = [];

  beforeAll(async () => {
    work = await makeTempDir('prod-e2e');
    await fs.chmod(work, 0o755);
    await makeLibrary(path.join(work, 'library-a'), 6000);
    await makeLibrary(path.join(work, 'library-b'), 7000);
    redis = await PrivateRedis.start(6391);
    topology = await Topology.create({
      redisUrl: redis.url,
      env: { INGEST_BATCH_SIZE: '3', INGEST_CONCURRENCY: '1', NODE_ENV: 'production', TRUST_PROXY: 'true' },
    });
  });

  afterAll(async () => {
    for (const p of proxies) await p.stop();
    await topology.dispose();
    await redis.kill();
    await fs.rm(work, { recursive: true, force: true });
  });

  it('two servers, two workers and a scheduler serve a scan end to end through both proxies', async () => {
    const servers = [topology.start('server', 'server-1'), topology.start('server', 'server-2')];
    const upstreams = [];
    for (const s of servers) upstreams.push(new URL(await topology.serverUrl(s)).host);
    const workers = [topology.start('worker', 'worker-1'), topology.start('worker', 'worker-2')];
    const scheduler = topology.start('scheduler', 'scheduler');
    for (const w of workers) await topology.waitForLog(w, /photo-sync worker is running/);
    await topology.waitForLog(scheduler, /scheduler acting/);

    const caddy = await startCaddy(upstreams, path.join(work, 'caddy'));
    proxies.push(caddy);
    expect((await fetch(caddy.healthUrl)).status).toBe(200);

    const a = await scanThroughProxy(caddy, topology, path.join(work, 'library-a'));
    expect(a.done.progress).toEqual({ total: PHOTOS + 1, done: PHOTOS + 1, failed: 0 });
    // Live progress reached the browser while the scan ran, relayed from the workers.
    expect(a.progress.length).toBeGreaterThan(1);
    expect(await a.stillRunningAtFirstEvent).toBe(true);
    expect(a.progress.some((p) => p.done < p.total)).toBe(true);
    expect(a.streamHeaders['content-type']).toContain('text/event-stream');

    // Security headers on an ordinary response.
    const status = await a.client.request('GET', '/api/auth/status');
    expect(status.headers['strict-transport-security']).toContain('max-age=');
    expect(status.headers['x-content-type-options']).toBe('nosniff');
    expect(status.headers['x-frame-options']).toBe('DENY');
    expect(status.headers['referrer-policy']).toBeDefined();

    // The analysis the scan queued finds the byte-identical copy.
    const groups = await eventually(
      async () => {
        const r = await a.client.json<{ items: { kind: string; memberCount?: number }[] }>(
          'GET',
          `/api/duplicates?library=${a.libraryId}`,
          { headers: a.auth },
        );
        expect(r.status).toBe(200);
        return r.body.items.some((g) => g.kind === 'exact') ? r.body.items : undefined;
      },
      120_000,
      'the exact duplicate group',
    );
    expect(groups.filter((g) => g.kind === 'exact')).toHaveLength(1);

    // The same through nginx, on the other library.
    const nginx = await startNginx(upstreams, path.join(work, 'nginx'));
    proxies.push(nginx);
    expect((await fetch(nginx.healthUrl)).status).toBe(200);
    const b = await scanThroughProxy(nginx, topology, path.join(work, 'library-b'));
    expect(b.done.progress).toEqual({ total: PHOTOS + 1, done: PHOTOS + 1, failed: 0 });
    expect(await b.stillRunningAtFirstEvent).toBe(true);
    expect(b.progress.some((p) => p.done < p.total)).toBe(true);
    const viaNginx = await b.client.request('GET', '/api/duplicates', { headers: b.auth });
    expect(viaNginx.status).toBe(200);
    expect(viaNginx.headers['strict-transport-security']).toContain('max-age=');

    // Both server replicas answered requests (round robin), and every process stops cleanly.
    for (const s of servers) expect(s.output()).toContain('"url":"/api/');
    for (const p of [...servers, ...workers, scheduler]) expect(await topology.stop(p)).toBe(0);
  });
});
