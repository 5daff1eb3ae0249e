import https from 'node:https';

/** HTTPS requests that trust one private CA (Caddy's `tls internal`, a test certificate). */
export class HttpsClient {
  constructor(
    readonly baseUrl: string,
    private readonly ca: string,
  ) {}

  request(
    method: string,
    urlPath: string,
    opts: { headers?: Record<string, string>; json?: unknown } = {},
  ): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
    const body = opts.json === undefined ? undefined : JSON.stringify(opts.json);
    return new Promise((resolve, reject) => {
      const req = https.request(
        new URL(urlPath, this.baseUrl),
        {
          method,
          ca: this.ca,
          headers: { ...opts.headers, ...(body ? { 'content-type': 'application/json' } : {}) },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => (text += d));
          res.on('end', () => {
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text });
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  async json<T>(
    method: string,
    urlPath: string,
    opts: { headers?: Record<string, string>; json?: unknown } = {},
  ) {
    const res = await this.request(method, urlPath, opts);
    return { status: res.status, headers: res.headers, body: (res.body ? JSON.parse(res.body) : null) as T };
  }

  /** A `fetch` for code that expects one (JSON bodies only). */
  readonly fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    const res = await this.request(init?.method ?? 'GET', url.pathname + url.search, {
      headers: init?.headers as Record<string, string> | undefined,
      json: typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined,
    });
    return new Response(res.body || null, { status: res.status });
  }) as typeof fetch;

  /**
   * Opens a Server-Sent Events stream; `onEvent` gets each event as it arrives (not when the
   * stream ends — that is the point of the proxy test).
   */
  openEvents(
    urlPath: string,
    headers: Record<string, string>,
    onEvent: (e: { name: string; data: unknown; at: number }) => void,
  ): Promise<{ close(): void; headers: Record<string, string | string[] | undefined> }> {
    return new Promise((resolve, reject) => {
      const req = https.get(
        new URL(urlPath, this.baseUrl),
        { ca: this.ca, headers: { ...headers, accept: 'text/event-stream' } },
        (res) => {
          if (res.statusCode !== 200) {
            reject(new Error(`events: HTTP ${res.statusCode}`));
            return;
          }
          let buffer = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            buffer += chunk;
            let end;
            while ((end = buffer.indexOf('\n\n')) >= 0) {
              const block = buffer.slice(0, end);
              buffer = buffer.slice(end + 2);
              const name = /^event: (.*)$/m.exec(block)?.[1];
              const data = /^data: (.*)$/m.exec(block)?.[1];
              if (name && data) onEvent({ name, data: JSON.parse(data) as unknown, at: Date.now() });
            }
          });
          resolve({ close: () => req.destroy(), headers: res.headers });
        },
      );
      req.on('error', (err) => {
        if ((err as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(err);
      });
    });
  }
}
