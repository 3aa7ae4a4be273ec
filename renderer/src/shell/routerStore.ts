/** The current route, kept in step with `location.hash`; a change of route sends focus to the new screen's heading. */
import { create } from 'zustand';
import { parseRoute, routeHash, type Route } from './route';
import { useShell } from './shellStore';

type RouterState = { route: Route; navigate: (route: Route) => void };

function enter(route: Route): void {
  useShell.getState().setHeadingFocusPending(true);
  // A message such as "Settings saved." belongs to the screen it was said on, but is still spoken after leaving it.
  useShell.getState().leaveScreenMessages();
  useRouter.setState({ route });
}

export const useRouter = create<RouterState>(() => ({
  route: parseRoute(window.location.hash),
  navigate: (route) => {
    const hash = routeHash(route);
    if (window.location.hash !== hash) window.location.hash = hash;
    else enter(route);
  },
}));

window.addEventListener('hashchange', () => enter(parseRoute(window.location.hash)));
