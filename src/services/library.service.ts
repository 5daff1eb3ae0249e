import fs from 'node:fs/promises';
import path from 'node:path';
import type { LibraryRepository, LibraryRow } from '../db/repositories/library.repository.js';
import { InvalidInputError, NotFoundError } from '../errors.js';
import type { JobQueue } from '../jobs/job-queue.js';

/** Checks that a library root is an existing, readable folder and returns its absolute real path. */
export async function validateLibraryRoot(root: string): Promise<string> {
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
  return fs.realpath(abs);
}

export class LibraryService {
  constructor(
    private readonly libraries: LibraryRepository,
    private readonly queue: JobQueue,
  ) {}

  list(): Promise<LibraryRow[]> {
    return this.libraries.list();
  }

  async get(id: string): Promise<LibraryRow> {
    const lib = await this.libraries.findById(id);
    if (!lib) throw new NotFoundError(`Library ${id} not found`);
    return lib;
  }

  async create(input: { name?: string; roots: string[]; readOnly?: boolean }): Promise<LibraryRow> {
    if (input.roots.length === 0) throw new InvalidInputError('A library needs at least one folder.');
    const roots = await Promise.all(input.roots.map(validateLibraryRoot));
    const name = input.name?.trim() || path.basename(roots[0] as string) || 'Library';
    return this.libraries.create({ name, roots, readOnly: input.readOnly ?? false });
  }

  /** The library that has exactly this root, created on first use (the `--library` flag). */
  async ensureForRoot(root: string): Promise<LibraryRow> {
    const real = await validateLibraryRoot(root);
    const existing = (await this.libraries.list()).find((l) => l.roots.includes(real));
    return existing ?? this.libraries.create({ name: path.basename(real) || 'Library', roots: [real] });
  }

  async requestScan(id: string): Promise<string> {
    const lib = await this.get(id);
    return this.queue.enqueue('library.scan', { libraryId: lib.id }, { libraryId: lib.id });
  }
}
