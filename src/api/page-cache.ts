import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DataVersion } from '../db/data-version.js';
import type { Principal } from '../services/auth/principal.js';
import type { LibraryAccess } from '../services/library-access.js';

/** A page larger than this is never kept (one entry must not evict everything else). */
const MAX_ENTRY_SHARE = 8;

interface Entry {
  version: string;
  /** Shared by concurrent requests for the same page: one renders, the others wait for it. */
  page: Promise<RenderedPage>;
  bytes: number;
}

interface RenderedPage {
  body: Buffer;
  etag: string;
}

export type CacheOutcome = 'hit' | 'miss' | 'bypass';

/**
 * Rendered JSON of hot list pages (timeline, duplicates), reused until the data changes, with an
 * ETag so a client that already has the page gets `304 Not Modified` instead of the bytes again.
 *
 * Correctness rests on three things. The key holds the caller's user id and the exact set of
 * libraries they may see right now (from LibraryAccess, as the uncached path), so a page is only
 * ever served to the user it was rendered for, and a share change makes a new key. Each entry is
 * stored under the database's data version (see db/data-version.ts), read before the page is
 * rendered and compared on every request: any committed write — ingest, apply, delete, share — from
 * any process invalidates every page, so nothing is served staler than an uncached read. And the
 * ETag is a hash of the bytes, so a 304 only ever confirms content the client already holds.
 *
 * `Cache-Control: no-cache` on the request (a browser's hard reload) renders afresh.
 */
export class PageCache {
  private readonly entries = new Map<string, Entry>();
  private usedBytes = 0;
  private readonly counts = { hit: 0, miss: 0, bypass: 0 };

  constructor(
    private readonly access: LibraryAccess,
    private readonly dataVersion: DataVersion,
    private readonly maxBytes: number,
  ) {}

  /** Hits, misses and bypasses since start (the bench prints them). */
  stats(): Readonly<Record<CacheOutcome, number>> {
    return { ...this.counts };
  }

  /**
   * Answers `req` with the page `render` produces (a JSON value), from the cache when the data has
   * not changed since it was rendered for this caller, and with 304 when the client's
   * `If-None-Match` names these bytes.
   */
  async send(
    req: FastifyRequest,
    reply: FastifyReply,
    who: Principal,
    render: () => Promise<unknown>,
  ): Promise<FastifyReply> {
    const { page, outcome } = await this.lookup(req, who, render);
    this.counts[outcome]++;
    void reply
      .header('etag', page.etag)
      // Private: per user. no-cache: the browser keeps it but asks each time (a 304 when unchanged).
      .header('cache-control', 'private, no-cache')
      .header('x-cache', outcome);
    if (etagMatches(req.headers['if-none-match'], page.etag)) return reply.status(304).send();
    return reply.type('application/json; charset=utf-8').send(page.body);
  }

  private async lookup(
    req: FastifyRequest,
    who: Principal,
    render: () => Promise<unknown>,
  ): Promise<{ page: RenderedPage; outcome: CacheOutcome }> {
    const fresh = async () => renderPage(await render());
    const bypass = this.maxBytes === 0 || /\bno-cache\b/i.test(req.headers['cache-control'] ?? '');
    if (bypass) return { page: await fresh(), outcome: 'bypass' };
    // The version first, then the scope and the data: both are at least as new as the version.
    const version = await this.dataVersion();
    const visible = (await this.access.visibleIds(who)).slice().sort().join(',');
    const key = `${who.userId}\n${visible}\n${req.url}`;
    const cached = this.entries.get(key);
    if (cached && cached.version === version) {
      // Most recently used last: eviction takes from the front.
      this.entries.delete(key);
      this.entries.set(key, cached);
      return { page: await cached.page, outcome: 'hit' };
    }
    const page = fresh();
    this.remember(key, { version, page, bytes: 0 });
    try {
      const rendered = await page;
      this.account(key, page, rendered.body.length);
      return { page: rendered, outcome: 'miss' };
    } catch (err) {
      if (this.entries.get(key)?.page === page) this.forget(key);
      throw err;
    }
  }

  private remember(key: string, entry: Entry): void {
    this.forget(key);
    this.entries.set(key, entry);
  }

  /** Counts the rendered size against the budget, dropping the entry if it alone is too big. */
  private account(key: string, page: Promise<RenderedPage>, bytes: number): void {
    const entry = this.entries.get(key);
    if (entry?.page !== page) return;
    if (bytes > this.maxBytes / MAX_ENTRY_SHARE) {
      this.forget(key);
      return;
    }
    entry.bytes = bytes;
    this.usedBytes += bytes;
    for (const [oldest, e] of this.entries) {
      if (this.usedBytes <= this.maxBytes) break;
      if (e !== entry) this.forget(oldest);
    }
  }

  private forget(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.usedBytes -= entry.bytes;
    this.entries.delete(key);
  }
}

function renderPage(value: unknown): RenderedPage {
  const body = Buffer.from(JSON.stringify(value));
  const hash = createHash('sha1').update(body).digest('base64url').slice(0, 22);
  return { body, etag: `"${hash}"` };
}

/** `If-None-Match` is a list of entity tags (weak or strong) or `*`. */
function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}
