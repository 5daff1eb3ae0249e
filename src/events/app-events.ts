import { EventEmitter } from 'node:events';

/** What happens inside the app that a client may want to hear about (logs, SSE). */
export interface AppEventMap {
  'job.progress': {
    jobId: string;
    type: string;
    libraryId: string | null;
    /** Who asked for the job (null: the system); used to filter live events per user. */
    requestedBy: string | null;
    status: string;
    total: number;
    done: number;
    failed: number;
  };
  'library.changed': { libraryId: string; reason: string };
  /** Who may see which library changed (share, new or deleted library): live streams re-check. */
  'access.changed': { libraryId: string | null };
  /** An administrator changed runtime settings: the scheduler re-plans, pages reload them. */
  'settings.changed': { keys: string[] };
}

export type AppEventName = keyof AppEventMap;

/** Forwards every locally emitted event to other processes (Redis pub/sub when configured). */
export type EventRelay = <E extends AppEventName>(event: E, payload: AppEventMap[E]) => void;

/**
 * A typed event bus. Listeners must not throw; the emitter is fire-and-forget. With a relay
 * attached, what one process emits reaches the listeners of every process (SSE on each replica).
 */
export class AppEvents {
  private readonly emitter = new EventEmitter({ captureRejections: false });
  private relay: EventRelay | null = null;

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  emit<E extends AppEventName>(event: E, payload: AppEventMap[E]): void {
    this.emitter.emit(event, payload);
    this.relay?.(event, payload);
  }

  /** An event that another process emitted: local listeners only, never relayed again. */
  deliver<E extends AppEventName>(event: E, payload: AppEventMap[E]): void {
    this.emitter.emit(event, payload);
  }

  attachRelay(relay: EventRelay | null): void {
    this.relay = relay;
  }

  on<E extends AppEventName>(event: E, listener: (payload: AppEventMap[E]) => void): () => void {
    this.emitter.on(event, listener);
    return () => this.emitter.off(event, listener);
  }
}
