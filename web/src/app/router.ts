import { useEffect, useState } from 'react';

/**
 * Hash routing (`#/segments/vip`): the server serves one page at `/`, so every dashboard address works
 * on reload and as a bookmark without server-side routes. A route is a path and a query string.
 */
export interface Route {
  /** path segments, decoded: `#/segments/vip%20list` → ['segments', 'vip list'] */
  parts: string[];
  query: URLSearchParams;
}

export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#\/?/, '');
  const [path = '', search = ''] = raw.split('?', 2);
  return {
    parts: path
      .split('/')
      .filter((p) => p !== '')
      .map((p) => {
        try {
          return decodeURIComponent(p);
        } catch {
          return p;
        }
      }),
    query: new URLSearchParams(search),
  };
}

/** `#/segments/vip?x=1` from parts and query; parts are escaped. */
export function href(parts: readonly string[], query?: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== '') q.set(k, v);
  const s = q.toString();
  return '#/' + parts.map(encodeURIComponent).join('/') + (s ? `?${s}` : '');
}

export function navigate(to: string, replace = false): void {
  if (replace) history.replaceState(null, '', to);
  else location.hash = to.replace(/^#/, '');
  if (replace) window.dispatchEvent(new HashChangeEvent('hashchange'));
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const on = () => setRoute(parseHash(location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}
