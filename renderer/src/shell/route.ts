/** The app's routes and their hash form (`#/skill/<id>`): a minimal router, since no router package is installed. */

export type Route =
  | { name: 'today' }
  | { name: 'library' }
  | { name: 'skill'; skillId: string }
  | { name: 'practice'; sessionId: string }
  | { name: 'progress' }
  | { name: 'settings' }
  | { name: 'sync' }
  | { name: 'tutor' }
  | { name: 'chat'; chatId: string }
  | { name: 'drills' }
  | { name: 'drill'; questionId: string }
  | { name: 'drill-result'; sessionId: string }
  | { name: 'content' }
  /** An address that names no screen: `hash` is the address as it came, shown to the learner. */
  | { name: 'not-found'; hash: string };

const idPattern = /^[0-9a-fA-F-]{1,64}$/;
/** Drill question ids are a pack's own text (not always UUIDs): any printable text up to 200 characters, URI-encoded. */
const drillQuestionIdPattern = /^[^\s/][^/]{0,199}$/;

function decoded(part: string | undefined): string | undefined {
  try {
    return part === undefined ? undefined : decodeURIComponent(part);
  } catch {
    return undefined;
  }
}

/**
 * Parses `location.hash`; no hash is Today (the first screen). A known screen with a malformed id is that screen's list
 * (the library, the tutor, drills); any other address is "page not found", which names it, so a bad link never shows a
 * blank page, nor silently another screen.
 */
export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter((p) => p !== '');
  const [head, arg] = parts;
  switch (head) {
    case undefined:
    case 'today':
      return { name: 'today' };
    case 'skill':
      return arg && idPattern.test(arg) ? { name: 'skill', skillId: arg } : { name: 'library' };
    case 'practice':
      return arg && idPattern.test(arg) ? { name: 'practice', sessionId: arg } : { name: 'library' };
    case 'chat':
      return arg && idPattern.test(arg) ? { name: 'chat', chatId: arg } : { name: 'tutor' };
    case 'drill': {
      const questionId = decoded(arg);
      return questionId && drillQuestionIdPattern.test(questionId) ? { name: 'drill', questionId } : { name: 'drills' };
    }
    case 'drill-result':
      return arg && idPattern.test(arg) ? { name: 'drill-result', sessionId: arg } : { name: 'drills' };
    case 'library':
    case 'drills':
    case 'content':
    case 'progress':
    case 'settings':
    case 'sync':
    case 'tutor':
      return { name: head };
    default:
      return { name: 'not-found', hash };
  }
}

export function routeHash(route: Route): string {
  switch (route.name) {
    case 'skill':
      return `#/skill/${route.skillId}`;
    case 'practice':
      return `#/practice/${route.sessionId}`;
    case 'chat':
      return `#/chat/${route.chatId}`;
    case 'drill':
      return `#/drill/${encodeURIComponent(route.questionId)}`;
    case 'drill-result':
      return `#/drill-result/${route.sessionId}`;
    case 'not-found':
      return route.hash;
    default:
      return `#/${route.name}`;
  }
}
