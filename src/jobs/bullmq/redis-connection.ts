import { Redis } from 'ioredis';
import { redisBackoffMs, type RedisHealth } from './redis-health.js';

/**
 * `command`: a command fails after one reconnection attempt while Redis is away (an enqueue must
 * not hang an HTTP request; the row is in the database and the sweeper dispatches it later).
 * `blocking`: waits and retries forever, as BullMQ workers and pub/sub subscribers need.
 * Connection errors go to `health`, which logs them (one line per backoff step, not per error).
 */
export function createRedis(url: string, kind: 'command' | 'blocking', health: RedisHealth): Redis {
  const redis = new Redis(url, {
    lazyConnect: false,
    maxRetriesPerRequest: kind === 'blocking' ? null : 1,
    // Back off to one attempt per 5 s while Redis is down; never give up. Duplicates (BullMQ
    // makes its blocking connections so) keep this strategy.
    retryStrategy: redisBackoffMs,
  });
  redis.on('error', (err: Error) => {
    health.reportError(err);
  });
  redis.on('ready', () => {
    health.reportReady();
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
