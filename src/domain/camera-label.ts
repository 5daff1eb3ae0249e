/**
 * The camera as people say it: "Canon EOS 80D", not "Canon Canon EOS 80D" (most makers repeat
 * their name in the model tag; Nikon writes "NIKON CORPORATION" / "NIKON D750"). Shared by the API
 * (the duplicate compare table) and the web viewer's info panel.
 */
export function cameraLabel(make: string | null, model: string | null): string | null {
  const mk = make?.trim() ?? '';
  const md = model?.trim() ?? '';
  if (!md) return mk || null;
  if (!mk) return md;
  const brand = (mk.split(/\s+/)[0] ?? mk).toLowerCase();
  return md.toLowerCase().startsWith(brand) ? md : `${mk} ${md}`;
}
