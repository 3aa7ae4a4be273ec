/**
 * The screen for a route. Every screen is its own chunk, loaded when first shown (React.lazy), so the first screen
 * downloads only the shell and itself; docs/decisions.md ("Lazily loaded screens") describes how to add one.
 */
import { lazy, Suspense } from 'react';
import type { Route } from './route';

const TodayScreen = lazy(() => import('../today/TodayScreen').then((m) => ({ default: m.TodayScreen })));
const LibraryScreen = lazy(() => import('../library/LibraryScreen').then((m) => ({ default: m.LibraryScreen })));
const SkillScreen = lazy(() => import('../practice/SkillScreen').then((m) => ({ default: m.SkillScreen })));
const PracticeScreen = lazy(() => import('../practice/PracticeScreen').then((m) => ({ default: m.PracticeScreen })));
const ProgressScreen = lazy(() => import('../progress/ProgressScreen').then((m) => ({ default: m.ProgressScreen })));
const SettingsScreen = lazy(() => import('../settings/SettingsScreen').then((m) => ({ default: m.SettingsScreen })));
const SyncScreen = lazy(() => import('../sync/SyncScreen').then((m) => ({ default: m.SyncScreen })));
const TutorScreen = lazy(() => import('../tutor/TutorScreen').then((m) => ({ default: m.TutorScreen })));
const DrillsScreen = lazy(() => import('../drills/DrillsScreen').then((m) => ({ default: m.DrillsScreen })));
const DrillRunner = lazy(() => import('../drills/DrillRunner').then((m) => ({ default: m.DrillRunner })));
const DrillResultScreen = lazy(() => import('../drills/DrillResultScreen').then((m) => ({ default: m.DrillResultScreen })));
const ContentScreen = lazy(() => import('../content/ContentScreen').then((m) => ({ default: m.ContentScreen })));
const ChatScreen = lazy(() => import('../tutor/ChatScreen').then((m) => ({ default: m.ChatScreen })));
const NotFoundScreen = lazy(() => import('./NotFoundScreen').then((m) => ({ default: m.NotFoundScreen })));

function RouteScreen({ route }: { route: Route }) {
  switch (route.name) {
    case 'today':
      return <TodayScreen />;
    case 'library':
      return <LibraryScreen />;
    case 'skill':
      return <SkillScreen skillId={route.skillId} />;
    case 'practice':
      return <PracticeScreen sessionId={route.sessionId} />;
    case 'progress':
      return <ProgressScreen />;
    case 'settings':
      return <SettingsScreen />;
    case 'sync':
      return <SyncScreen />;
    case 'tutor':
      return <TutorScreen />;
    case 'chat':
      return <ChatScreen chatId={route.chatId} />;
    case 'drills':
      return <DrillsScreen />;
    case 'drill':
      return <DrillRunner questionId={route.questionId} />;
    case 'drill-result':
      return <DrillResultScreen sessionId={route.sessionId} />;
    case 'content':
      return <ContentScreen />;
    case 'not-found':
      return <NotFoundScreen hash={route.hash} />;
  }
}

/** Shown while a screen's chunk loads: a polite status, so a screen reader hears why the page is empty for a moment. */
function ScreenLoading() {
  return (
    <p role="status" className="screen-loading">
      Loading…
    </p>
  );
}

export function Screen({ route }: { route: Route }) {
  return (
    <Suspense fallback={<ScreenLoading />}>
      <RouteScreen route={route} />
    </Suspense>
  );
}
