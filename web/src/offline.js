// Field work without signal (issue 14): the records a cadre makes on a task or case screen — a
// verification's outcome, a 劝返 attempt, the legal ladder, the outcome of a case, a follow-up —
// and a class teacher's roll call (考勤, issue 16: the day's absences and the marks taken back)
// are kept in this browser (IndexedDB) when the network is down, and sent in order when it is
// back. Each is sent with the CSRF token of the session at the time of sending (a new token is
// fetched once when the server refuses an old one). What the server refuses (the task was
// closed meanwhile by someone else, say) stays in the queue with the server's Chinese reason,
// for the user to discard or redo (#/outbox): nothing is lost silently. The queue belongs to the
// account that made it; signing out deletes it, after asking when something is still unsent,
// with the cached answers of the screens (sw.js). The service worker caches the screens' reads.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, onOfflineWrite, request, setCsrf } from './api.js';
import { label as vocabLabel } from './vocab.js';

const DB = 'baoxue-offline';
const STORE = 'queue';
export const API_CACHE = 'baoxue-api';

// The writes that may wait: their path, what they are called, and the screen to redo them on.
const QUEUEABLE = [
  [/^\/verify\/(\d+)\/outcome$/, '核查结论', id => `/verify/${id}`, '核查任务'],
  [/^\/cases\/(\d+)\/attempts$/, '劝返记录', id => `/cases/${id}`, '案件'],
  [/^\/cases\/(\d+)\/follow-ups$/, '巩固回访', id => `/cases/${id}`, '案件'],
  [/^\/cases\/(\d+)\/escalate$/, '依法控辍', id => `/cases/${id}`, '案件'],
  [/^\/cases\/(\d+)\/resolve$/, '劝返结果', id => `/cases/${id}`, '案件'],
];
// The roll call's (no id in the path: the day and the kind are the body's).
const count = b => String((b && b.pupils) || '').split('\n').filter(Boolean).length;
const ROLL_CALL = [
  [/^\/attendance$/, b => `考勤 ${b.date}：${vocabLabel('absence_kinds', b.kind)} ${count(b)} 人`],
  [/^\/attendance\/removals$/, b => `考勤 ${b.date}：撤销 ${count(b)} 人的缺勤`],
];

function describe(path, body) {
  for (const [re, what, screen, object] of QUEUEABLE) {
    const m = re.exec(path);
    if (m) return { label: `${object} ${m[1]}：${what}`, screen: screen(m[1]) };
  }
  for (const [re, what] of ROLL_CALL)
    if (re.test(path)) return { label: body ? what(body) : '考勤', screen: '/attendance' };
  return null;
}

/** The roll-call records of a school's day still in this browser (waiting or refused), oldest
 * first: the screen shows them over the server's answer, which does not have them yet. */
export function pendingRollCall(items, school, date) {
  return items.filter(i => ROLL_CALL.some(([re]) => re.test(i.path)) && i.body && i.body.school === school && i.body.date === date);
}

let owner = '';  // the signed-in account (queueOwner): the queue shown and sent is its own

/** Whose queue a signed-in user's is: the account's name, and on a province's server (one
 * server for many counties, each with its own accounts: a 'zhang' of one county is not the
 * 'zhang' of another) the county's code before it, "140521/zhang". A county's own server keeps
 * the plain name, so that what waits from before stays its account's. '' when none. */
export function queueOwner(user) {
  if (!user || !user.name) return '';
  return user.county && user.county.code ? `${user.county.code}/${user.name}` : user.name;
}
let state = { online: typeof navigator === 'undefined' || navigator.onLine, items: [], sent: 0 };
const listeners = new Set();
function emit(patch) {
  state = { ...state, ...patch };
  for (const f of listeners) f(state);
}

function open() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'id', autoIncrement: true });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function tx(mode, fn) {
  const db = await open();
  try {
    return await new Promise((resolve, reject) => {
      const t = db.transaction(STORE, mode);
      const out = fn(t.objectStore(STORE));
      t.oncomplete = () => resolve(out && 'result' in out ? out.result : undefined);
      t.onerror = () => reject(t.error);
      t.onabort = () => reject(t.error || new Error('aborted'));
    });
  } finally {
    db.close();
  }
}

async function everything() {
  return (await tx('readonly', s => s.getAll())) || [];
}

async function refresh() {
  const all = await everything();
  emit({ items: all.filter(i => i.user === owner) });
  return state.items;
}

/** A write that could not reach the server, kept: the answer a screen shows instead of the server's. */
async function enqueue(method, path, body, what) {
  const d = describe(path, body);
  try {
    await tx('readwrite', s => s.add({ user: owner, method, path, body, label: d.label, screen: d.screen, what: what || null, at: new Date().toISOString(), state: 'waiting', error: null }));
  } catch {
    // a browser that keeps nothing (private mode, storage full): say so, keep the form as typed
    throw new ApiError(0, 'network', '无法连接服务器，本机也无法保存这条记录：请联网后再保存');
  }
  const items = await refresh();
  const n = items.filter(i => i.state === 'waiting').length;
  return { queued: true, message: `网络不通：已保存在本机，联网后自动发送（待发送 ${n} 条）` };
}

