import type { AppEventMap, AppEvents } from './app-events.js';

/** The events a client may receive over SSE. */
export type LiveEventName = 'job.progress' | 'library.changed';

export interface LiveEvent {
  id: number;
  name: LiveEventName | 'heartbeat' | 'resync';
  data: unknown;
  /** Used for filtering only; never sent. */
  scope: { libraryId: string | null; requestedBy: string | null };
}

export interface LiveSubscriber {
  /** Whether this subscriber may receive an event with this scope. */
  canSee(scope: LiveEvent['scope']): boolean;
  send(event: LiveEvent): void;
  /** Re-reads what the subscriber may see (called when access changes). */
  refreshAccess(): void;
  /** Ends the stream (server shutdown). */
  end(): void;
}

/**
 * Fans app events out to live subscribers. Every event gets an id from one counter; the last
 * `replaySize` are kept so a reconnecting client (Last-Event-ID) receives what it missed, or a
 * `resync` event when the gap is older than the buffer. One heartbeat timer serves everyone.
 */
export class LiveEventHub {
  private nextId = 1;
  private readonly buffer: LiveEvent[] = [];
  /** Highest id dropped from the buffer: a client behind it may have missed events. */
  private evictedUpTo = 0;
  private readonly subscribers = new Set<LiveSubscriber>();
  private readonly unsubscribe: (() => void)[] = [];
  private heartbeat: NodeJS.Timeout | null = null;

  constructor(
    events: AppEvents,
    private readonly replaySize: number,
    private readonly heartbeatMs: number,
  ) {
    this.unsubscribe.push(
      events.on('job.progress', (p) => {
        this.publish('job.progress', p, { libraryId: p.libraryId, requestedBy: p.requestedBy });
      }),
      events.on('library.changed', (p) => {
        this.publish(
          'library.changed',
          { libraryId: p.libraryId },
          { libraryId: p.libraryId, requestedBy: null },
        );
      }),
      events.on('access.changed', () => {
        for (const s of this.subscribers) s.refreshAccess();
      }),
    );
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /** Adds a subscriber and replays what it missed after `lastEventId` (when given). */
  subscribe(subscriber: LiveSubscriber, lastEventId: number | null): () => void {
    if (lastEventId !== null) {
      if (lastEventId < this.evictedUpTo)
        subscriber.send(this.control('resync', { reason: 'events were missed; reload the state' }));
      for (const e of this.buffer) if (e.id > lastEventId && subscriber.canSee(e.scope)) subscriber.send(e);
    }
    this.subscribers.add(subscriber);
    this.heartbeat ??= setInterval(() => {
      const beat = this.control('heartbeat', { at: new Date().toISOString() });
      for (const s of this.subscribers) s.send(beat);
    }, this.heartbeatMs).unref();
    return () => {
      this.subscribers.delete(subscriber);
      if (this.subscribers.size === 0 && this.heartbeat) {
        clearInterval(this.heartbeat);
        this.heartbeat = null;
      }
    };
  }

  close(): void {
    for (const off of this.unsubscribe) off();
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    for (const s of this.subscribers) s.end();
    this.subscribers.clear();
  }

  private publish(
    name: LiveEventName,
    data: AppEventMap[LiveEventName] | { libraryId: string },
    scope: LiveEvent['scope'],
  ): void {
    const event: LiveEvent = { id: this.nextId++, name, data, scope };
    if (this.replaySize > 0) {
      this.buffer.push(event);
      while (this.buffer.length > this.replaySize)
        this.evictedUpTo = this.buffer.shift()?.id ?? this.evictedUpTo;
    } else this.evictedUpTo = event.id;
    for (const s of this.subscribers) if (s.canSee(scope)) s.send(event);
  }

  private control(name: 'heartbeat' | 'resync', data: unknown): LiveEvent {
    return { id: this.nextId++, name, data, scope: { libraryId: null, requestedBy: null } };
  }
}
