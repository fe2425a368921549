import { describe, expect, it } from 'vitest';
import { parseRoute, routeHash, type Route } from '../../../src-renderer/src/router';

describe('hash routes', () => {
  it('round-trips every view', () => {
    const routes: Route[] = [
      { view: 'datasets' },
      { view: 'new' },
      { view: 'runs' },
      { view: 'run', runId: 'a1b2-c3' },
      { view: 'compare', runIds: ['a', 'b'] },
      { view: 'compare', runIds: [] },
    ];
    for (const route of routes) expect(parseRoute(routeHash(route))).toEqual(route);
  });

  it('falls back to a view that exists for garbage', () => {
    expect(parseRoute('')).toEqual({ view: 'datasets' });
    expect(parseRoute('#/nonsense/x')).toEqual({ view: 'datasets' });
    expect(parseRoute('#/run/')).toEqual({ view: 'runs' });
  });
});
