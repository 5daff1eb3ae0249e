/**
 * How "organised" a file's location looks, for choosing which of several identical copies to keep.
 * A copy filed under `Pictures/2024/2024-06 Lisbon/` beats one lying in `Downloads/` or
 * `Desktop/to sort/`. Heuristic and documented (docs/DUPLICATES.md): each meaningful folder level
 * counts +1, a dated folder (a year, or a year-month/day) +2, an event-like name (words, not a
 * camera folder such as `100CANON`) +1, and a dump folder (downloads, desktop, temp, unsorted,
 * "to sort", backup, copy, new folder, inbox, import) −3.
 */

const dumpFolder =
  /^(downloads?|desktop|te?mp|unsorted|to[ _-]?sort|backups?|old|copy|copies|new folder|inbox|imports?|imported|misc|whatsapp|telegram|received|shared|trash)$/i;
const cameraFolder =
  /^(dcim|\d{3}[a-z_]{5}|\d{3}apple|camera|camera roll|100media|pictures|photos|images|my pictures)$/i;
const datedFolder = /(^|\D)(19|20)\d{2}([-_. ]?(0[1-9]|1[0-2]))?(\D|$)/;

export function folderOrganisationScore(filePath: string): number {
  const parts = filePath.split(/[\\/]/).filter(Boolean).slice(0, -1);
  let score = 0;
  for (const dir of parts) {
    if (dumpFolder.test(dir.trim())) {
      score -= 3;
      continue;
    }
    if (cameraFolder.test(dir.trim())) continue;
    score += 1;
    if (datedFolder.test(dir)) score += 2;
    else if (/[a-z]{3,}/i.test(dir)) score += 1;
  }
  return score;
}

/**
 * True when a file name looks like a copy made by an OS or a sync tool: "IMG_1 copy.jpg",
 * "IMG_1 (1).jpg", "IMG_1 - Copy.jpg", "IMG_1-1.jpg" style suffixes, "Kopie", "~2".
 */
export function looksLikeCopyName(filePath: string): boolean {
  const name = filePath.split(/[\\/]/).pop() ?? '';
  const stem = name.replace(/\.[^.]+$/, '');
  return /(\bcopy\b|\bkopie\b|\bcopie\b|\(\d+\)$|[ _-]copy( \d+)?$|~\d+$|[ ]-[ ]copy)/i.test(stem);
}
