// Data loading for screens: useApi(path, query) fetches, re-fetches when the path or query
// changes (aborting the previous request), and gives {data, error, loading, reload}.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api } from './api.js';

export function useApi(path, query) {
  const key = path ? path + '?' + JSON.stringify(query || {}) : null;
  const [state, setState] = useState({ data: null, error: null, loading: !!path });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!key) { setState({ data: null, error: null, loading: false }); return; }
    const ctl = new AbortController();
    setState(s => ({ ...s, loading: true, error: null }));
    api.get(path, query, { signal: ctl.signal })
      .then(data => setState({ data, error: null, loading: false }))
      .catch(error => { if (error.name !== 'AbortError') setState({ data: null, error, loading: false }); });
    return () => ctl.abort();
  }, [key, tick]);
  const reload = useCallback(() => setTick(t => t + 1), []);
  return { ...state, reload };
}

/** Call fn every `ms` while `active`; stops on unmount. */
export function useInterval(fn, ms, active = true) {
  const saved = useRef(fn);
  saved.current = fn;
  useEffect(() => {
    if (!active) return undefined;
    const t = setInterval(() => saved.current(), ms);
    return () => clearInterval(t);
  }, [ms, active]);
}

/** Set the document title: "台账 · 保学". */
export function useTitle(title) {
  useEffect(() => { document.title = title ? `${title} · 保学` : '保学 · 控辍保学信息系统'; }, [title]);
}
