// 督导检查 (issue 17): the inspections the account reads (GET /api/v1/inspections), one with its
// findings and their rectification items (GET /inspections/{id}), and the 结果公告 PDF. A
// supervisor or the county records an inspection and its findings (限期整改: the unit, the person,
// the deadline) and accepts or returns what a unit submitted; the responsible township or
// school reports progress, submits its evidence and adds photos. `may` of each item says which
// forms the account is given (the server checks again). From 待办: ?item=ID opens its inspection.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { api, downloadUrl } from '../api.js';
import { useApi, useTitle } from '../hooks.js';
import { fmtDate, fmtNumber } from '../format.js';
import { navigate } from '../router.js';
import { can } from '../session.js';
import { Badge, EmptyState, ErrorBanner, Loading, PageHeader } from '../components/feedback.js';
import { SubmitRow, useSubmit } from '../components/casework.js';
import { PhotoStrip } from '../components/photos.js';

const TONE = { open: 'info', submitted: 'warn', accepted: 'ok', returned: 'bad' };
const ACTS = {
  progress: { label: '报告整改进展', field: '整改进展', hint: '已做了什么、还要做什么', button: '保存进展', required: true },
  submit: { label: '提交整改材料', field: '整改情况', hint: '做了什么、结果如何（照片可另外添加）', button: '提交验收', required: true },
  accept: { label: '验收通过', field: '验收意见', hint: '如：经现场核实，已整改到位', button: '确认验收', required: false },
  return: { label: '退回重改', field: '退回的理由', hint: '哪些没有整改到位、还须做什么', button: '确认退回', required: true },
};

export default function Inspections({ params, query }) {
  useTitle('督导检查');
  const id = params && params.id;
  // from 待办: an item's inspection
  useEffect(() => {
    if (!id && query.item) {
      api.get(`/rectifications/${query.item}`)
        .then(r => navigate(`/inspections/${r.inspection_id}`, {}, { replace: true }))
        .catch(() => navigate('/inspections', {}, { replace: true }));
    }
  }, [id, query.item]);
  return id ? html`<${Inspection} id=${id} />` : html`<${InspectionList} />`;
}

