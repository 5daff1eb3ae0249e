import type { Logger } from '../../logger.js';

/** ioredis reconnection delay for its `times`-th attempt: 250 ms doubling, at most 5 s. */
export function redisBackoffMs(times: number): number {
  return Math.min(250 * 2 ** Math.max(0, times - 1), 5000);
}

/** Errors near a step's end belong to that step (the connections' timers drift a little). */
const STEP_SLACK_MS = 50;

/**
 * Whether this process reaches Redis, from the events of all its connections (its own and the
 * ones BullMQ duplicates). While Redis is away it logs one JSON warning per backoff step, however
 * many connections fail at once; the heartbeat of a worker asks it before reporting healthy.
 */
export class RedisHealth {
  private state: 'connecting' | 'up' | 'down' = 'connecting';
  private attempt = 0;
  private nextLogAt = 0;
  private downSince = 0;
  private settle: (() => void) | null = null;
  private readonly settled: Promise<void>;

  constructor(
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.settled = new Promise((resolve) => (this.settle = resolve));
  }

  get reachable(): boolean {
    return this.state === 'up';
  }

  /** A connection failed (refused, reset, timed out, DNS): Redis is down until one is ready. */
  reportError(err: Error): void {
    const t = this.now();
    if (this.state !== 'down') {
      this.state = 'down';
      this.attempt = 0;
      this.nextLogAt = 0;
      this.downSince = t;
    }
    this.settle?.();
    if (t < this.nextLogAt - STEP_SLACK_MS) {
      this.log.debug({ err: err.message }, 'Redis still unreachable');
      return;
    }
    this.attempt++;
    const retryInMs = redisBackoffMs(this.attempt);
    this.nextLogAt = t + retryInMs;
    this.log.warn(
      { attempt: this.attempt, retryInMs, downForMs: t - this.downSince, err: err.message },
      'Redis unreachable; retrying',
    );
  }

  reportReady(): void {
    if (this.state === 'down')
      this.log.info({ downForMs: this.now() - this.downSince }, 'Redis reachable again');
    this.state = 'up';
    this.settle?.();
  }

  /** Resolves once the first connection attempt succeeded or failed. */
  firstOutcome(): Promise<void> {
    return this.settled;
  }

  /** For health checks: rejects while Redis is unreachable (or not reached yet). */
  assertReachable(): Promise<void> {
    return this.reachable
      ? Promise.resolve()
      : Promise.reject(new Error(`Redis is ${this.state === 'down' ? 'unreachable' : 'not connected yet'}`));
  }
}
