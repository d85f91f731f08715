// 约谈 (issue 17): one interview — GET /api/v1/interviews/{id} — who, by whom, why, the
// commitments (逾期未落实 in red) and the follow-ups; the county adds a commitment
// (POST /interviews/{id}/commitments) and a follow-up that finds one kept or not
// (POST /interviews/{id}/followups); the unit interviewed reads.
import { html } from '../html.js';
import { api } from '../api.js';
import { useApi, useTitle } from '../hooks.js';
import { fmtDate } from '../format.js';
import { Badge, ErrorBanner, Loading, PageHeader } from '../components/feedback.js';
import { SubmitRow, useSubmit } from '../components/casework.js';
import { Field, STATE_TONE, useForm } from '../components/meeting.js';

export default function Interview({ params }) {
  useTitle('约谈');
  const it = useApi('/interviews/' + params.id);
  const d = it.data;
  return html`<div class="page">
    <${PageHeader} title=${d ? `约谈：${d.unit_name} ${d.person}` : '约谈'} subtitle=${d ? `${fmtDate(d.date)} · ${d.post}` : ''} />
    <p><a href="#/interviews">← 全部约谈</a></p>
    <${ErrorBanner} error=${it.error} onRetry=${it.reload} />
    ${it.loading && !d && html`<${Loading} />`}
    ${d && html`<div class="card">
        <p>约谈人：${d.by}</p><p>事由：${d.reason}</p>
        ${d.month && html`<p class="muted">排名月份：${d.month}</p>`}
        ${d.finding && html`<p class="muted">督导发现问题：${d.finding}</p>`}
      </div>
      <h2>承诺</h2>
      ${d.commitments.length === 0 && html`<p class="muted">还没有登记承诺。</p>`}
      <ul class="plain-list">${d.commitments.map(c => html`<li key=${c.id} class=${c.state === 'overdue' ? 'late' : ''}>
        <${Badge} tone=${STATE_TONE[c.state]}>${c.state_label}<//> 承诺 ${c.id}：${c.content}（${fmtDate(c.deadline)} 前${c.kept_on ? `，${fmtDate(c.kept_on)} 落实` : ''}）</li>`)}</ul>
      <h2>回访</h2>
      ${d.followups.length === 0 && html`<p class="muted">还没有回访记录。</p>`}
      <ul class="plain-list">${d.followups.map((f, i) => html`<li key=${i}>${fmtDate(f.date)} ${f.by}：${f.found}${f.commitment ? `（承诺 ${f.commitment} ${f.kept}）` : ''}</li>`)}</ul>
      ${d.may_write && html`<details class="card"><summary>登记承诺</summary><${AddCommitment} id=${d.id} onDone=${it.reload} /></details>
        <details class="card"><summary>记录回访</summary><${AddFollowup} id=${d.id} commitments=${d.commitments} onDone=${it.reload} /></details>`}`}
  </div>`;
}

function AddCommitment({ id, onDone }) {
  const [f, set, setF] = useForm({ content: '', deadline: '' });
  const [state, submit] = useSubmit(() => api.post(`/interviews/${id}/commitments`, f),
    () => { setF({ content: '', deadline: '' }); onDone(); });
  return html`<form class="form" onSubmit=${submit} aria-label="登记承诺">
    <${Field} id="k-content" label="承诺事项" rows="2" required value=${f.content} onInput=${set('content')} />
    <${Field} id="k-deadline" label="完成期限" type="date" required value=${f.deadline} onInput=${set('deadline')} />
    <${SubmitRow} state=${state} label="登记承诺" />
  </form>`;
}

function AddFollowup({ id, commitments, onDone }) {
  const [f, set, setF] = useForm({ by: '', found: '', date: '', commitment: '', kept: '' });
  const [state, submit] = useSubmit(() => api.post(`/interviews/${id}/followups`, {
    by: f.by, found: f.found, date: f.date || null, commitment: f.commitment || null, kept: f.commitment ? f.kept || null : null,
  }), () => { setF({ by: '', found: '', date: '', commitment: '', kept: '' }); onDone(); });
  return html`<form class="form" onSubmit=${submit} aria-label="记录回访">
    <${Field} id="f-by" label="回访人" required value=${f.by} onInput=${set('by')} />
    <${Field} id="f-found" label="回访情况" rows="3" required value=${f.found} onInput=${set('found')} />
    <div class="field"><label class="field-label" for="f-commitment">回访的承诺</label>
      <select id="f-commitment" value=${f.commitment} onChange=${set('commitment')}>
        <option value="">（不针对某项承诺）</option>
        ${commitments.filter(c => c.state !== 'kept').map(c => html`<option key=${c.id} value=${String(c.id)}>承诺 ${c.id}：${c.content}</option>`)}</select></div>
    ${f.commitment && html`<div class="field"><label class="field-label" for="f-kept">是否落实</label>
      <select id="f-kept" required value=${f.kept} onChange=${set('kept')}><option value="">请选择</option><option value="是">已落实</option><option value="否">未落实</option></select></div>`}
    <${Field} id="f-date" label="回访日期（不填为今天）" type="date" value=${f.date} onInput=${set('date')} />
    <${SubmitRow} state=${state} label="记录回访" />
  </form>`;
}
