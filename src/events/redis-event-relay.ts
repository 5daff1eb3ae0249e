import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import type { AppEventMap, AppEventName, AppEvents } from './app-events.js';

interface WireMessage {
  origin: string;
  event: AppEventName;
  payload: unknown;
}

const knownEvents: ReadonlySet<string> = new Set<AppEventName>([
  'job.progress',
  'library.changed',
  'access.changed',
  'settings.changed',
]);

/**
 * Shares app events between processes over Redis pub/sub: workers publish job progress, every
 * server replica hears it and passes it to its SSE clients. Each process ignores its own messages
 * (it delivered them locally already). Pub/sub is fire-and-forget: an event published while Redis
 * is down is lost, and clients recover from the job rows (GET /api/jobs).
 */
export class RedisEventRelay {
  private readonly origin = randomUUID();
  private readonly channel: string;

  constructor(
    private readonly events: AppEvents,
    private readonly publisher: Redis,
    private readonly subscriber: Redis | null,
    prefix: string,
    private readonly log: Logger,
  ) {
    this.channel = `${prefix}:events`;
  }

  async start(): Promise<void> {
    this.events.attachRelay((event, payload) => {
      const message: WireMessage = { origin: this.origin, event, payload };
      this.publisher.publish(this.channel, JSON.stringify(message)).catch(() => undefined);
    });
    if (!this.subscriber) return;
    this.subscriber.on('message', (channel: string, raw: string) => {
      if (channel !== this.channel) return;
      this.receive(raw);
    });
    await this.subscriber.subscribe(this.channel);
  }

  private receive(raw: string): void {
    let message: WireMessage;
    try {
      message = JSON.parse(raw) as WireMessage;
    } catch {
      this.log.warn('ignored an event that is not JSON');
      return;
    }
    if (message.origin === this.origin || !knownEvents.has(message.event)) return;
    this.events.deliver(message.event, message.payload as AppEventMap[typeof message.event]);
  }

  stop(): void {
    this.events.attachRelay(null);
  }
}
