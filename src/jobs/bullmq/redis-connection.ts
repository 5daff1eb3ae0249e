import { Redis } from 'ioredis';
import type { Logger } from '../../logger.js';

/**
 * `command`: a command fails after one reconnection attempt while Redis is away (an enqueue must
 * not hang an HTTP request; the row is in the database and the sweeper dispatches it later).
 * `blocking`: waits and retries forever, as BullMQ workers and pub/sub subscribers need.
 */
export function createRedis(url: string, kind: 'command' | 'blocking', log: Logger): Redis {
  const redis = new Redis(url, {
    lazyConnect: false,
    maxRetriesPerRequest: kind === 'blocking' ? null : 1,
    // Back off to one attempt per 2 s while Redis is down; never give up.
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
  let down = false;
  redis.on('error', (err: Error) => {
    if (!down) log.warn({ err: err.message }, 'Redis unavailable; retrying');
    down = true;
  });
  redis.on('ready', () => {
    if (down) log.info('Redis reachable again');
    down = false;
  });
  return redis;
}

/** Closes without waiting for replies that will never come when Redis is down. */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'ready') {
    await redis.quit().catch(() => {
      redis.disconnect();
    });
  } else {
    redis.disconnect();
  }
}
