/** The app's frame: skip link, header with navigation and sync status, the current screen, live regions and the shortcuts help. */
import { useEffect, useRef, type MouseEvent } from 'react';
import { api } from '../api';
import { useInstructorTools } from '../content/instructorTools';
import { useSettings } from '../settings/settingsStore';
import { ContentBanner } from '../sync/ContentBanner';
import { SyncStatusBar } from '../sync/SyncStatusBar';
import { useSync } from '../sync/syncStore';
import { ErrorBoundary } from './ErrorBoundary';
import { ErrorRegion } from './ErrorRegion';
import { Link } from './Link';
import { request } from './request';
import { routeHash, type Route } from './route';
import { useRouter } from './routerStore';
import { Screen } from './Screen';
import { ShortcutsDialog } from './ShortcutsDialog';
import { useShell } from './shellStore';
import { useGlobalShortcuts } from './useGlobalShortcuts';
import { useHeaderClearance } from './useHeaderClearance';

const navItems: ReadonlyArray<{ route: Route; label: string }> = [
  { route: { name: 'today' }, label: 'Today' },
  { route: { name: 'library' }, label: 'Library' },
  { route: { name: 'drills' }, label: 'Drills' },
  { route: { name: 'progress' }, label: 'Progress' },
  { route: { name: 'tutor' }, label: 'Tutor' },
  { route: { name: 'settings' }, label: 'Settings' },
  { route: { name: 'sync' }, label: 'Sync' },
  // Shown only when the instructor tools are on (Settings).
  { route: { name: 'content' }, label: 'Content' },
];

/** Which navigation entry a route belongs to (a skill page and a session are part of the library, a chat of the tutor). */
function section(route: Route): Route['name'] {
  if (route.name === 'chat') return 'tutor';
  if (route.name === 'drill' || route.name === 'drill-result') return 'drills';
  return route.name === 'skill' || route.name === 'practice' ? 'library' : route.name;
}

export function App() {
  const route = useRouter((s) => s.route);
  const appInfo = useShell((s) => s.appInfo);
  const screenReady = useShell((s) => s.screenReady);
  const politeMessage = useShell((s) => s.politeMessage);
  const setHelpOpen = useShell((s) => s.setHelpOpen);
  const singleKeys = useSettings((s) => s.settings?.singleKeyShortcuts ?? true);
  const instructorTools = useInstructorTools();
  useGlobalShortcuts();
  const header = useRef<HTMLElement>(null);
  useHeaderClearance(header);

  useEffect(() => {
    void request(() => api.appInfo({}), 'Could not reach the app').then((info) => {
      if (info) useShell.getState().setAppInfo(info);
    });
    void useSettings.getState().load();
    void useSync.getState().load();
    return useSync.getState().subscribe();
  }, []);

  // The readiness signal tests wait for: the host answered and the first screen has shown its data.
  useEffect(() => {
    if (appInfo && screenReady) document.documentElement.dataset.ready = 'true';
  }, [appInfo, screenReady]);

  const skipToMain = (event: MouseEvent<HTMLAnchorElement>) => {
    // The hash is the router's, so the skip link moves focus itself instead of following "#main".
    event.preventDefault();
    document.getElementById('main')?.focus();
  };

  return (
    <>
      <a className="skip-link" href="#main" onClick={skipToMain}>
        Skip to main content
      </a>
      <header className="app-header" ref={header}>
        <div className="header-row">
          <p className="app-name">Study Desk</p>
          <nav aria-label="Main">
            <ul>
              {navItems.filter((item) => instructorTools || item.route.name !== 'content').map((item) => (
                <li key={item.label}>
                  <Link to={item.route} current={section(route) === item.route.name}>
                    {item.label}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
          <button type="button" aria-keyshortcuts={singleKeys ? '?' : undefined} onClick={() => setHelpOpen(true)}>
            Keyboard shortcuts
          </button>
        </div>
        <SyncStatusBar />
      </header>
      <main id="main" tabIndex={-1}>
        <ErrorRegion />
        <ContentBanner />
        <ErrorBoundary key={routeHash(route)}>
          <Screen route={route} />
        </ErrorBoundary>
        <div role="status" className="visually-hidden">
          {politeMessage}
        </div>
      </main>
      <ShortcutsDialog />
    </>
  );
}
