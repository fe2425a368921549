/**
 * Hash routes (`#/runs`, `#/run/<id>`, `#/compare/<id>,<id>`): deep links survive a reload and work
 * from the app:// protocol and the loopback server alike, without a router dependency.
 */
import { ref } from 'vue';

export type Route =
  | { view: 'datasets' }
  | { view: 'new' }
  | { view: 'runs' }
  | { view: 'run'; runId: string }
  | { view: 'compare'; runIds: string[] };

export function parseRoute(hash: string): Route {
  const [view = '', arg = ''] = hash.replace(/^#\/?/, '').split('/');
  const decoded = decodeURIComponent(arg);
  switch (view) {
    case 'new':
      return { view: 'new' };
    case 'runs':
      return { view: 'runs' };
    case 'run':
      return decoded ? { view: 'run', runId: decoded } : { view: 'runs' };
    case 'compare':
      return { view: 'compare', runIds: decoded ? decoded.split(',').filter(Boolean) : [] };
    default:
      return { view: 'datasets' };
  }
}

export function routeHash(route: Route): string {
  switch (route.view) {
    case 'run':
      return `#/run/${encodeURIComponent(route.runId)}`;
    case 'compare':
      return `#/compare/${route.runIds.map(encodeURIComponent).join(',')}`;
    default:
      return `#/${route.view}`;
  }
}

export const route = ref<Route>(parseRoute(typeof location !== 'undefined' ? location.hash : ''));

if (typeof window !== 'undefined') {
  window.addEventListener('hashchange', () => {
    route.value = parseRoute(location.hash);
  });
}

export function navigate(to: Route): void {
  const hash = routeHash(to);
  if (location.hash === hash) route.value = to;
  else location.hash = hash;
}