let flushing = null;

/** Send what waits, oldest first; stop at the first that cannot reach the server. */
export function flush() {
  if (!flushing) flushing = sendAll().finally(() => { flushing = null; });
  return flushing;
}

async function sendAll() {
  if (!owner || !navigator.onLine) return;
  let sent = 0;
  for (const item of await refresh()) {
    if (item.state !== 'waiting') continue;
    let err = null;
    try {
      await send(item);
    } catch (e) {
      err = e;
    }
    if (!err) {
      await tx('readwrite', s => s.delete(item.id));
      sent++;
      continue;
    }
    // no network, no session (the login screen comes), the server down: try again later
    if (!(err instanceof ApiError) || err.status === 0 || err.status === 401 || err.status >= 500) break;
    await tx('readwrite', s => s.put({ ...item, state: 'refused', error: err.message }));
  }
  await refresh();
  if (sent) emit({ sent: state.sent + sent });
}

async function send(item) {
  try {
    return await request(item.method, item.path, { body: item.body, direct: true });
  } catch (e) {
    if (!(e instanceof ApiError) || e.code !== 'csrf') throw e;
    // the session's token changed since (signed in again): take the current one, once
    const s = await request('GET', '/session', { direct: true });
    setCsrf(s.csrf_token);
    return request(item.method, item.path, { body: item.body, direct: true });
  }
}

/** Try a refused item again (the reason may be gone), or drop it. */
export async function retry(id) {
  const item = (await everything()).find(i => i.id === id && i.user === owner);
  if (!item) return;
  await tx('readwrite', s => s.put({ ...item, state: 'waiting', error: null }));
  await refresh();
  await flush();
}

export async function discard(id) {
  const item = (await everything()).find(i => i.id === id && i.user === owner);
  if (item) await tx('readwrite', s => s.delete(id));
  await refresh();
}

/* What the app reads before any screen (the session, the vocabularies) is read before the
 * service worker takes over on a first visit: kept here as the worker keeps what it sees (same
 * cache, same keys), so that the app starts with no network; not asked twice. */
function keepAnswer(path, data) {
  if ((path !== '/session' && path !== '/vocab') || !('caches' in window)) return;
  const body = JSON.stringify(data);
  caches.open(API_CACHE)
    .then(c => c.put('/api/v1' + path, new Response(body, { headers: { 'Content-Type': 'application/json; charset=utf-8' } })))
    .catch(() => { /* no cache: online use only */ });
}

/** The signed-in account changes (its queueOwner; '' or null: signed out): its own queue is
 * shown, then sent; `session` (the answer of signing in, which is GET /session's) is kept for
 * an offline start. */
export async function adoptUser(key, session) {
  owner = key || '';
  if (owner && session) keepAnswer('/session', session);
  if (!('indexedDB' in window)) return;
  await refresh();
  if (owner) flush();
}

/** Before signing out: false when the user keeps unsent records (stays signed in). */
export async function confirmSignOut() {
  const unsent = owner ? (await refresh()).length : 0;
  if (unsent && !window.confirm(`还有 ${unsent} 条记录没有发送到服务器。退出登录会删除本机保存的这些记录，确定退出吗？`)) return false;
  return true;
}

/** After signing out: nothing of the session stays in this browser (queue, cached answers).
 * key: the account's queueOwner. */
export async function forget(key) {
  if ('indexedDB' in window) {
    const mine = (await everything()).filter(i => i.user === key);
    for (const i of mine) await tx('readwrite', s => s.delete(i.id));
  }
  if ('caches' in window) await caches.delete(API_CACHE);
  if (navigator.serviceWorker && navigator.serviceWorker.controller) navigator.serviceWorker.controller.postMessage({ type: 'forget' });
  owner = '';
  emit({ items: [] });
}

export function useOffline() {
  const [s, setS] = useState(state);
  useEffect(() => {
    listeners.add(setS);
    setS(state);
    return () => listeners.delete(setS);
  }, []);
  return s;
}

export function startOffline() {
  if (typeof window === 'undefined') return;
  onOfflineWrite({ accepts: path => !!describe(path), keep: enqueue, answered: keepAnswer });
  window.addEventListener('online', () => { emit({ online: true }); flush(); });
  window.addEventListener('offline', () => emit({ online: false }));
  // a queue left by a connection that came back while the page was asleep
  setInterval(() => { if (navigator.onLine && state.items.some(i => i.state === 'waiting')) flush(); }, 30000);
  if ('serviceWorker' in navigator && location.protocol !== 'file:') {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => { /* no offline reads: the rest works */ });
  }
}
