// 月报 (issue 17): the monthly report's confirmation — GET /api/v1/monthly?month=. Month M's
// 控辍保学工作月报 is as of its 15th; each township confirms its row by the 15th of the month after
// (the setting monthly_confirm_day), naming the person who confirms, and its figures freeze.
// The county sees every township (overdue ones first and marked), withdraws a confirmation with
// a reason, issues the county's report once all confirmed and downloads it (xlsx, PDF) as
// issued; a township sees and confirms its own row; a supervisor reads.
import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { api, downloadUrl } from '../api.js';
import { useApi, useTitle } from '../hooks.js';
import { fmtDate, fmtDateTime, fmtNumber } from '../format.js';
import { setQuery } from '../router.js';
import { useUser } from '../session.js';
import { Badge, ErrorBanner, Loading, PageHeader } from '../components/feedback.js';
import { SubmitRow, useSubmit } from '../components/casework.js';

const STATE = { confirmed: ['ok', '已确认'], pending: ['warn', '未确认'], overdue: ['bad', '逾期未确认'] };
const ORDER = { overdue: 0, pending: 1, confirmed: 2 };
const FIGURES = [
  ['school_age', '适龄儿童'], ['enrolled', '在校（含外出就读）'], ['new_suspected', '新增疑似'],
  ['verified', '核查办结'], ['pending', '待核查'], ['new_cases', '新增失学辍学'], ['reopened', '重新打开'],
  ['returned', '劝返复学'], ['closed', '销号'], ['still_out', '仍失学辍学'],
];
const monthLabel = m => (m ? `${m.slice(0, 4)} 年 ${Number(m.slice(5))} 月` : '');

function Figures({ f }) {
  const rate = f.school_age ? (100 * f.enrolled / f.school_age).toFixed(2) + '%' : '—';
  return html`<dl class="facts">
    ${FIGURES.map(([k, l]) => html`<dt key=${k}>${l}</dt><dd>${f[k] === null || f[k] === undefined ? '—' : fmtNumber(f[k])}</dd>`)}
    <dt>入学率</dt><dd>${rate}</dd>
  </dl>`;
}

function ConfirmForm({ month, onDone }) {
  const [f, setF] = useState({ person: '', note: '' });
  const set = k => e => setF(x => ({ ...x, [k]: e.target.value }));
  const [state, submit] = useSubmit(
    () => api.post('/monthly/confirm', { month, person: f.person, note: f.note || null }), r => onDone(r.message));
  return html`<form class="form" onSubmit=${submit} aria-label="确认本乡镇月报">
    <div class="field"><label class="field-label" for="m-person">确认人<span class="req" aria-hidden="true"> *</span></label>
      <input id="m-person" required value=${f.person} onInput=${set('person')} placeholder="负责核对本乡镇数字的人，如 张镇长" autocomplete="off" /></div>
    <div class="field"><label class="field-label" for="m-note">说明</label>
      <textarea id="m-note" rows="2" value=${f.note} onInput=${set('note')}></textarea></div>
    <p class="muted">确认后本乡镇本月的数字冻结，此后的比对和办理不再改变；如需更正须由县教育局撤回。</p>
    <${SubmitRow} state=${state} label="确认本月月报" />
  </form>`;
}

function WithdrawForm({ month, t, onDone, onCancel }) {
  const [reason, setReason] = useState('');
  const [state, submit] = useSubmit(
    () => api.post('/monthly/withdraw', { month, township: t.code, reason }), r => onDone(r.message));
  return html`<form class="form" onSubmit=${submit} aria-label=${'撤回' + t.name + '的确认'}>
    <div class="field"><label class="field-label" for=${'m-reason-' + t.code}>撤回理由<span class="req" aria-hidden="true"> *</span></label>
      <textarea id=${'m-reason-' + t.code} rows="2" required value=${reason} onInput=${e => setReason(e.target.value)} placeholder="如：待核查人数有误，请更正后重新确认"></textarea></div>
    <${SubmitRow} state=${state} label="确认撤回" onCancel=${onCancel} />
  </form>`;
}

