/**
 * Folder and file names a photo scan skips: hidden entries (AppleDouble `._IMG_1.JPG`, `.DS_Store`,
 * `.thumbnails`), NAS metadata and recycle bins — they hold system copies, not the user's photos.
 */
const ignoredDirectoryNames = new Set(['@eaDir', '#recycle', '#snapshot', '$RECYCLE.BIN', 'lost+found']);

export function isIgnoredEntry(name: string, isDirectory: boolean): boolean {
  if (name.startsWith('.')) return true;
  return isDirectory && ignoredDirectoryNames.has(name);
}
