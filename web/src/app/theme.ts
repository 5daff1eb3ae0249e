export type Theme = 'dark' | 'light';
const KEY = 'photo-sync.theme';

export function currentTheme(): Theme {
  return document.documentElement.dataset.theme === 'light' ? 'light' : 'dark';
}

/** Applies the saved theme before first paint (dark by default, like Immich). */
export function applySavedTheme(): void {
  const saved = localStorage.getItem(KEY);
  document.documentElement.dataset.theme = saved === 'light' ? 'light' : 'dark';
}

export function toggleTheme(): Theme {
  const next: Theme = currentTheme() === 'dark' ? 'light' : 'dark';
  document.documentElement.dataset.theme = next;
  localStorage.setItem(KEY, next);
  return next;
}
