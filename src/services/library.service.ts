import fs from 'node:fs/promises';
import path from 'node:path';
import type {
  LibraryRepository,
  LibraryRow,
  LibraryShareRow,
} from '../db/repositories/library.repository.js';
import type { UserRepository } from '../db/repositories/user.repository.js';
import type { ShareRole } from '../db/schema.js';
import { InvalidInputError, NotFoundError } from '../errors.js';
import type { AppEvents } from '../events/app-events.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { JobContext } from '../jobs/job-registry.js';
import type { AuditService } from './audit.service.js';
import type { Principal, RequestOrigin } from './auth/principal.js';
import type { LibraryAccess } from './library-access.js';
import { LibraryRootPolicy, type LibraryRootRules } from './library-roots.js';

/**
 * Checks that a library root is an existing, readable folder (inside `base` when one is configured)
 * and returns its absolute real path. The real path is compared, so `..` and symlinks cannot escape.
 */
export async function validateLibraryRoot(root: string, base: string | null = null): Promise<string> {
  const abs = path.resolve(root);
  let st;
  try {
    st = await fs.stat(abs);
  } catch {
    throw new InvalidInputError(
      `Library folder ${abs} does not exist. Check the path (and that the disk is mounted).`,
    );
  }
  if (!st.isDirectory()) throw new InvalidInputError(`Library path ${abs} is a file, not a folder.`);
  try {
    await fs.access(abs, fs.constants.R_OK | fs.constants.X_OK);
  } catch {
    throw new InvalidInputError(`Library folder ${abs} cannot be read: permission denied.`);
  }
  const real = await fs.realpath(abs);
  if (base !== null) {
    const realBase = await fs.realpath(base).catch(() => path.resolve(base));
    if (real !== realBase && !real.startsWith(realBase + path.sep))
      throw new InvalidInputError(
        `Library folder ${abs} is outside the allowed base folder ${realBase} (LIBRARY_BASE).`,
      );
  }
  return real;
}

export interface VisibleLibrary extends LibraryRow {
  role: 'owner' | ShareRole;
}

export class LibraryService {
  private readonly rootPolicy: LibraryRootPolicy;
  /** Creations run one at a time, so two overlapping folders cannot both pass the overlap check. */
  private creating: Promise<unknown> = Promise.resolve();
  private readonly lifecycle: {
    created: ((lib: LibraryRow) => Promise<void>)[];
    deleted: ((id: string) => Promise<void>)[];
  } = { created: [], deleted: [] };

  constructor(
    private readonly libraries: LibraryRepository,
    private readonly users: UserRepository,
    private readonly queue: JobQueue,
    private readonly access: LibraryAccess,
    private readonly audit: AuditService,
    private readonly events: AppEvents,
    rootRules: LibraryRootRules,
    /**
     * Runs the overlap check and the insert while no other process does the same (a database
     * advisory lock on PostgreSQL): two servers cannot both register overlapping folders.
     */
    private readonly exclusively: <T>(fn: () => Promise<T>) => Promise<T> = (fn) => fn(),
  ) {
    this.rootPolicy = new LibraryRootPolicy(rootRules);
  }

  /** Runs after a library is added through the API (the all-in-one process starts watching it). */
  onCreated(listener: (lib: LibraryRow) => Promise<void>): void {
    this.lifecycle.created.push(listener);
  }

  /** Runs after a library is deleted (its watcher stops). */
  onDeleted(listener: (id: string) => Promise<void>): void {
    this.lifecycle.deleted.push(listener);
  }

  /** Every library (the process's own start-up work: scans, watchers). */
  listAll(): Promise<LibraryRow[]> {
    return this.libraries.list();
  }

  async list(who: Principal): Promise<VisibleLibrary[]> {
    const roles = new Map((await this.access.visible(who)).map((a) => [a.id, a.role]));
    return (await this.libraries.list()).flatMap((l) => {
      const role = roles.get(l.id);
      return role ? [{ ...l, role }] : [];
    });
  }

  async get(who: Principal, id: string): Promise<VisibleLibrary> {
    const role = await this.access.require(who, id, 'viewer');
    return { ...(await this.byId(id)), role };
  }

  async create(
    who: Principal,
    input: { name?: string; roots: string[]; readOnly?: boolean },
  ): Promise<LibraryRow> {
    if (input.roots.length === 0) throw new InvalidInputError('A library needs at least one folder.');
    const roots: string[] = [];
    for (const r of input.roots) roots.push(await this.rootPolicy.resolve(r, who.role === 'admin'));
    const name = input.name?.trim() || path.basename(roots[0] as string) || 'Library';
    const run = this.creating.then(() =>
      this.exclusively(() => this.insertUnlessOverlapping(who, name, roots, input.readOnly ?? false)),
    );
    this.creating = run.catch(() => undefined);
    const lib = await run;
    this.events.emit('access.changed', { libraryId: lib.id });
    for (const listener of this.lifecycle.created) await listener(lib);
    return lib;
  }

  private async insertUnlessOverlapping(
    who: Principal,
    name: string,
    roots: string[],
    readOnly: boolean,
  ): Promise<LibraryRow> {
    const visible = new Set((await this.access.visible(who)).map((a) => a.id));
    // Libraries being deleted are left out: their folders are free again.
    const existing = (await this.libraries.list()).map((l) => ({
      id: l.id,
      name: l.name,
      roots: l.roots,
      visible: who.role === 'admin' || visible.has(l.id),
    }));
    this.rootPolicy.refuseOverlaps(roots, existing);
    return this.libraries.create({ name, roots, readOnly, ownerId: who.userId });
  }

