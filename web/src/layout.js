// The frame around every screen: the brand, the nav (only what the role may use; a 菜单 button
// below 860 px), who is signed in and 退出. On a province's server the county whose data it is
// shows under the brand too: on a phone the account's line is at the end of the menu.
import { useEffect, useState } from 'preact/hooks';
import { html } from './html.js';
import { routes } from './routes.js';
import { can, logout } from './session.js';
import { OfflineBadge } from './components/offline-badge.js';
import { divisionParts } from './format.js';

export function allowed(route) {
  return route.public || can(route.perm);
}

// The county of a session on a province's server (沁水县), '' for none.
const countyName = u => (u.county ? divisionParts(u.county.name).county : '');

// Over what the account sees; on a province's server within which county (沁水县龙港镇,
// 沁水县公安局, for the county's own accounts 沁水县 rather than 全县), for a user there who
// may work in more than one county's data.
function scopeText(u) {
  const county = countyName(u);
  if (u.township) return county + (u.township_name || u.township);
  if (u.school) return county ? `${county} · 本校` : '本校';
  if (u.department) return county + (u.department_label || u.department);
  if (u.area) return u.area.name;
  return county || '全县';
}

export function Layout({ user, path, children }) {
  const [open, setOpen] = useState(false);
  useEffect(() => {
    // a new screen: close the menu, start at its top, and move the focus to it (screen readers
    // announce the new page; Tab continues from there)
    setOpen(false);
    window.scrollTo(0, 0);
    const main = document.getElementById('main');
    if (main && document.activeElement !== document.body) main.focus({ preventScroll: true });
  }, [path]);
  const nav = routes.filter(r => r.nav && allowed(r));
  const current = r => (r.path === '/' ? path === '/' : path === r.path || path.startsWith(r.path + '/'));
  return html`<div class="shell">
    <a class="skip-link" href="#main" onClick=${e => { e.preventDefault(); document.getElementById('main').focus(); }}>跳到正文</a>
    <header class="topbar">
      <a class="brand" href="#/"><span class="brand-mark" aria-hidden="true">保</span><span class="brand-text">保学<small>控辍保学信息系统</small>${user.county && html`<span class="brand-county">${countyName(user)}</span>`}</span></a>
      <${OfflineBadge} />
      <button type="button" class="btn menu-toggle" aria-expanded=${open} aria-controls="main-nav" onClick=${() => setOpen(!open)}>
        <span aria-hidden="true">☰</span> 菜单
      </button>
      <nav id="main-nav" class=${'nav' + (open ? ' open' : '')} aria-label="主菜单">
        ${nav.map(r => html`<a href=${'#' + r.path} onClick=${() => setOpen(false)} class=${current(r) ? 'active' : ''} aria-current=${current(r) ? 'page' : null}>${r.title}</a>`)}
        <span class="nav-user">
          <a href="#/account" class=${path === '/account' ? 'active' : ''} title=${user.county ? `我的账号（${user.county.name}）` : '我的账号'}>
            <span class="user-name">${user.name}</span><span class="user-role">${user.role_label} · ${scopeText(user)}</span>
          </a>
          <button type="button" class="btn btn-ghost" onClick=${logout}>退出</button>
        </span>
      </nav>
    </header>
    <main id="main" tabindex="-1">${children}</main>
  </div>`;
}
