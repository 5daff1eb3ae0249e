/** Folder, base name and extension of a path, split without I/O ('/' or '\\' separated). */
export interface FileName {
  folder: string;
  /** Base name without the extension, as written. */
  stem: string;
  /** Lowercase extension without the dot ('' when none). */
  extension: string;
}

export function splitFileName(filePath: string): FileName {
  const cut = Math.max(filePath.lastIndexOf('/'), filePath.lastIndexOf('\\'));
  const folder = cut >= 0 ? filePath.slice(0, cut) : '';
  const base = filePath.slice(cut + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0
    ? { folder, stem: base.slice(0, dot), extension: base.slice(dot + 1).toLowerCase() }
    : { folder, stem: base, extension: '' };
}

/** Key of "same folder, same base name (case-insensitive)". */
export const folderStemKey = (f: FileName): string => `${f.folder}\u0000${f.stem.toLowerCase()}`;
