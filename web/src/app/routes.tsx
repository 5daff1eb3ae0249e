import { lazy } from 'react';

/** Every view is its own chunk: the first load carries only the shell and the current view. */
export const views = {
  Timeline: lazy(() => import('../timeline/TimelinePage')),
  Triage: lazy(() => import('../triage/TriagePage')),
  Duplicates: lazy(() => import('../review/DuplicatesPage')),
  Compare: lazy(() => import('../review/ComparePage')),
  Bursts: lazy(() => import('../bursts/BurstsPage')),
  Quality: lazy(() => import('../quality/QualityPage')),
  Suggestions: lazy(() => import('../suggestions/SuggestionsPage')),
  Albums: lazy(() => import('../albums/AlbumsPage')),
  Album: lazy(() => import('../albums/AlbumPage')),
  Favourites: lazy(() => import('../albums/FavouritesPage')),
  Trash: lazy(() => import('../trash/TrashPage')),
  Libraries: lazy(() => import('../libraries/LibrariesPage')),
  Jobs: lazy(() => import('../jobs/JobsPage')),
  Settings: lazy(() => import('../settings/SettingsPage')),
  Users: lazy(() => import('../admin/UsersPage')),
  Audit: lazy(() => import('../admin/AuditPage')),
  Problems: lazy(() => import('../explore/ProblemsPage')),
  Map: lazy(() => import('../explore/MapPage')),
};

export interface NavItem {
  href: string;
  label: string;
  icon: string;
  adminOnly?: boolean;
}

export const navItems: NavItem[] = [
  { href: '/', label: 'Photos', icon: '▦' },
  { href: '/triage', label: 'Triage', icon: '✓' },
  { href: '/duplicates', label: 'Duplicates', icon: '❐' },
  { href: '/bursts', label: 'Bursts', icon: '≋' },
  { href: '/quality', label: 'Low quality', icon: '◐' },
  { href: '/suggestions', label: 'Suggestions', icon: '✦' },
  { href: '/albums', label: 'Albums', icon: '▣' },
  { href: '/favourites', label: 'Favourites', icon: '♥' },
  { href: '/map', label: 'Map', icon: '⌖' },
  { href: '/trash', label: 'Trash', icon: '⌫' },
  { href: '/libraries', label: 'Libraries', icon: '⌂' },
  { href: '/jobs', label: 'Jobs', icon: '⟳' },
  { href: '/problems', label: 'Problems', icon: '⚠' },
  { href: '/settings', label: 'Settings', icon: '⚙' },
  { href: '/admin/users', label: 'Users', icon: '☺', adminOnly: true },
  { href: '/admin/audit', label: 'Audit log', icon: '☰', adminOnly: true },
];
