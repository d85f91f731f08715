// Hash router: #/path?query. The query holds a screen's filters, sort and page, so that a list
// survives a reload, can be bookmarked and the back button undoes a filter.
import { useEffect, useState } from 'preact/hooks';

export function parseHash(hash = location.hash) {
  const h = hash.replace(/^#/, '') || '/';
  const i = h.indexOf('?');
  const path = i < 0 ? h : h.slice(0, i);
  const query = Object.fromEntries(new URLSearchParams(i < 0 ? '' : h.slice(i + 1)));
  return { path: path || '/', query };
}

export function href(path, query) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(query || {})) if (v !== undefined && v !== null && v !== '') u.set(k, v);
  const s = u.toString();
  return '#' + path + (s ? '?' + s : '');
}

export function navigate(path, query, { replace = false } = {}) {
  const h = href(path, query);
  if (replace) history.replaceState(null, '', h);
  else location.hash = h;
  if (replace) window.dispatchEvent(new HashChangeEvent('hashchange'));
}

/** Change some query parameters of the current screen (page resets unless given). */
export function setQuery(changes, { replace = false } = {}) {
  const { path, query } = parseHash();
  const next = { ...query, ...changes };
  if (!('page' in changes)) delete next.page;
  navigate(path, next, { replace });
}

/** The current route; re-renders on every hash change. */
export function useRoute() {
  const [route, setRoute] = useState(parseHash);
  useEffect(() => {
    const on = () => setRoute(parseHash());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}

/** Match "/children/:id" against "/children/42" → {id: "42"} or null. */
export function match(pattern, path) {
  const a = pattern.split('/'), b = path.split('/');
  if (a.length !== b.length) return null;
  const params = {};
  for (let i = 0; i < a.length; i++) {
    if (a[i].startsWith(':')) params[a[i].slice(1)] = decodeURIComponent(b[i]);
    else if (a[i] !== b[i]) return null;
  }
  return params;
}
