// The one way screens talk to the server: fetch with the session cookie, the CSRF token on
// every state-changing request, and errors turned into ApiError with a Chinese message.
// A 401 anywhere but the login call sends the user to the login screen and, after signing in,
// back to where they were (see session.js and router.js).

const BASE = '/api/v1';
let csrf = '';
let onUnauthenticated = () => {};
// Where a write that may wait goes when the network is down (offline.js): {accepts(path),
// keep(method, path, body), answered(path, data): a read's answer, for offline use}.
let offlineWrite = null;

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export function setCsrf(token) { csrf = token || ''; }
export function onUnauthorized(fn) { onUnauthenticated = fn; }
export function onOfflineWrite(q) { offlineWrite = q; }

const STATUS_MESSAGES = {
  0: '无法连接服务器，请检查网络后重试',
  400: '请求有误',
  401: '请先登录（会话不存在或已过期）',
  403: '您的账号无权进行此操作',
  404: '没有找到，或不在您的管辖范围内',
  413: '内容过大',
  429: '请求过于频繁，请稍后再试',
  500: '服务器内部错误',
  503: '服务器暂时不可用，请稍后再试',
};

/** Query string from an object; empty values are left out. */
export function qs(params) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== undefined && v !== null && v !== '' && v !== false) u.set(k, v === true ? '1' : String(v));
  }
  const s = u.toString();
  return s ? '?' + s : '';
}

async function errorFrom(resp) {
  let code = 'http_' + resp.status, message = STATUS_MESSAGES[resp.status] || `服务器返回错误（${resp.status}）`;
  try {
    const j = await resp.json();
    if (j && j.error) {
      code = j.error.code || code;
      message = j.error.message || message;
    }
  } catch { /* not JSON: keep the generic message */ }
  return new ApiError(resp.status, code, message);
}

/**
 * request('GET', '/children', {query: {...}}) → parsed JSON.
 * opts.body: an object (sent as JSON) or FormData; opts.raw: return the Response (downloads);
 * opts.login: a 401 is the answer (wrong password), not an expired session.
 * A write offline.js may keep (an outcome, an attempt, a roll call…) answers {queued: true,
 * message} when the network is down; opts.what: what it is in words, shown while it waits.
 */
export async function request(method, path, opts = {}) {
  const headers = { Accept: 'application/json' };
  let body;
  if (opts.body instanceof FormData) body = opts.body;
  else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  if (method !== 'GET' && method !== 'HEAD') headers['X-CSRF-Token'] = csrf;
  // a record made with no signal is kept in this browser and sent later (offline.js);
  // opts.direct: the queue's own sending
  const mayWait = !opts.direct && offlineWrite && method === 'POST' && !(opts.body instanceof FormData) && offlineWrite.accepts(path);
  if (mayWait && navigator.onLine === false) return offlineWrite.keep(method, path, opts.body, opts.what);
  let resp;
  try {
    resp = await fetch(BASE + path + qs(opts.query), { method, headers, body, credentials: 'same-origin', signal: opts.signal });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    if (mayWait) return offlineWrite.keep(method, path, opts.body, opts.what);
    throw new ApiError(0, 'network', STATUS_MESSAGES[0]);
  }
  if (!resp.ok) {
    const err = await errorFrom(resp);
    if (resp.status === 401 && !opts.login) onUnauthenticated(err);
    throw err;
  }
  if (opts.raw) return resp;
  if (resp.status === 204) return null;
  const data = await resp.json();
  if (method === 'GET' && offlineWrite && offlineWrite.answered) offlineWrite.answered(path + qs(opts.query), data);
  return data;
}

export const api = {
  get: (path, query, opts) => request('GET', path, { ...opts, query }),
  post: (path, body, opts) => request('POST', path, { ...opts, body }),
  put: (path, body, opts) => request('PUT', path, { ...opts, body }),
  patch: (path, body, opts) => request('PATCH', path, { ...opts, body }),
  del: (path, opts) => request('DELETE', path, opts),
};

/** The URL of a download (a report): same-origin GET, the browser saves the file. */
export function downloadUrl(path, query) { return BASE + path + qs(query); }

/** The file name a Content-Disposition header gives (filename*=UTF-8'' first), or null. */
export function dispositionName(header) {
  if (!header) return null;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(header);
  if (star) { try { return decodeURIComponent(star[1]); } catch { /* fall through */ } }
  const plain = /filename="([^"]*)"/i.exec(header);
  return plain ? plain[1] : null;
}

/**
 * A download that is also a write (issuing a notice records it in the case): POST with the CSRF
 * token, and the answer saved as a file under the name the server gives.
 */
export async function downloadPost(path, body, fallbackName) {
  const resp = await request('POST', path, { body, raw: true });
  const blob = await resp.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = dispositionName(resp.headers.get('Content-Disposition')) || fallbackName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

/**
 * Upload with progress (fetch has no upload progress): XMLHttpRequest with the CSRF token.
 * onProgress(fraction 0..1). Resolves to the parsed JSON answer.
 */
export function upload(path, formData, onProgress) {
  return new Promise((resolve, reject) => {
    const x = new XMLHttpRequest();
    x.open('POST', BASE + path);
    x.setRequestHeader('X-CSRF-Token', csrf);
    x.setRequestHeader('Accept', 'application/json');
    x.upload.onprogress = e => { if (e.lengthComputable && onProgress) onProgress(e.loaded / e.total); };
    x.onerror = () => reject(new ApiError(0, 'network', STATUS_MESSAGES[0]));
    x.onload = () => {
      let j = null;
      try { j = JSON.parse(x.responseText); } catch { /* keep null */ }
      if (x.status >= 200 && x.status < 300) return resolve(j);
      const e = j && j.error ? new ApiError(x.status, j.error.code, j.error.message)
        : new ApiError(x.status, 'http_' + x.status, STATUS_MESSAGES[x.status] || `服务器返回错误（${x.status}）`);
      if (x.status === 401) onUnauthenticated(e);
      reject(e);
    };
    x.send(formData);
  });
}
