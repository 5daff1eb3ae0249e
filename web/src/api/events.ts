import { useEffect } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { JobProgressEvent } from './types';

type Listener = (e: JobProgressEvent) => void;
const listeners = new Set<Listener>();

/** Subscribes to job progress pushed by the server (no polling while the stream is up). */
export function onJobProgress(listener: Listener): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

/**
 * One EventSource for the whole app (cookie auth, same origin). The browser reconnects by itself
 * and sends Last-Event-ID, so the server resumes where it stopped. Each event refreshes the
 * cached queries it affects.
 */
export function useServerEvents(enabled: boolean): void {
  const client = useQueryClient();
  useEffect(() => {
    if (!enabled || typeof EventSource === 'undefined') return;
    const source = new EventSource('/api/events');
    source.addEventListener('job.progress', (ev) => {
      const data = JSON.parse((ev as MessageEvent<string>).data) as JobProgressEvent;
      for (const l of listeners) l(data);
      client.setQueryData(['job', data.jobId], (old: unknown) =>
        old && typeof old === 'object'
          ? {
              ...old,
              status: data.status,
              progress: { total: data.total, done: data.done, failed: data.failed },
            }
          : old,
      );
      if (data.status !== 'running' && data.status !== 'queued') {
        void client.invalidateQueries({ queryKey: ['jobs'] });
        void client.invalidateQueries({ queryKey: ['triage'] });
        void client.invalidateQueries({ queryKey: ['duplicates'] });
        void client.invalidateQueries({ queryKey: ['trash'] });
        void client.invalidateQueries({ queryKey: ['assets'] });
      }
    });
    source.addEventListener('library.changed', () => {
      void client.invalidateQueries({ queryKey: ['libraries'] });
      void client.invalidateQueries({ queryKey: ['assets'] });
    });
    return () => {
      source.close();
    };
  }, [enabled, client]);
}
