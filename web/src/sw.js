// The service worker (issue 14: the field has no signal). build.mjs bundles it to dist/sw.js with
// the list of the app's files (SHELL) and a version made from their names (VERSION); the server
// sends it uncached, for the whole site's scope (src/http/static.c).
//
// - The app shell (index.html and the hashed bundles) is kept at install: the app opens with no
//   network. index.html is asked from the network first (a new version shows at once online).
// - A GET of the API answered 200 is kept (cache API_CACHE) and given back when the network is
//   down: the screens a user opened in town read in the village. Only JSON answers are kept —
//   never a photo, a report or a PDF (downloads) — and the cache is deleted when the user signs
//   out (the page asks: offline.js forget) and when the server says the session is gone (401).
// - Writes are not touched: the page keeps what it cannot send (offline.js).
/* global SHELL, VERSION */
const SHELL_CACHE = 'baoxue-shell-' + VERSION;
const API_CACHE = 'baoxue-api';
const OFFLINE = JSON.stringify({ error: { code: 'offline', message: '当前离线，这一页在联网时没有打开过，暂时无法查看；联网后再试' } });

self.addEventListener('install', e => {
  e.waitUntil(caches.open(SHELL_CACHE).then(c => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', e => {
  e.waitUntil(caches.keys()
    .then(keys => Promise.all(keys.filter(k => k.startsWith('baoxue-shell-') && k !== SHELL_CACHE).map(k => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener('message', e => {
  if (e.data && e.data.type === 'forget') e.waitUntil(caches.delete(API_CACHE));
});

function offline() {
  return new Response(OFFLINE, { status: 503, headers: { 'Content-Type': 'application/json; charset=utf-8' } });
}

async function api(req) {
  const url = new URL(req.url);
  const key = url.pathname + url.search;
  try {
    const resp = await fetch(req);
    const type = resp.headers.get('Content-Type') || '';
    if (resp.status === 200 && type.startsWith('application/json')) {
      const copy = resp.clone();
      caches.open(API_CACHE).then(c => c.put(key, copy));
    } else if (resp.status === 401) {
      caches.delete(API_CACHE);
    }
    return resp;
  } catch {
    const hit = await caches.match(key, { cacheName: API_CACHE });
    return hit || offline();
  }
}

async function page(req) {
  try {
    return await fetch(req);
  } catch {
    const hit = await caches.match('/index.html', { cacheName: SHELL_CACHE });
    return hit || offline();
  }
}

async function asset(req) {
  const hit = await caches.match(req, { cacheName: SHELL_CACHE });
  return hit || fetch(req);
}

self.addEventListener('fetch', e => {
  const req = e.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/v1/')) {
    // the photos are read only online (each read is audited), as are the downloads; and the
    // login page's list of counties (a province's server): read by no session, and signing in
    // needs the network anyway, it would put back the cache that signing out has just deleted
    if (/\/attachments\/\d+$/.test(url.pathname) || url.pathname.startsWith('/api/v1/reports/')
        || url.pathname === '/api/v1/counties') return;
    e.respondWith(api(req));
  } else if (req.mode === 'navigate' || url.pathname === '/' || url.pathname === '/index.html') {
    e.respondWith(page(req));
  } else if (url.pathname.startsWith('/assets/')) {
    e.respondWith(asset(req));
  }
});
