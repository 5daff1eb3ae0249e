/** A minimal Server-Sent Events reader over fetch, for tests and the benchmark. */
export interface SseEvent {
  id: number | null;
  event: string;
  data: unknown;
}

export interface SseConnection {
  status: number;
  events: SseEvent[];
  /** Resolves with the first event (already received or future) that matches. */
  waitFor(match: (e: SseEvent) => boolean, timeoutMs?: number, what?: string): Promise<SseEvent>;
  close(): void;
}

export async function connectSse(
  url: string,
  headers: Record<string, string>,
  onEvent?: (e: SseEvent) => void,
): Promise<SseConnection> {
  const controller = new AbortController();
  const res = await fetch(url, {
    headers: { accept: 'text/event-stream', ...headers },
    signal: controller.signal,
  });
  const events: SseEvent[] = [];
  const waiters: { match: (e: SseEvent) => boolean; resolve: (e: SseEvent) => void }[] = [];
  const deliver = (e: SseEvent) => {
    events.push(e);
    onEvent?.(e);
    for (const w of [...waiters])
      if (w.match(e)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(e);
      }
  };
  if (res.ok && res.body) {
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    void (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          buffer += value;
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const fields = new Map<string, string>();
            for (const line of block.split('\n')) {
              const i = line.indexOf(':');
              if (i > 0) fields.set(line.slice(0, i), line.slice(i + 1).trimStart());
            }
            if (!fields.has('event') && !fields.has('data')) continue;
            deliver({
              id: fields.has('id') ? Number(fields.get('id')) : null,
              event: fields.get('event') ?? 'message',
              data: JSON.parse(fields.get('data') ?? 'null') as unknown,
            });
          }
        }
      } catch {
        // aborted by close()
      }
    })();
  }
  return {
    status: res.status,
    events,
    waitFor(match, timeoutMs = 20_000, what = 'event') {
      const seen = events.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(
            new Error(`no ${what} within ${timeoutMs} ms; got ${JSON.stringify(events.map((e) => e.event))}`),
          );
        }, timeoutMs);
        waiters.push({
          match,
          resolve: (e) => {
            clearTimeout(timer);
            resolve(e);
          },
        });
      });
    },
    close() {
      controller.abort();
    },
  };
}