  /**
   * Hides the library at once (every list, count and search leaves it out from now on) and queues
   * the removal of its rows; returns that job. Forgets the index only: files on disk are never
   * touched by deleting a library.
   */
  async delete(who: Principal, id: string, origin: RequestOrigin): Promise<{ jobId: string }> {
    await this.access.require(who, id, 'owner');
    const lib = await this.byId(id);
    if (!(await this.libraries.markDeleting(id))) throw new NotFoundError(`Library ${id} not found`);
    this.events.emit('access.changed', { libraryId: id });
    for (const listener of this.lifecycle.deleted) await listener(id);
    await this.audit.record(who, origin, 'library.deleted', `library:${id}`, {
      name: lib.name,
      roots: lib.roots,
    });
    // No library_id on the job: the library's jobs go with it, this one must outlive it.
    const jobId = await this.queue.enqueue('library.delete', { libraryId: id }, { requestedBy: who.userId });
    return { jobId };
  }

  /**
   * The background half of a deletion: the rows go in batches of a moment each, yielding to the
   * event loop between them, so a library of hundreds of thousands of assets never stops the
   * server. Stopped by a shutdown, it continues at the next run; a library not (or no longer)
   * being deleted is left alone.
   */
  async finishDeletion(id: string, ctx: JobContext): Promise<void> {
    if (!(await this.libraries.listDeleting()).includes(id)) return;
    const result = await this.libraries.deleteInBatches(id, {
      signal: ctx.signal,
      onBatch: (deleted) => ctx.reportProgress({ done: deleted }),
    });
    if (result.finished) ctx.log.info({ libraryId: id, assets: result.deleted }, 'library deleted');
  }

  /** Deletions a crash or a stop left unfinished are queued again (start-up). */
  async resumeDeletions(): Promise<number> {
    const ids = await this.libraries.listDeleting();
    for (const id of ids) await this.queue.enqueue('library.delete', { libraryId: id });
    return ids.length;
  }

  /**
   * The library that has exactly this root, created on first use (the `--library` flag). It
   * belongs to the first admin; before anyone exists, the set-up adopts it.
   */
  async ensureForRoot(root: string): Promise<LibraryRow> {
    const real = await validateLibraryRoot(root);
    const existing = (await this.libraries.list()).find((l) => l.roots.includes(real));
    return (
      existing ??
      this.libraries.create({
        name: path.basename(real) || 'Library',
        roots: [real],
        ownerId: await this.users.firstAdminId(),
      })
    );
  }

  /**
   * Sets how long the library's trash keeps a file before purge (whole days; null = the server's
   * TRASH_RETENTION_DAYS). Its owner may, and an administrator.
   */
  async setTrashRetention(
    who: Principal,
    id: string,
    days: number | null,
    origin: RequestOrigin,
  ): Promise<VisibleLibrary> {
    // An administrator manages every library's trash (as "purge now" does), shared with them or not.
    const visible = (await this.access.visible(who)).find((l) => l.id === id)?.role;
    const role = who.role === 'admin' ? (visible ?? 'viewer') : await this.access.require(who, id, 'owner');
    const lib = await this.byId(id);
    await this.libraries.setTrashRetention(id, days);
    await this.audit.record(who, origin, 'library.trash-retention-changed', `library:${id}`, {
      from: lib.trash_retention_days,
      to: days,
    });
    return { ...lib, trash_retention_days: days, role };
  }

  async requestScan(who: Principal, id: string): Promise<string> {
    await this.access.require(who, id, 'editor');
    return this.queue.enqueue('library.scan', { libraryId: id }, { libraryId: id, requestedBy: who.userId });
  }

  /** Scans started by the process itself (start-up reconcile, watcher fallback). */
  async requestSystemScan(id: string): Promise<string> {
    const lib = await this.byId(id);
    return this.queue.enqueue('library.scan', { libraryId: lib.id }, { libraryId: lib.id });
  }

  async listShares(who: Principal, id: string): Promise<LibraryShareRow[]> {
    await this.access.require(who, id, 'owner');
    return this.libraries.listShares(id);
  }

  async share(
    who: Principal,
    id: string,
    userId: string,
    role: ShareRole,
    origin: RequestOrigin,
  ): Promise<void> {
    await this.access.require(who, id, 'owner');
    if (userId === who.userId)
      throw new InvalidInputError('You own this library; share it with someone else.');
    if (!(await this.users.findById(userId))) throw new NotFoundError(`User ${userId} not found`);
    await this.libraries.upsertShare(id, userId, role);
    this.events.emit('access.changed', { libraryId: id });
    await this.audit.record(who, origin, 'library.shared', `library:${id}`, { userId, role });
  }

  async unshare(who: Principal, id: string, userId: string, origin: RequestOrigin): Promise<void> {
    await this.access.require(who, id, 'owner');
    if (!(await this.libraries.deleteShare(id, userId)))
      throw new NotFoundError(`No share of library ${id} with user ${userId}`);
    this.events.emit('access.changed', { libraryId: id });
    await this.audit.record(who, origin, 'library.unshared', `library:${id}`, { userId });
  }

  private async byId(id: string): Promise<LibraryRow> {
    const lib = await this.libraries.findById(id);
    if (!lib) throw new NotFoundError(`Library ${id} not found`);
    return lib;
  }
}
