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
}

export type AppEventName = keyof AppEventMap;

/** A typed in-process event bus. Listeners must not throw; the emitter is fire-and-forget. */
export class AppEvents {
  private readonly emitter = new EventEmitter({ captureRejections: false });

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  emit<E extends AppEventName>(event: E, payload: AppEventMap[E]): void {
    this.emitter.emit(event, payload);
  }

  on<E extends AppEventName>(event: E, listener: (payload: AppEventMap[E]) => void): () => void {
    this.emitter.on(event, listener);
    return () => this.emitter.off(event, listener);
  }
}
