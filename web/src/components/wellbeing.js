// The wellbeing ledgers on the child record (issue 16). 疾病台帐: GET /children/{id}/illnesses —
// each illness with its dates, effect on schooling, certificate and follow-ups, the form to add
// one and to log a follow-up for who may (the pupil's school, the county: may_log); a chronic or
// serious certified illness that keeps the pupil away offers the placement form (送教上门, 缓学)
// to who may place. 心理健康台帐: only for an account holding that permission (the session's
// mental_health) — for any other account this component asks nothing and shows nothing, not
// even that the ledger exists (docs/decisions.md, issue 16).
import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { api } from '../api.js';
import { useApi } from '../hooks.js';
import { can } from '../session.js';
import { fmtDate } from '../format.js';
import { Badge, ErrorBanner, Notice } from './feedback.js';
import { SubmitRow, useSubmit } from './casework.js';
import { PlacementForm } from './placement.js';

export const CATEGORIES = [['chronic', '慢性病'], ['serious', '重大疾病'], ['infectious', '传染病'], ['injury', '意外伤害'], ['other', '其他']];
export const EFFECTS = [['none', '不影响到校'], ['partial', '部分缺课'], ['absent', '无法到校']];
export const LEVELS = [['watch', '一般关注'], ['attention', '重点关注'], ['high', '高度关注'], ['crisis', '危机干预']];
const REFERRALS = [['none', '未转介'], ['counsellor', '学校心理辅导教师'], ['hospital', '医院（精神心理专科）'], ['other', '其他机构']];
const EFFECT_TONE = { none: 'ok', partial: 'warn', absent: 'bad' };
export const LEVEL_TONE = { watch: 'info', attention: 'warn', high: 'bad', crisis: 'bad' };

const orNull = v => (v === '' ? null : v);

function Field({ id, label, children }) {
  return html`<div class="field"><label class="field-label" for=${id}>${label}</label>${children}</div>`;
}

function Select({ id, value, onChange, options }) {
  return html`<select id=${id} value=${value} onChange=${onChange}>${options.map(([k, l]) => html`<option value=${k}>${l}</option>`)}</select>`;
}

function useForm(init) {
  const [f, setF] = useState(init);
  return [f, k => e => setF(x => ({ ...x, [k]: e.target.type === 'checkbox' ? e.target.checked : e.target.value })), setF];
}