function TownshipCard({ t, d, county, own, onChanged }) {
  const [withdraw, setWithdraw] = useState(false);
  const [tone, label] = STATE[t.state] || ['muted', t.state];
  return html`<article class=${'card warning-card monthly-card' + (t.state === 'overdue' ? ' is-overdue' : '')} aria-label=${t.name + '月报'}>
    <header class="warning-head"><strong>${t.name}</strong><${Badge} tone=${tone}>${label}<//></header>
    ${t.state === 'confirmed'
      ? html`<p class="muted">确认人 ${t.person}（账号 ${t.account}），${fmtDateTime(t.confirmed_at)}${t.note ? '；' + t.note : ''} · 数字已冻结</p>`
      : html`<p class="muted">确认期限 ${fmtDate(d.deadline)}${t.state === 'overdue' ? '，已逾期' : ''} · 当前数字</p>`}
    <${Figures} f=${t.figures || {}} />
    ${own && t.state !== 'confirmed' && d.open && !d.issued && html`<${ConfirmForm} month=${d.month} onDone=${onChanged} />`}
    ${own && !d.open && html`<p class="muted">本月报表日期 ${fmtDate(d.report_date)} 之后才能确认。</p>`}
    ${county && t.state === 'confirmed' && !d.issued && !withdraw && html`<div class="page-actions">
      <button type="button" class="btn" onClick=${() => setWithdraw(true)}>撤回确认</button></div>`}
    ${withdraw && html`<${WithdrawForm} month=${d.month} t=${t} onCancel=${() => setWithdraw(false)} onDone=${m => { setWithdraw(false); onChanged(m); }} />`}
  </article>`;
}

function IssueBox({ d, onDone }) {
  const [note, setNote] = useState('');
  const [state, submit] = useSubmit(() => api.post('/monthly/issue', { month: d.month, note: note || null }), r => onDone(r.message));
  return html`<form class="form card" onSubmit=${submit} aria-label="审定上报全县月报">
    <p>各乡镇均已确认。审定上报后，全县月报的表格和 XLSX、PDF 文件从此不变。</p>
    <div class="field"><label class="field-label" for="m-issue-note">说明</label>
      <input id="m-issue-note" value=${note} onInput=${e => setNote(e.target.value)} autocomplete="off" /></div>
    <${SubmitRow} state=${state} label="审定上报全县月报" />
  </form>`;
}

export default function Monthly({ query }) {
  useTitle('月报');
  const user = useUser();
  const county = user.role === 'county' || user.role === 'admin';
  const township = user.role === 'township';
  const list = useApi('/monthly', { month: query.month || undefined });
  const [done, setDone] = useState(null);
  const changed = m => { setDone(m); list.reload(); };
  const d = list.data;
  const subtitle = d ? `${monthLabel(d.month)} · 截至 ${fmtDate(d.report_date)} · 确认期限 ${fmtDate(d.deadline)}` : '控辍保学工作月报';
  const rows = d ? [...d.townships].sort((a, b) => ORDER[a.state] - ORDER[b.state]) : [];
  return html`<div class=${'page' + (list.loading && d ? ' is-stale' : '')}>
    <${PageHeader} title="月报" subtitle=${subtitle}>
      <label class="field" for="m-month"><span class="field-label">月份</span>
        <input id="m-month" type="month" value=${query.month || (d && d.month) || ''} onChange=${e => setQuery({ month: e.target.value })} /></label>
    <//>
    <p class="muted">每月 15 日为月报的报表日期。各乡镇在次月 ${d ? d.confirm_day : 15} 日前确认本乡镇的数字（写明确认人），确认后数字冻结；全部乡镇确认后由县教育局审定上报。</p>
    ${done && html`<p class="notice" role="status">${done}</p>`}
    <${ErrorBanner} error=${list.error} onRetry=${list.reload} />
    ${!d && !list.error && html`<${Loading} />`}
    ${d && !township && html`<section class="card" aria-label="确认情况">
      <p><strong>已确认 ${d.confirmed}/${d.total}</strong>${d.overdue_townships ? html`，<span class="tone-bad">逾期未确认 ${d.overdue_townships} 个</span>` : ''}</p>
      ${d.issued
        ? html`<p>全县月报已由 ${d.issued.account} 于 ${fmtDateTime(d.issued.issued_at)} 审定上报${d.issued.note ? '（' + d.issued.note + '）' : ''}，表格和文件不再改变。</p>
          <div class="page-actions">
            <a class="btn" download href=${downloadUrl('/monthly/report', { month: d.month, format: 'xlsx' })}>下载 Excel</a>
            <a class="btn" download href=${downloadUrl('/monthly/report', { month: d.month, format: 'pdf' })}>下载 PDF</a></div>`
        : html`<p class="muted">全县月报尚未审定上报。</p>`}
    </section>`}
    ${d && county && d.can_issue && html`<${IssueBox} d=${d} onDone=${changed} />`}
    ${d && d.issued && township && html`<p class="muted">全县月报已于 ${fmtDateTime(d.issued.issued_at)} 审定上报。</p>`}
    ${d && html`<div class="warning-list">
      ${rows.map(t => html`<${TownshipCard} key=${t.code} t=${t} d=${d} county=${county} own=${township} onChanged=${changed} />`)}</div>`}
  </div>`;
}
