// 登录: username and password; wrong password, lockout (429 with the seconds to wait) and an
// expired session each get their own sentence. After signing in, back to ?next= (where the
// user was when the session ended) or the home screen.
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from '../html.js';
import { login } from '../session.js';
import { navigate } from '../router.js';
import { useTitle } from '../hooks.js';

export default function Login({ query }) {
  useTitle('登录');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const nameRef = useRef(null);
  const pwRef = useRef(null);
  useEffect(() => { nameRef.current && nameRef.current.focus(); }, []);

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
      await login(username.trim(), password);
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
    <form class="login-card" onSubmit=${submit} aria-labelledby="login-title" novalidate>
      <div class="login-brand"><span class="brand-mark" aria-hidden="true">保</span>
        <div><h1 id="login-title">保学</h1><p>控辍保学信息系统</p></div></div>
      ${query.expired && !error && html`<div class="banner banner-warn" role="status">登录已过期，请重新登录；登录后回到刚才的页面。</div>`}
      ${error && html`<div class="banner banner-error" role="alert" id="login-error">${error}</div>`}
      <label class="field" for="username"><span class="field-label">用户名</span>
        <input id="username" ref=${nameRef} name="username" autocomplete="username" value=${username}
          aria-describedby=${error ? 'login-error' : null} onInput=${e => setUsername(e.target.value)} /></label>
      <label class="field" for="password"><span class="field-label">密码</span>
        <input id="password" ref=${pwRef} name="password" type="password" autocomplete="current-password" value=${password}
          onInput=${e => setPassword(e.target.value)} /></label>
      <button type="submit" class="btn btn-primary btn-block" disabled=${busy}>${busy ? '正在登录…' : '登录'}</button>
      <p class="login-help">账号由县教育局系统管理员开设；忘记密码请联系管理员重置。</p>
    </form>
  </div>`;
}
