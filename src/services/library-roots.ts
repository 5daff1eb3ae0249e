import fs from 'node:fs/promises';
import path from 'node:path';
import { ConflictError, ForbiddenError, InvalidInputError } from '../errors.js';
import { TRASH_DIR_NAME } from '../fs/trash-store.js';

/**
 * Which folders may become library roots (docs/SECURITY.md "Library folders").
 *
 * - Allowed roots: `LIBRARY_BASE`. A non-admin may add a folder strictly inside one of them, and
 *   nothing else; with none configured, only an administrator adds libraries. An administrator may
 *   add any folder — inside `LIBRARY_BASE` when it is set.
 * - Never a library, for anyone: the data dir (or a folder containing it), a trash folder, the
 *   file-system root and system folders, and a folder that equals, contains or is inside a root of
 *   any existing library (of any account) — 409 naming that library.
 * - Real paths are compared (symlinks and `..` resolved), never the strings the caller sent. Errors
 *   about folders outside the allowed roots read the same whether the folder exists or not, and
 *   nothing is resolved against the server's working directory (relative paths are refused).
 */
export interface LibraryRootRules {
  /** The server's data folder (database, thumbnails, secrets). */
  dataDir: string;
  /** `LIBRARY_BASE`, or null. */
  libraryBase: string | null;
}

/** System folders: neither they, anything inside them, nor anything containing them is a library. */
export const SYSTEM_FOLDERS = [
  '/proc',
  '/sys',
  '/dev',
  '/etc',
  '/boot',
  '/bin',
  '/sbin',
  '/lib',
  '/lib32',
  '/lib64',
  '/libx32',
  '/usr',
  '/run',
  '/var/run',
  '/var/lib',
  '/var/log',
  '/var/cache',
  '/var/spool',
] as const;

/** An existing library's roots, and whether the caller may see that library (its name is named then). */
export interface ExistingLibrary {
  id: string;
  name: string;
  roots: readonly string[];
  visible: boolean;
}

/** `inner` is `outer` or a folder below it (both absolute, normalised). */
export function isInside(inner: string, outer: string): boolean {
  if (inner === outer) return true;
  const prefix = outer.endsWith(path.sep) ? outer : outer + path.sep;
  return inner.startsWith(prefix);
}

const overlaps = (a: string, b: string) => isInside(a, b) || isInside(b, a);

async function realOrSelf(p: string): Promise<string> {
  return fs.realpath(p).catch(() => path.resolve(p));
}

export class LibraryRootPolicy {
  constructor(private readonly rules: LibraryRootRules) {}

  /** The allowed roots as the caller sees them (lexical) and as they really are. */
  private async allowed(): Promise<{ lexical: string; real: string }[]> {
    if (this.rules.libraryBase === null) return [];
    const lexical = path.resolve(this.rules.libraryBase);
    return [{ lexical, real: await realOrSelf(lexical) }];
  }

  /**
   * Checks one requested root for a caller and returns its real path. `admin` callers are not
   * confined to allowed roots unless `LIBRARY_BASE` is set.
   */
  async resolve(requested: string, admin: boolean): Promise<string> {
    if (requested.includes('\0')) throw new InvalidInputError('A library folder cannot contain a NUL byte.');
    if (!path.isAbsolute(requested))
      throw new InvalidInputError(
        `Library folder "${requested}" must be an absolute path (starting with ${path.sep}).`,
      );
    const lexical = path.normalize(requested).replace(/(.)\/+$/, '$1');
    const allowed = await this.allowed();
    const confined = !admin || allowed.length > 0;
    if (confined && allowed.length === 0)
      throw new ForbiddenError(
        'Only an administrator can add libraries on this server: no folders are open to other accounts (LIBRARY_BASE).',
      );
    // The same words whether the folder exists or not: existence outside is nobody's business.
    const outside = () =>
      new InvalidInputError(
        `Library folder ${lexical} is outside the folders open for libraries${
          admin ? ' (LIBRARY_BASE)' : ''
        }; ask an administrator.`,
      );
    const insideAllowed = (p: string, which: 'lexical' | 'real') =>
      allowed.some((a) => (admin ? isInside(p, a[which]) : p !== a[which] && isInside(p, a[which])));
    if (confined && !insideAllowed(lexical, 'lexical') && !insideAllowed(lexical, 'real')) throw outside();

    let real: string;
    try {
      real = await fs.realpath(lexical);
    } catch {
      throw new InvalidInputError(
        `Library folder ${lexical} does not exist. Check the path (and that the disk is mounted).`,
      );
    }
    if (confined && !insideAllowed(real, 'real')) throw outside();
    const st = await fs.stat(real);
    if (!st.isDirectory()) throw new InvalidInputError(`Library path ${lexical} is a file, not a folder.`);
    try {
      await fs.access(real, fs.constants.R_OK | fs.constants.X_OK);
    } catch {
      throw new InvalidInputError(`Library folder ${lexical} cannot be read: permission denied.`);
    }
    await this.refuseForbidden(real, lexical);
    return real;
  }

  /** The data dir, trash folders, `/` and system folders are never libraries. */
  async refuseForbidden(real: string, shown: string): Promise<void> {
    if (real === path.parse(real).root)
      throw new InvalidInputError(`Library folder ${shown} is the root of the file system.`);
    const dataDir = await realOrSelf(this.rules.dataDir);
    if (overlaps(real, dataDir))
      throw new InvalidInputError(
        `Library folder ${shown} ${isInside(real, dataDir) ? 'is inside' : 'contains'} the server's data folder.`,
      );
    if (real.split(path.sep).includes(TRASH_DIR_NAME))
      throw new InvalidInputError(`Library folder ${shown} is a photo-sync trash folder.`);
    for (const sys of SYSTEM_FOLDERS) {
      const sysReal = await realOrSelf(sys);
      if (overlaps(real, sys) || overlaps(real, sysReal))
        throw new InvalidInputError(
          `Library folder ${shown} ${isInside(real, sys) || isInside(real, sysReal) ? 'is' : 'contains'} a system folder (${sys}).`,
        );
    }
  }

  /**
   * Refuses roots that overlap each other or a root of an existing library (equal, containing or
   * inside). The conflicting library is named when the caller can see it.
   */
  refuseOverlaps(roots: readonly string[], existing: readonly ExistingLibrary[]): void {
    roots.forEach((a, i) => {
      const other = roots.find((b, j) => j !== i && overlaps(a, b));
      if (other !== undefined)
        throw new InvalidInputError(`Library folders ${a} and ${other} overlap; give each folder once.`);
    });
    for (const root of roots)
      for (const lib of existing)
        for (const theirs of lib.roots) {
          if (!overlaps(root, theirs)) continue;
          const how = root === theirs ? 'is already' : isInside(root, theirs) ? 'is inside' : 'contains';
          const what = lib.visible ? `library "${lib.name}" (${theirs})` : "another account's library";
          throw new ConflictError(
            `Library folder ${root} ${how === 'is already' ? `is already ${what}` : `${how} ${what}`}; libraries cannot overlap.`,
            lib.visible
              ? { conflictingLibrary: { id: lib.id, name: lib.name, root: theirs } }
              : { conflictingLibrary: null },
          );
        }
  }
}
