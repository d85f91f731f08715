// 待发送: the records made on this phone with no signal (offline.js), oldest first. Waiting ones go
// out by themselves when the network is back (or now: 立即发送); one the server refused shows its
// reason and stays until the user sends it again, redoes it on its screen, or discards it.
import { html } from '../html.js';
import { useTitle } from '../hooks.js';
import { fmtDateTime } from '../format.js';
import { Badge, EmptyState, Notice, PageHeader } from '../components/feedback.js';
import { discard, flush, retry, useOffline } from '../offline.js';

export default function Outbox() {
  useTitle('待发送');
  const { online, items } = useOffline();
  const waiting = items.filter(i => i.state === 'waiting').length;
  return html`<div class="page narrow">
    <${PageHeader} title="待发送的记录" subtitle="没有网络时录入的记录保存在本机，联网后按录入顺序自动发送" />
    ${!online && html`<${Notice} tone="warn">当前离线：记录会在联网后自动发送。<//>`}
    ${online && waiting > 0 && html`<p><button type="button" class="btn btn-primary" onClick=${() => flush()}>立即发送（${waiting} 条）</button></p>`}
    ${items.length === 0 ? html`<${EmptyState} title="没有待发送的记录">离线录入的核查结论、劝返记录等会在这里等待发送。<//>`
      : html`<ol class="outbox">${items.map(i => html`<li class="card outbox-item">
        <div class="tl-head"><strong>${i.label}</strong>
          ${i.state === 'waiting' ? html`<${Badge} tone="warn">待发送<//>` : html`<${Badge} tone="bad">服务器未接受<//>`}</div>
        <p class="muted small">录入于 ${fmtDateTime(i.at)}</p>
        ${i.what ? html`<p class="outbox-text">${i.what}</p>` : summary(i.body)}
        ${i.error && html`<div class="banner banner-error" role="alert"><span>${i.error}</span></div>`}
        <div class="form-buttons">
          ${i.state !== 'waiting' && html`<button type="button" class="btn btn-small" onClick=${() => retry(i.id)}>重新发送</button>`}
          <a class="btn btn-small" href=${'#' + i.screen}>打开${i.label.split('：')[0]}重做</a>
          <button type="button" class="btn btn-small btn-ghost" onClick=${() => { if (window.confirm('放弃这条记录？放弃后不能恢复。')) discard(i.id); }}>放弃</button>
        </div>
      </li>`)}</ol>`}
  </div>`;
}

/* What was typed, so that a refused record can be redone without asking the family again. */
function summary(body) {
  const texts = Object.values(body || {}).filter(v => typeof v === 'string' && v.trim() && !/^[a-z0-9_-]+$/.test(v));
  return texts.length ? html`<p class="outbox-text">${texts.join('；')}</p>` : null;
}