export function Illness({ id, mayPlace }) {
  const ill = useApi(can('illness_read') ? '/children/' + id + '/illnesses' : null);
  const [form, setForm] = useState(null);
  const [done, setDone] = useState(null);
  if (!can('illness_read')) return null;
  const d = ill.data;
  if (ill.error) return html`<section class="card"><h2>疾病台帐</h2><${ErrorBanner} error=${ill.error} /></section>`;
  if (!d || (!d.may_log && d.items.length === 0)) return null;
  const finish = m => { setForm(null); setDone(m); ill.reload(); };
  return html`<section class="card illness" aria-labelledby="illness-h">
    <div class="row-between"><h2 id="illness-h">疾病台帐</h2>
      ${d.may_log && html`<button type="button" class="btn btn-small" aria-expanded=${form === 'add'}
        onClick=${() => setForm(form === 'add' ? null : 'add')}>登记疾病</button>`}</div>
    ${done && html`<${Notice} tone="ok">${done}<//>`}
    ${form === 'add' && html`<${IllnessForm} id=${id} onDone=${finish} onCancel=${() => setForm(null)} />`}
    ${d.items.length === 0 ? html`<p class="muted">疾病台帐中没有这名学生的记录。</p>` : html`<ol class="attempts illnesses">
      ${d.items.map(it => html`<li class="attempt" key=${it.id}>
        <div class="tl-head"><strong>#${it.id} ${it.category_label}</strong>
          <${Badge} tone=${EFFECT_TONE[it.effect]}>${it.effect_label}<//>
          ${it.serious && html`<${Badge} tone="warn">慢性或重大疾病<//>`}
          ${!it.open && html`<${Badge} tone="muted">已痊愈<//>`}</div>
        <dl class="facts">
          <dt>病情</dt><dd>${it.diagnosis}</dd>
          <dt>时间</dt><dd>${fmtDate(it.from)} 起${it.to ? '，至 ' + fmtDate(it.to) : '，尚未痊愈'}</dd>
          ${it.certificate && html`<dt>诊断证明</dt><dd>${it.certificate}</dd>`}
          ${it.sick_leave_id ? html`<dt>病假记录</dt><dd>#${it.sick_leave_id}</dd>` : null}
          ${it.note && html`<dt>说明</dt><dd>${it.note}</dd>`}
          <dt>学校</dt><dd>${it.school || '—'} <span class="muted small">记录人 ${it.logged_by}</span></dd>
        </dl>
        ${it.follows.length > 0 && html`<h3 class="subhead">随访</h3><ul class="follows">
          ${it.follows.map((f, i) => html`<li key=${i}><strong>${fmtDate(f.date)}</strong> ${f.by}：${f.content}</li>`)}</ul>`}
        ${it.placement_offer && html`<div class="offer"><p>有诊断证明、影响到校的${it.category_label}：可考虑送教上门或缓学。</p>
          ${mayPlace ? html`<button type="button" class="btn btn-small btn-primary" aria-expanded=${form === 'place-' + it.id}
            onClick=${() => setForm(form === 'place-' + it.id ? null : 'place-' + it.id)}>登记安置方式（送教上门或缓学）</button>`
            : html`<p class="muted small">安置方式由乡镇或县教育局登记。</p>`}</div>`}
        ${form === 'place-' + it.id && html`<${PlacementForm} recordId=${id}
          current=${{ kind: 'home_teaching', note: '因病（' + it.diagnosis + '）无法到校，' + (it.certificate || '') }}
          onDone=${finish} onCancel=${() => setForm(null)} />`}
        ${d.may_log && it.open && html`<button type="button" class="btn btn-small" aria-expanded=${form === 'f-' + it.id}
          onClick=${() => setForm(form === 'f-' + it.id ? null : 'f-' + it.id)}>记录随访</button>`}
        ${form === 'f-' + it.id && html`<${FollowForm} illness=${it.id} onDone=${finish} onCancel=${() => setForm(null)} />`}
      </li>`)}</ol>`}
  </section>`;
}

export function IllnessForm({ id, onDone, onCancel }) {
  const [f, set] = useForm({ category: 'chronic', diagnosis: '', effect: 'partial', from: '', to: '', serious: false, certificate: '', note: '' });
  const [state, submit] = useSubmit(() => api.post('/children/' + id + '/illnesses', {
    category: f.category, diagnosis: f.diagnosis, effect: f.effect, from: orNull(f.from), to: orNull(f.to),
    serious: f.serious ? '是' : null, certificate: orNull(f.certificate), note: orNull(f.note),
  }), r => onDone(r.message));
  return html`<form class="form inline-form" onSubmit=${submit} aria-label="登记疾病">
    <div class="grid grid-2">
      <${Field} id="il-cat" label="疾病类别"><${Select} id="il-cat" value=${f.category} onChange=${set('category')} options=${CATEGORIES} /><//>
      <${Field} id="il-eff" label="对到校的影响"><${Select} id="il-eff" value=${f.effect} onChange=${set('effect')} options=${EFFECTS} /><//>
    </div>
    <${Field} id="il-diag" label="病情"><input id="il-diag" value=${f.diagnosis} onInput=${set('diagnosis')} placeholder="疾病名称或情况" required /><//>
    <div class="grid grid-2">
      <${Field} id="il-from" label="起始日期（不填为今天）"><input id="il-from" type="date" value=${f.from} onInput=${set('from')} /><//>
      <${Field} id="il-to" label="结束日期（未痊愈不填）"><input id="il-to" type="date" value=${f.to} onInput=${set('to')} /><//>
    </div>
    <${Field} id="il-cert" label="诊断证明（出具医院和日期）"><input id="il-cert" value=${f.certificate} onInput=${set('certificate')} /><//>
    <label class="check"><input type="checkbox" checked=${f.serious} onChange=${set('serious')} /> 慢性或重大疾病（慢性病、重大疾病总是）</label>
    <${Field} id="il-note" label="说明"><textarea id="il-note" rows="2" value=${f.note} onInput=${set('note')}></textarea><//>
    <${SubmitRow} state=${state} label="登记" onCancel=${onCancel} />
  </form>`;
}

function FollowForm({ illness, onDone, onCancel }) {
  const [f, set] = useForm({ by: '', content: '', date: '', ended: '' });
  const [state, submit] = useSubmit(() => api.post('/illnesses/' + illness + '/follow-ups', {
    by: f.by, content: f.content, date: orNull(f.date), ended: orNull(f.ended),
  }), r => onDone(r.message));
  return html`<form class="form inline-form" onSubmit=${submit} aria-label="疾病随访">
    <${Field} id=${'fo-by-' + illness} label="随访人"><input id=${'fo-by-' + illness} value=${f.by} onInput=${set('by')} placeholder="如：班主任王老师" required /><//>
    <${Field} id=${'fo-c-' + illness} label="随访情况"><textarea id=${'fo-c-' + illness} rows="2" value=${f.content} onInput=${set('content')} required></textarea><//>
    <div class="grid grid-2">
      <${Field} id=${'fo-d-' + illness} label="随访日期（不填为今天）"><input id=${'fo-d-' + illness} type="date" value=${f.date} onInput=${set('date')} /><//>
      <${Field} id=${'fo-e-' + illness} label="痊愈日期（已痊愈时填）"><input id=${'fo-e-' + illness} type="date" value=${f.ended} onInput=${set('ended')} /><//>
    </div>
    <${SubmitRow} state=${state} label="记录随访" onCancel=${onCancel} />
  </form>`;
}

/* 心理健康台帐 on the child record: rendered only for a holder; its reads are audited. */
export function Mental({ id }) {
  const holder = can('mental_health');
  const mh = useApi(holder ? '/children/' + id + '/mental-health' : null);
  const [form, setForm] = useState(null);
  const [done, setDone] = useState(null);
  if (!holder) return null;
  const d = mh.data;
  if (mh.error) return html`<section class="card"><h2>心理健康台帐</h2><${ErrorBanner} error=${mh.error} /></section>`;
  if (!d) return null;
  const finish = m => { setForm(null); setDone(m); mh.reload(); };
  return html`<section class="card mental" aria-labelledby="mental-h">
    <div class="row-between"><h2 id="mental-h">心理健康台帐</h2>
      <button type="button" class="btn btn-small" aria-expanded=${form === 'add'} onClick=${() => setForm(form === 'add' ? null : 'add')}>建档</button></div>
    <p class="muted small">仅限被授权的人员查看，本次查看已记入审计日志。</p>
    ${done && html`<${Notice} tone="ok">${done}<//>`}
    ${form === 'add' && html`<${MentalForm} id=${id} onDone=${finish} onCancel=${() => setForm(null)} />`}
    ${d.items.length === 0 ? html`<p class="muted">没有这名学生的心理健康台帐记录。</p>` : html`<ol class="attempts">
      ${d.items.map(it => html`<${MentalEntry} key=${it.id} it=${it} form=${form} setForm=${setForm} finish=${finish} />`)}</ol>`}
  </section>`;
}

export function MentalEntry({ it, form, setForm, finish }) {
  return html`<li class="attempt">
    <div class="tl-head"><strong>#${it.id} ${it.level_label}</strong>
      ${it.review_due && html`<${Badge} tone="bad">复查已到期<//>`}
      ${it.closed_on && html`<${Badge} tone="muted">${fmtDate(it.closed_on)} 结案<//>`}</div>
    <dl class="facts">
      <dt>情况</dt><dd>${it.concern}</dd>
      <dt>转介</dt><dd>${it.referral_label}${it.referral_note ? '：' + it.referral_note : ''}</dd>
      <dt>建档</dt><dd>${fmtDate(it.opened_on)} <span class="muted small">${it.logged_by}</span></dd>
      ${!it.closed_on && html`<dt>下次复查</dt><dd>${fmtDate(it.next_review)}</dd>`}
    </dl>
    ${it.events.length > 0 && html`<ul class="follows">${it.events.map((e, i) => html`<li key=${i}>
      <strong>${fmtDate(e.date)} ${e.kind_label}</strong> ${e.by}：${e.content}${e.level_label ? '（' + e.level_label + '）' : ''}</li>`)}</ul>`}
    ${!it.closed_on && html`<button type="button" class="btn btn-small" aria-expanded=${form === 'n-' + it.id}
      onClick=${() => setForm(form === 'n-' + it.id ? null : 'n-' + it.id)}>记录干预或复查</button>`}
    ${form === 'n-' + it.id && html`<${NoteForm} entry=${it} onDone=${finish} onCancel=${() => setForm(null)} />`}
  </li>`;
}

function MentalForm({ id, onDone, onCancel }) {
  const [f, set] = useForm({ level: 'watch', concern: '', referral: 'none', referral_note: '', date: '', next_review: '' });
  const [state, submit] = useSubmit(() => api.post('/children/' + id + '/mental-health', {
    level: f.level, concern: f.concern, referral: f.referral, referral_note: orNull(f.referral_note),
    date: orNull(f.date), next_review: f.next_review,
  }), r => onDone(r.message));
  return html`<form class="form inline-form" onSubmit=${submit} aria-label="建立心理健康台帐">
    <div class="grid grid-2">
      <${Field} id="mh-level" label="关注等级"><${Select} id="mh-level" value=${f.level} onChange=${set('level')} options=${LEVELS} /><//>
      <${Field} id="mh-ref" label="转介"><${Select} id="mh-ref" value=${f.referral} onChange=${set('referral')} options=${REFERRALS} /><//>
    </div>
    <${Field} id="mh-concern" label="情况"><textarea id="mh-concern" rows="3" value=${f.concern} onInput=${set('concern')} placeholder="观察到的表现和来源" required></textarea><//>
    <${Field} id="mh-rn" label="转介说明"><input id="mh-rn" value=${f.referral_note} onInput=${set('referral_note')} /><//>
    <div class="grid grid-2">
      <${Field} id="mh-date" label="建档日期（不填为今天）"><input id="mh-date" type="date" value=${f.date} onInput=${set('date')} /><//>
      <${Field} id="mh-next" label="下次复查日期"><input id="mh-next" type="date" value=${f.next_review} onInput=${set('next_review')} required /><//>
    </div>
    <${SubmitRow} state=${state} label="建档" onCancel=${onCancel} />
  </form>`;
}

function NoteForm({ entry, onDone, onCancel }) {
  const [f, set] = useForm({ kind: 'intervention', by: '', content: '', date: '', level: '', next_review: '', close: false });
  const review = f.kind === 'review';
  const [state, submit] = useSubmit(() => api.post('/mental-health/' + entry.id + '/notes', {
    kind: f.kind, by: f.by, content: f.content, date: orNull(f.date),
    ...(review ? { level: orNull(f.level), next_review: f.close ? null : orNull(f.next_review), close: f.close ? '是' : null } : {}),
  }), r => onDone(r.message));
  const k = 'mn-' + entry.id;
  return html`<form class="form inline-form" onSubmit=${submit} aria-label="干预或复查">
    <${Field} id=${k + '-kind'} label="记录类型"><${Select} id=${k + '-kind'} value=${f.kind} onChange=${set('kind')} options=${[['intervention', '干预'], ['review', '复查']]} /><//>
    <${Field} id=${k + '-by'} label="经办人"><input id=${k + '-by'} value=${f.by} onInput=${set('by')} required /><//>
    <${Field} id=${k + '-c'} label="内容"><textarea id=${k + '-c'} rows="2" value=${f.content} onInput=${set('content')} required></textarea><//>
    <${Field} id=${k + '-d'} label="日期（不填为今天）"><input id=${k + '-d'} type="date" value=${f.date} onInput=${set('date')} /><//>
    ${review && html`<div class="grid grid-2">
      <${Field} id=${k + '-l'} label="关注等级（不变不选）"><${Select} id=${k + '-l'} value=${f.level} onChange=${set('level')} options=${[['', '不变'], ...LEVELS]} /><//>
      <${Field} id=${k + '-n'} label="下次复查日期"><input id=${k + '-n'} type="date" value=${f.next_review} onInput=${set('next_review')} disabled=${f.close} /><//>
    </div>
    <label class="check"><input type="checkbox" checked=${f.close} onChange=${set('close')} /> 结案</label>`}
    <${SubmitRow} state=${state} label="保存" onCancel=${onCancel} />
  </form>`;
}
