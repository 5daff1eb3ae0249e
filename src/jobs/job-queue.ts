import type { JobName, JobPayload } from './job-registry.js';

export interface EnqueueOptions {
  libraryId?: string | null;
  /** The user who asked; they see the job's progress even when it spans several libraries. */
  requestedBy?: string | null;
  /** Reuse a job of the same name that is still queued (not started) instead of adding another. */
  dedupe?: boolean;
}

/** The queue seen by services and routes; in-process today, BullMQ on Redis when configured. */
export interface JobQueue {
  enqueue<N extends JobName>(name: N, payload: JobPayload<N>, opts?: EnqueueOptions): Promise<string>;
  start(): Promise<void>;
  /** Stops taking jobs and waits for the running one to reach a safe point. */
  stop(): Promise<void>;
  /** Resolves when nothing is queued or running (tests, the one-shot CLI). */
  whenIdle(): Promise<void>;
}
