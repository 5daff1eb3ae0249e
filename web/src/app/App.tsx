import { useQueryClient } from '@tanstack/react-query';
import { Suspense, useState } from 'react';
import { Link, Route, Switch, useLocation } from 'wouter';
import { api } from '../api/client';
import { useServerEvents } from '../api/events';
import { FirstRunPage, LoginPage } from '../auth/AuthPages';
import { useSession } from '../auth/session';
import { ActiveJobs } from '../jobs/active-jobs';
import { EmptyState, Loading } from '../ui/components';
import { navItems, views as V } from './routes';
import { applySavedTheme, currentTheme, toggleTheme } from './theme';

applySavedTheme();

function Shell() {
  const { state, signedOut } = useSession();
  const user = state.kind === 'ready' ? state.user : null;
  const [location, navigate] = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const [theme, setTheme] = useState(currentTheme());
  const queries = useQueryClient();
  useServerEvents(true);
  const logout = () => {
    void api.auth.logout().finally(() => {
      // The next person to sign in starts at the timeline, not on this user's last page.
      navigate('/');
      // Nothing of this user's data (or rights) stays cached for whoever signs in next.
      queries.clear();
      signedOut('You are signed out.');
    });
  };
  const isAdmin = user === null || user.role === 'admin';
  return (
    <div className="shell">
      <header className="topbar">
        <button
          type="button"
          className="icon menu-button"
          aria-label="Menu"
          onClick={() => setMenuOpen((o) => !o)}
        >
          ☰
        </button>
        <Link href="/" className="brand">
          photo-sync
        </Link>
        <div className="topbar-right">
          <button
            type="button"
            className="icon"
            aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}
            title="Toggle theme"
            onClick={() => setTheme(toggleTheme())}
          >
            {theme === 'dark' ? '☀' : '☾'}
          </button>
          {user ? (
            <>
              <span className="user-chip" title={user.email}>
                {user.name}
              </span>
              <button type="button" onClick={logout}>
                Sign out
              </button>
            </>
          ) : null}
        </div>
      </header>
      <nav className={`sidebar ${menuOpen ? 'open' : ''}`} aria-label="Main">
        {navItems
          .filter((n) => !n.adminOnly || isAdmin)
          .map((n) => (
            <Link
              key={n.href}
              href={n.href}
              className={(n.href === '/' ? location === '/' : location.startsWith(n.href)) ? 'active' : ''}
              onClick={() => setMenuOpen(false)}
            >
              <span className="nav-icon" aria-hidden>
                {n.icon}
              </span>
              {n.label}
            </Link>
          ))}
      </nav>
      <main className="content" id="main">
        <ActiveJobs />
        <Suspense fallback={<Loading what="view" />}>
          <Switch>
            <Route path="/" component={V.Timeline} />
            <Route path="/triage" component={V.Triage} />
            <Route path="/duplicates" component={V.Duplicates} />
            <Route path="/duplicates/:id" component={V.Compare} />
            <Route path="/bursts" component={V.Bursts} />
            <Route path="/quality" component={V.Quality} />
            <Route path="/suggestions" component={V.Suggestions} />
            <Route path="/albums" component={V.Albums} />
            <Route path="/albums/:id" component={V.Album} />
            <Route path="/favourites" component={V.Favourites} />
            <Route path="/trash" component={V.Trash} />
            <Route path="/libraries" component={V.Libraries} />
            <Route path="/jobs" component={V.Jobs} />
            <Route path="/settings" component={V.Settings} />
            <Route path="/admin/users" component={V.Users} />
            <Route path="/admin/audit" component={V.Audit} />
            <Route path="/problems" component={V.Problems} />
            <Route path="/map" component={V.Map} />
            <Route>
              <EmptyState title="Page not found">
                <Link href="/">Go to your photos</Link>
              </EmptyState>
            </Route>
          </Switch>
        </Suspense>
      </main>
    </div>
  );
}

export function App() {
  const { state, refresh } = useSession();
  switch (state.kind) {
    case 'loading':
      return <Loading what="photo-sync" />;
    case 'setup':
      return <FirstRunPage />;
    case 'login':
      return <LoginPage reason={state.reason} />;
    case 'unreachable':
      return (
        <EmptyState title="Cannot reach the server">
          <p>{state.message}</p>
          <button type="button" onClick={() => void refresh()}>
            Try again
          </button>
        </EmptyState>
      );
    case 'ready':
      return <Shell />;
  }
}
