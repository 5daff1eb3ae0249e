import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { configProblems } from '../support/config-problems.js';

const problems = configProblems;

describe('scale-out configuration', () => {
  it('defaults to the in-process queue, a daily reconcile and one job per queue but two ingest batches', () => {
    const c = loadConfig({});
    expect(c.redisUrl).toBeNull();
    expect(c.queue.concurrency).toEqual({ scan: 1, ingest: 2, analysis: 1, maintenance: 1 });
    expect(c.schedules).toEqual({ reconcile: '0 3 * * *', trashPurge: '30 3 * * *' });
    expect(c.queue.attempts).toBe(5);
  });

  it('reads queue, schedule and worker settings', () => {
    const c = loadConfig({
      REDIS_URL: 'redis://cache:6379',
      QUEUE_CONCURRENCY_INGEST: '3',
      QUEUE_CONCURRENCY_ANALYSIS: '0',
      SCHEDULE_RECONCILE: '*/15 * * * *',
      LIBVIPS_THREADS: '1',
    });
    expect(c.redisUrl).toBe('redis://cache:6379');
    expect(c.queue.concurrency.ingest).toBe(3);
    expect(c.queue.concurrency.analysis).toBe(0);
    expect(c.schedules.reconcile).toBe('*/15 * * * *');
    expect(c.libvipsThreads).toBe(1);
  });

  it('names the variable of a bad cron expression, Redis URL or concurrency', () => {
    expect(problems({ SCHEDULE_RECONCILE: 'every day' })[0]).toMatch(/^SCHEDULE_RECONCILE: must be a cron/);
    expect(problems({ SCHEDULE_TRASH_PURGE: '0 3 * * * *' })[0]).toMatch(/^SCHEDULE_TRASH_PURGE:/);
    expect(problems({ REDIS_URL: 'http://cache' })[0]).toMatch(/^REDIS_URL: must be a redis:\/\//);
    expect(problems({ QUEUE_CONCURRENCY_INGEST: '-1' })[0]).toMatch(/^QUEUE_CONCURRENCY_INGEST:/);
  });
});
