// The signed-in user (GET /api/v1/session): name, role, township/school, permissions, and the
// CSRF token the API client sends. A 401 clears it and remembers where the user was. On a
// province's server, which serves every county of its database, a county's account signs in
// within the county the login page chose: the session names it (user.county here).
import { useEffect, useState } from 'preact/hooks';
import { api, onUnauthorized, setCsrf } from './api.js';
import { navigate, parseHash } from './router.js';
import { loadVocab } from './vocab.js';
import { adoptUser, confirmSignOut, forget, queueOwner } from './offline.js';

let user = null;          // null: not signed in; undefined: not known yet
let expired = false;      // the last 401 was an expired session, not a first visit
const listeners = new Set();

function emit() { for (const f of listeners) f(user); }

function adopt(answer) {
  // the county beside the account ({code, name}; none on a county's own server and for the
  // province's and the cities' accounts)
  user = answer ? { ...answer.user, county: answer.county || null } : null;
  setCsrf(answer ? answer.csrf_token : '');
  emit();
  adoptUser(queueOwner(user), answer).catch(() => { /* no IndexedDB: nothing waits */ });
}

/** Where to go back to after signing in again ("#/children?status=…"). */
function here() {
  const { path } = parseHash();
  return path === '/login' ? '' : location.hash.replace(/^#/, '');
}

onUnauthorized(() => {
  if (!user) return;
  const next = here();
  user = null;
  expired = true;
  setCsrf('');
  emit();
  navigate('/login', { next, expired: 1 }, { replace: true });
});

// A signed-in user's screens show labels from the vocabularies: they are loaded before the user
// is adopted, so no screen renders without them.
export async function loadSession() {
  try {
    const answer = await api.get('/session', undefined, { login: true });
    setCsrf(answer.csrf_token);
    await loadVocab();
    adopt(answer);
  } catch (e) {
    if (e.status !== 401) throw e;
    adopt(null);
  }
  return user;
}

/** The counties a province's server serves ([{code, name}], GET /api/v1/counties), for the
 * login page to choose from; none on a county's own server, and none when the list cannot be
 * read (an older server, no network): the page is then a county's, as before. */
export async function counties() {
  try {
    const answer = await api.get('/counties');
    return (answer && answer.counties) || [];
  } catch {
    return [];
  }
}

/** county: the code of the county whose account this is (a province's server); '' for none. */
export async function login(username, password, county = '') {
  const answer = await api.post('/session', { username, password, ...(county ? { county } : {}) }, { login: true });
  setCsrf(answer.csrf_token);
  await loadVocab();
  adopt(answer);
  expired = false;
  return user;
}

export async function logout() {
  // unsent records are asked about, never dropped unsaid; then nothing of the session stays
  if (!(await confirmSignOut())) return;
  const owner = queueOwner(user);
  try { await api.del('/session'); } catch { /* signed out either way */ }
  await forget(owner).catch(() => {});
  adopt(null);
  navigate('/login', {}, { replace: true });
}

export function currentUser() { return user; }
export function wasExpired() { return expired; }

/** May the signed-in user use this permission ("summary", "children", "full_id", …)? */
export function can(perm) {
  return !!(user && user.permissions && user.permissions.includes(perm));
}

export function useUser() {
  const [u, setU] = useState(user);
  useEffect(() => {
    listeners.add(setU);
    return () => listeners.delete(setU);
  }, []);
  return u;
}
