import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisUrl, scaleOutSkipReason, Topology } from '../support/topology.js';

describe.skipIf(scaleOutSkipReason !== null)('runtime settings in the split deployment', () => {
  let topology: Topology;

  beforeAll(async () => {
    topology = await Topology.create({ redisUrl: redisUrl as string });
  });

  afterAll(async () => {
    await topology.dispose();
  });

  it('a schedule changed through a server re-plans the separate scheduler process, no restart', async () => {
    const scheduler = topology.start('scheduler', 'scheduler');
    await topology.waitForLog(scheduler, /scheduler acting/);
    expect(scheduler.output()).toContain('reconcile (0 3 * * *)');
    const server = topology.start('server', 'server');
    const url = await topology.serverUrl(server);
    const auth = await topology.signIn(url);

    const res = await fetch(`${url}/api/settings`, {
      method: 'PUT',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ SCHEDULE_RECONCILE: '15 4 * * 1' }),
    });
    expect(res.status).toBe(200);
    // The server's settings.changed event reaches the scheduler over Redis; it re-arms the task.
    await topology.waitForLog(scheduler, /"task":"reconcile","from":"0 3 \* \* \*","to":"15 4 \* \* 1"/);
    expect(await topology.stop(scheduler)).toBe(0);
    expect(await topology.stop(server)).toBe(0);
  });
});
