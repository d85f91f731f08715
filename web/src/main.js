// Boot: read the session, then render the screen the hash names. Signed out → login (with
// ?next= to come back); a route the role may not use → a clear message, never the data.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import './style.css';
import { html } from './html.js';
import { Layout, allowed } from './layout.js';
import { routes } from './routes.js';
import { match, navigate, useRoute } from './router.js';
import { loadSession, useUser } from './session.js';
import { ErrorBanner, Loading } from './components/feedback.js';
import { startOffline } from './offline.js';

function find(path) {
  for (const r of routes) {
    const params = match(r.path, path);
    if (params) return { route: r, params };
  }
  return null;
}

/** Where '/' leads: the first screen in the nav this user may use, else their account. */
function home() {
  const r = routes.find(x => x.nav && allowed(x));
  return r ? r.path : '/account';
}

const cache = new Map();

function Screen({ route, params, query }) {
  const [mod, setMod] = useState(cache.get(route.path));
  const [err, setErr] = useState(null);
  useEffect(() => {
    if (cache.has(route.path)) { setMod(cache.get(route.path)); return; }
    setMod(null);
    route.load().then(m => { cache.set(route.path, m); setMod(m); }).catch(() => setErr('页面加载失败，请刷新重试'));
  }, [route]);
  if (err) return html`<${ErrorBanner} error=${err} />`;
  if (!mod) return html`<${Loading} />`;
  const C = mod.default;
  return html`<${C} params=${params} query=${query} />`;
}

function App() {
  const user = useUser();
  const { path, query } = useRoute();
  const [booted, setBooted] = useState(false);
  const [bootError, setBootError] = useState(null);
  // the address this page last drew, for whoever waits on a hash change to be drawn (the
  // browser tests; hashchange and the drawing come after the address changes)
  useEffect(() => { document.documentElement.dataset.shown = location.hash; });
  useEffect(() => {
    loadSession().then(() => setBooted(true)).catch(e => setBootError(e));
  }, []);
  if (bootError) return html`<div class="boot-error"><${ErrorBanner} error=${bootError} onRetry=${() => location.reload()} /></div>`;
  if (!booted) return html`<${Loading} />`;
  const hit = find(path);
  if (!user) {
    if (!hit || !hit.route.public) {
      const next = location.hash.replace(/^#/, '');
      navigate('/login', next && next !== '/' ? { next } : {}, { replace: true });
      return null;
    }
    return html`<${Screen} route=${hit.route} params=${hit.params} query=${query} />`;
  }
  if (path === '/login') { navigate(query.next || home(), {}, { replace: true }); return null; }
  if (path === '/' && (!hit || !allowed(hit.route)) && home() !== '/') { navigate(home(), {}, { replace: true }); return null; }
  let body;
  if (!hit) body = html`<${ErrorBanner} error="没有这个页面。请从上方菜单选择。" />`;
  else if (!allowed(hit.route)) body = html`<${ErrorBanner} error="您的账号无权使用此页面。" />`;
  // keyed by the route: another screen is a new component, never the last one's module
  // rendered once more with this screen's params (a task's screen asking for /verify/undefined
  // on the way to a list, or a case's for a child's id)
  else body = html`<${Screen} key=${hit.route.path} route=${hit.route} params=${hit.params} query=${query} />`;
  return html`<${Layout} user=${user} path=${path}>${body}<//>`;
}

startOffline();  // the service worker and the queue of records made offline
const root = document.getElementById('app');
root.textContent = '';  // the static 正在加载… of index.html
render(html`<${App} />`, root);
