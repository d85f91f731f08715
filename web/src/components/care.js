// 留守儿童关爱 on the child record (issue 15): GET /api/v1/children/{id}/care — whether the
// child is on the left-behind list, its 受委托监护人, phone and the parents' work places (the
// server shows them only to the people assigned to the child and to its school, and audits
// each read), and the care contacts (关爱联系), newest first; the form to log one for who may
// (the child's school, the county: may_log). Nothing shows for a child not left behind.
import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { api } from '../api.js';
import { useApi } from '../hooks.js';
import { fmtDate } from '../format.js';
import { ErrorBanner } from './feedback.js';
import { SubmitRow, useSubmit } from './casework.js';

const WAYS = [['home', '入户'], ['phone', '电话'], ['video', '视频'], ['school', '到校']];

export function Care({ id }) {
  const care = useApi('/children/' + id + '/care');
  const [done, setDone] = useState(null);
  const c = care.data;
  if (care.error) return html`<section class="card"><h2>留守儿童关爱</h2><${ErrorBanner} error=${care.error} /></section>`;
  if (!c || !c.left_behind) return null;
  const g = c.guardian;
  return html`<section class="card care" aria-label="留守儿童关爱">
    <h2>留守儿童关爱</h2>
    ${c.contact_visible && g ? html`<dl class="facts">
      <dt>受委托监护人</dt><dd>${g.name || '—'}${g.care_type ? html` <span class="muted small">（${g.care_type}）</span>` : ''}</dd>
      <dt>监护人电话</dt><dd>${g.phone ? html`<a href=${'tel:' + g.phone}>${g.phone}</a>` : '—'}</dd>
      <dt>父亲务工地</dt><dd>${g.father_work || '—'}</dd>
      <dt>母亲务工地</dt><dd>${g.mother_work || '—'}</dd>
      <dt>村（居）委会联系人</dt><dd>${g.village_contact || '—'}</dd>
    </dl>` : null}
    <p class="muted small">${c.contact_rule}</p>
    ${done && html`<p class="notice" role="status">${done}</p>`}
    ${c.may_log && html`<${CareForm} id=${id} onDone=${m => { setDone(m); care.reload(); }} />`}
    <h3>关爱联系记录</h3>
    ${c.contacts.length === 0 ? html`<p class="muted">还没有关爱联系记录。</p>` : html`<ol class="care-list">
      ${c.contacts.map((x, i) => html`<li key=${i}><strong>${fmtDate(x.date)} · ${x.way_label}</strong>
        <div>${x.people}：${x.content}</div><div class="muted small">记录人 ${x.logged_by}</div></li>`)}</ol>`}
  </section>`;
}

function CareForm({ id, onDone }) {
  const [f, setF] = useState({ date: '', way: 'home', people: '', content: '' });
  const set = k => e => setF(x => ({ ...x, [k]: e.target.value }));
  const [state, submit] = useSubmit(() => api.post('/children/' + id + '/care-contacts', { ...f, date: f.date || null }),
    r => { setF(x => ({ ...x, people: '', content: '' })); onDone(r.message); });
  return html`<form class="form" onSubmit=${submit} aria-label="记录关爱联系">
    <div class="grid grid-2">
      <div class="field"><label class="field-label" for="care-date">联系日期（不填为今天）</label>
        <input id="care-date" type="date" value=${f.date} onInput=${set('date')} /></div>
      <div class="field"><label class="field-label" for="care-way">联系方式</label>
        <select id="care-way" value=${f.way} onChange=${set('way')}>
          ${WAYS.map(([k, l]) => html`<option value=${k}>${l}</option>`)}</select></div>
    </div>
    <div class="field"><label class="field-label" for="care-people">联系人</label>
      <input id="care-people" value=${f.people} onInput=${set('people')} placeholder="如：班主任李老师与奶奶" required /></div>
    <div class="field"><label class="field-label" for="care-content">联系内容</label>
      <textarea id="care-content" rows="3" value=${f.content} onInput=${set('content')} placeholder="学习、生活、身心情况和需要的帮助" required></textarea></div>
    <${SubmitRow} state=${state} label="记录关爱联系" />
  </form>`;
}
