// 登录: username and password; wrong password, lockout (429 with the seconds to wait) and an
// expired session each get their own sentence. After signing in, back to ?next= (where the
// user was when the session ended) or the home screen. On a province's server (one server for
// every county of its database, GET /counties lists them) the account is looked up in the county
// chosen above the user name, or among the province's and the cities' own accounts: the same
// user name may be two people of two counties. This browser remembers the county chosen last,
// for the cadre who signs in on her phone. A county's own server lists none: no choice shows.
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from '../html.js';
import { counties as readCounties, login } from '../session.js';
import { navigate } from '../router.js';
import { useTitle } from '../hooks.js';
import { countyChoices } from '../format.js';

const KEEP = 'baoxue.county';

function remembered() {
  try { return localStorage.getItem(KEEP) || ''; } catch { return ''; }
}

export default function Login({ query }) {
  useTitle('登录');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const [counties, setCounties] = useState(null);   // null: not read yet; []: a county's server
  const [county, setCounty] = useState(remembered);
  const listed = useRef(null);
  const nameRef = useRef(null);
  const pwRef = useRef(null);
  useEffect(() => { nameRef.current && nameRef.current.focus(); }, []);
  useEffect(() => {
    listed.current = readCounties();
    listed.current.then(setCounties);
  }, []);

  const submit = async e => {
    e.preventDefault();
    if (!username.trim() || !password) {
      setError(!username.trim() ? '请输入用户名' : '请输入密码');
      (!username.trim() ? nameRef : pwRef).current.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      // signed in before the list came: the county remembered, if the server has it
      const list = counties || await listed.current;
      const chosen = list.some(c => c.code === county) ? county : '';
      await login(username.trim(), password, chosen);
      if (list.length) {
        try { localStorage.setItem(KEEP, chosen); } catch { /* private mode: chosen each time */ }
      }
      navigate(query.next || '/', {}, { replace: true });
    } catch (err) {
      setError(err.code === 'network' ? err.message
        : err.status === 401 ? '用户名或密码错误，请重新输入'
        : err.message);
      setPassword('');
      pwRef.current && pwRef.current.focus();
    } finally {
      setBusy(false);
    }
  };

  return html`<div class="login-page">
    <form class=${'login-card' + (counties && counties.length ? ' login-card-counties' : '')} onSubmit=${submit} aria-labelledby="login-title" novalidate>
      <div class="login-brand"><span class="brand-mark" aria-hidden="true">保</span>
        <div><h1 id="login-title">保学</h1><p>控辍保学信息系统</p></div></div>
      ${query.expired && !error && html`<div class="banner banner-warn" role="status">登录已过期，请重新登录；登录后回到刚才的页面。</div>`}
      ${error && html`<div class="banner banner-error" role="alert" id="login-error">${error}</div>`}
      ${counties && counties.length > 0 && html`<div class="field">
        <label class="field-label" for="county">所在县（区）</label>
        <select id="county" name="county" aria-describedby="county-hint"
          value=${counties.some(c => c.code === county) ? county : ''} onChange=${e => setCounty(e.target.value)}>
          <option value="">省、市教育部门（省教育厅、市教育局账号）</option>
          ${countyChoices(counties).map(g => html`<optgroup label=${g.label}>
            ${g.items.map(c => html`<option value=${c.code} title=${c.name}>${c.label}</option>`)}</optgroup>`)}
        </select>
        <span class="field-hint" id="county-hint">县教育局、乡镇、学校等单位的账号，请选择账号所在的县（区）。</span></div>`}
      <label class="field" for="username"><span class="field-label">用户名</span>
        <input id="username" ref=${nameRef} name="username" autocomplete="username" value=${username}
          aria-describedby=${error ? 'login-error' : null} onInput=${e => setUsername(e.target.value)} /></label>
      <label class="field" for="password"><span class="field-label">密码</span>
        <input id="password" ref=${pwRef} name="password" type="password" autocomplete="current-password" value=${password}
          onInput=${e => setPassword(e.target.value)} /></label>
      <button type="submit" class="btn btn-primary btn-block" disabled=${busy}>${busy ? '正在登录…' : '登录'}</button>
      <p class="login-help">${counties && counties.length
        ? '县（区）的账号由本县教育局的系统管理员开设，省、市教育部门的账号由省里的系统管理员开设；忘记密码请联系开设账号的管理员重置。'
        : '账号由县教育局系统管理员开设；忘记密码请联系管理员重置。'}</p>
    </form>
  </div>`;
}
