import type { TriageCategory, TriageCategoryKey } from '../api/types';
import { formatBytes, plural } from '../ui/format';

export const categoryTitles: Record<TriageCategoryKey, string> = {
  'exact-duplicates': 'Exact duplicates',
  'near-duplicates': 'Near duplicates',
  'low-quality': 'Low quality',
  bursts: 'Bursts',
  versions: 'Versions (RAW + JPEG, edits)',
  unorganised: 'Unorganised',
};

export const categoryLinks: Record<TriageCategoryKey, string> = {
  'exact-duplicates': '/duplicates?kind=exact',
  'near-duplicates': '/duplicates?kind=near',
  'low-quality': '/quality',
  bursts: '/bursts',
  versions: '/',
  unorganised: '/suggestions',
};

/** What "auto-fix all green" will do: only green categories with items, each stated in words. */
export function autoFixPlan(categories: readonly TriageCategory[]): {
  categories: TriageCategory[];
  lines: string[];
  bytesSaved: number;
  itemCount: number;
} {
  const green = categories.filter((c) => c.confidence === 'green' && c.itemCount > 0);
  return {
    categories: green,
    lines: green.map(
      (c) =>
        `${categoryTitles[c.key]}: ${plural(c.itemCount, 'item')} — ${c.recommendation}` +
        (c.bytesSaved > 0 ? ` (frees ${formatBytes(c.bytesSaved)})` : ''),
    ),
    bytesSaved: green.reduce((s, c) => s + c.bytesSaved, 0),
    itemCount: green.reduce((s, c) => s + c.itemCount, 0),
  };
}