function InspectionList() {
  const list = useApi('/inspections');
  const [creating, setCreating] = useState(false);
  const d = list.data;
  const rows = d ? d.inspections : null;
  return html`<div class="page">
    <${PageHeader} title="督导检查" subtitle=${rows ? `${fmtNumber(rows.length)} 次检查` : '检查、限期整改和验收'} />
    <p class="muted">每个发现的问题都是一项限期整改：责任单位提交整改材料，检查组验收或退回。检查结果对外公告，不写儿童的姓名和身份证号。</p>
    ${can('inspect') && !creating && html`<div class="page-actions"><button type="button" class="btn btn-primary" onClick=${() => setCreating(true)}>记录督导检查</button></div>`}
    ${creating && html`<${CreateForm} onCancel=${() => setCreating(false)} onDone=${r => navigate(`/inspections/${r.id}`)} />`}
    <${ErrorBanner} error=${list.error} onRetry=${list.reload} />
    ${!d && !list.error && html`<${Loading} />`}
    ${rows && rows.length === 0 && html`<${EmptyState} title="还没有督导检查">督导检查记录后，本单位的限期整改事项会出现在这里和待办中。<//>`}
    ${rows && rows.length > 0 && html`<ul class="card-list inspection-list">
      ${rows.map(r => html`<li key=${r.id} class="card">
        <a href=${'#/inspections/' + r.id}><strong>${fmtDate(r.date)} 督导检查</strong></a>
        <span class="muted"> · 第 ${r.id} 号 · ${r.inspectors}</span>
        <p>问题 ${r.findings} 个：整改中 ${r.open}，待验收 ${r.submitted}，已验收 ${r.accepted}${r.overdue ? html`，<strong class="text-bad">逾期未整改 ${r.overdue}</strong>` : ''}</p>
      </li>`)}</ul>`}
  </div>`;
}

function CreateForm({ onDone, onCancel }) {
  const [f, setF] = useState({ on: '', inspectors: '', units: '', summary: '' });
  const set = k => e => setF(x => ({ ...x, [k]: e.target.value }));
  const [state, submit] = useSubmit(
    () => api.post('/inspections', { on: f.on || null, inspectors: f.inspectors, units: f.units, summary: f.summary || null }),
    onDone);
  return html`<form class="form card" onSubmit=${submit} aria-label="记录督导检查">
    <div class="field"><label class="field-label" for="i-on">检查日期（不填为今天）</label>
      <input id="i-on" type="date" value=${f.on} onInput=${set('on')} /></div>
    <div class="field"><label class="field-label" for="i-inspectors">检查人员<span class="req" aria-hidden="true"> *</span></label>
      <input id="i-inspectors" required value=${f.inspectors} onInput=${set('inspectors')} placeholder="如：张督学、李督学" autocomplete="off" /></div>
    <div class="field"><label class="field-label" for="i-units">检查单位（每行一个）<span class="req" aria-hidden="true"> *</span></label>
      <textarea id="i-units" rows="3" required value=${f.units} onInput=${set('units')} placeholder="乡镇名称或代码、学校标识码"></textarea></div>
    <div class="field"><label class="field-label" for="i-summary">检查情况</label>
      <textarea id="i-summary" rows="3" value=${f.summary} onInput=${set('summary')} placeholder="总体情况；要公告，不写儿童的姓名和身份证号"></textarea></div>
    <${SubmitRow} state=${state} label="保存检查" onCancel=${onCancel} />
  </form>`;
}

function Inspection({ id }) {
  const one = useApi(`/inspections/${id}`);
  const [adding, setAdding] = useState(false);
  const [done, setDone] = useState(null);
  const changed = m => { setDone(m); one.reload(); };
  const d = one.data;
  return html`<div class=${'page' + (one.loading && d ? ' is-stale' : '')}>
    <${PageHeader} title=${d ? `督导检查 · ${fmtDate(d.date)}` : '督导检查'} subtitle=${d ? `第 ${d.id} 号 · ${d.inspectors}` : ''} />
    <p><a href="#/inspections">← 全部督导检查</a></p>
    <${ErrorBanner} error=${one.error} onRetry=${one.reload} />
    ${!d && !one.error && html`<${Loading} />`}
    ${d && html`<section class="card" aria-label="检查情况">
      <p>检查单位：${d.units.map(u => u.name).join('、')}</p>
      ${d.summary && html`<p>${d.summary}</p>`}
      <p class="muted">${d.created_by} 记录</p>
      <div class="page-actions"><a class="btn" download href=${downloadUrl(`/inspections/${d.id}/notice.pdf`)}>结果公告（PDF）</a>
        ${d.may.finding && !adding && html`<button type="button" class="btn btn-primary" onClick=${() => { setDone(null); setAdding(true); }}>记录发现的问题</button>`}</div>
      ${adding && html`<${FindingForm} id=${d.id} units=${d.units} onCancel=${() => setAdding(false)} onDone=${r => { setAdding(false); changed(r.message); }} />`}
    </section>`}
    ${done && html`<p class="notice" role="status">${done}</p>`}
    ${d && d.findings.length === 0 && html`<${EmptyState} title="没有发现的问题">${d.may.finding ? '逐条记录发现的问题和整改要求。' : '本单位没有需要整改的问题。'}<//>`}
    ${d && d.findings.map((f, i) => html`<${ItemCard} key=${f.id} n=${i + 1} f=${f} onChanged=${changed} />`)}
  </div>`;
}

function FindingForm({ id, units, onDone, onCancel }) {
  const [f, setF] = useState({ unit: units.length ? units[0].code : '', text: '', person: '', deadline: '' });
  const set = k => e => setF(x => ({ ...x, [k]: e.target.value }));
  const [state, submit] = useSubmit(() => api.post(`/inspections/${id}/findings`, f), onDone);
  return html`<form class="form" onSubmit=${submit} aria-label="记录发现的问题">
    <div class="field"><label class="field-label" for="f-unit">责任单位<span class="req" aria-hidden="true"> *</span></label>
      <select id="f-unit" value=${f.unit} onChange=${set('unit')}>
        ${units.map(u => html`<option value=${u.code}>${u.name}</option>`)}</select></div>
    <div class="field"><label class="field-label" for="f-text">发现的问题<span class="req" aria-hidden="true"> *</span></label>
      <textarea id="f-text" rows="3" required value=${f.text} onInput=${set('text')} placeholder="问题和整改要求；不写儿童的姓名和身份证号"></textarea></div>
    <div class="field"><label class="field-label" for="f-person">责任人<span class="req" aria-hidden="true"> *</span></label>
      <input id="f-person" required value=${f.person} onInput=${set('person')} placeholder="如：王校长" autocomplete="off" /></div>
    <div class="field"><label class="field-label" for="f-deadline">整改期限<span class="req" aria-hidden="true"> *</span></label>
      <input id="f-deadline" type="date" required value=${f.deadline} onInput=${set('deadline')} /></div>
    <${SubmitRow} state=${state} label="保存问题" onCancel=${onCancel} />
  </form>`;
}

function ItemCard({ n, f, onChanged }) {
  const it = f.item;
  const [act, setAct] = useState(null);
  const acts = Object.keys(ACTS).filter(k => it.may[k]);
  const base = `/rectifications/${it.id}`;
  return html`<article class=${'card rectify-card tone-' + (TONE[it.state] || 'muted')} aria-label=${'整改事项 ' + it.id}>
    <header class="warning-head">
      <strong>${n}. ${it.unit_name}</strong>
      <${Badge} tone=${TONE[it.state] || 'muted'}>${it.state_label}<//>
      ${it.overdue && html`<${Badge} tone="bad">已逾期<//>`}
      <span class="muted">整改事项 ${it.id}</span>
    </header>
    <p>${f.text}</p>
    <p class="muted">责任人 ${it.person}，整改期限 ${fmtDate(it.deadline)}</p>
    ${it.evidence && html`<p>整改情况：${it.evidence}${it.submitted_on ? `（${fmtDate(it.submitted_on)} 提交）` : ''}</p>`}
    ${it.comment && html`<p>${it.state === 'returned' ? '退回的理由' : '验收意见'}：${it.comment}</p>`}
    <${PhotoStrip} photos=${{ data: { items: it.photos || [] }, reload: () => onChanged(null) }} base=${base} canAdd=${it.may.attach} label="添加整改照片" />
    ${it.history && it.history.length > 0 && html`<details><summary>经过（${it.history.length}）</summary><ul class="plain-list">
      ${it.history.map((h, i) => html`<li key=${i}>${fmtDate(h.date)} ${h.text}（${h.by}）</li>`)}</ul></details>`}
    ${acts.length > 0 && !act && html`<div class="page-actions">
      ${acts.map(k => html`<button type="button" class=${'btn' + (k === 'submit' || k === 'accept' ? ' btn-primary' : '')} key=${k} onClick=${() => setAct(k)}>${ACTS[k].label}</button>`)}</div>`}
    ${act && html`<${ActForm} id=${it.id} act=${act} onCancel=${() => setAct(null)} onDone=${r => { setAct(null); onChanged(r.message); }} />`}
  </article>`;
}

function ActForm({ id, act, onDone, onCancel }) {
  const [f, setF] = useState({ text: '', on: '' });
  const set = k => e => setF(x => ({ ...x, [k]: e.target.value }));
  const a = ACTS[act];
  const [state, submit] = useSubmit(
    () => api.post(`/rectifications/${id}/${act}`, { text: f.text || null, on: f.on || null }), onDone);
  return html`<form class="form" onSubmit=${submit} aria-label=${a.label}>
    <div class="field"><label class="field-label" for=${'r-text-' + id}>${a.field}${a.required ? html`<span class="req" aria-hidden="true"> *</span>` : ''}</label>
      <textarea id=${'r-text-' + id} rows="3" required=${a.required} value=${f.text} onInput=${set('text')} placeholder=${a.hint}></textarea></div>
    <div class="field"><label class="field-label" for=${'r-on-' + id}>日期（不填为今天）</label>
      <input id=${'r-on-' + id} type="date" value=${f.on} onInput=${set('on')} /></div>
    <${SubmitRow} state=${state} label=${a.button} onCancel=${onCancel} />
  </form>`;
}
