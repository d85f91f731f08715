// 预警处置 (issue 16): the warnings of the attendance rules, the most urgent first —
// GET /api/v1/warnings. A school (the head, the class teachers) sees its pupils' warnings and
// answers them: 联系家长, 解除, 上报乡镇; one left unanswered goes to the head, then to the
// township by itself (the deadlines are the county's settings). A township sees the warnings
// passed to it by default, and answers them; the county and supervisors see every school.
import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { useApi, useTitle } from '../hooks.js';
import { fmtDate, fmtNumber } from '../format.js';
import { downloadUrl } from '../api.js';
import { setQuery } from '../router.js';
import { useUser } from '../session.js';
import { ErrorBanner, PageHeader, EmptyState, Loading } from '../components/feedback.js';
import { WarningCard } from '../components/warnings.js';

const STATES = [['open', '未解除'], ['new', '新预警'], ['contacted', '已联系家长'], ['escalated', '已上报或逾期'], ['resolved', '已解除'], ['all', '全部']];

// What the account may do to a row of the list (the server checks again).
function mayOf(user, w) {
  if (w.state_key === 'resolved' || user.role === 'supervisor') return [];
  if (user.role === 'township') return /^乡镇/.test(w.handled_by) ? ['contact', 'resolve'] : [];
  const passed = w.state_key === 'escalated' && /^乡镇/.test(w.handled_by) && !/逾期/.test(w.handled_by);
  return passed ? ['contact', 'resolve'] : ['contact', 'resolve', 'escalate'];
}

export default function Warnings({ query }) {
  useTitle('预警处置');
  const user = useUser();
  const township = query.township || '';
  const state = query.state || (user.role === 'township' ? 'escalated' : 'open');
  const kind = query.kind || '';
  const list = useApi('/warnings', { state, township, kind });
  const filters = useApi(user.township || user.role === 'school' ? null : '/children/filters');
  const towns = filters.data ? filters.data.townships : [];
  const d = list.data;
  // from 待办: the one warning it names
  const rows = d ? (query.id ? d.warnings.filter(w => String(w.id) === query.id) : d.warnings) : null;
  // what was just done: the card may leave the list (a resolved one under 未解除)
  const [done, setDone] = useState(null);
  const changed = m => { setDone(m); list.reload(); };
  const subtitle = d ? `${fmtNumber(d.total)} 条（截至 ${fmtDate(d.as_of)}）` : '考勤预警';
  return html`<div class=${'page' + (list.loading && d ? ' is-stale' : '')}>
    <${PageHeader} title=${user.role === 'township' ? '预警处置 · 上报乡镇的' : '预警处置'} subtitle=${subtitle}>
      <label class="field inline-field" for="w-state"><span class="field-label">状态</span>
        <select id="w-state" value=${state} onChange=${e => setQuery({ state: e.target.value })}>
          ${STATES.map(([k, l]) => html`<option value=${k}>${l}</option>`)}
        </select></label>
      <label class="field inline-field" for="w-kind"><span class="field-label">类型</span>
        <select id="w-kind" value=${kind} onChange=${e => setQuery({ kind: e.target.value })}>
          <option value="">全部</option><option value="absent">连续旷课</option>
          <option value="monthly">当月累计旷课</option><option value="sick">长期病假</option>
        </select></label>
      ${towns.length > 1 && html`<label class="field inline-field" for="w-township"><span class="field-label">乡镇</span>
        <select id="w-township" value=${township} onChange=${e => setQuery({ township: e.target.value })}>
          <option value="">全县</option>
          ${towns.map(t => html`<option value=${t.code}>${t.name}</option>`)}
        </select></label>`}
    <//>
    <p class="muted">连续旷课 3 个上课日发出预警，班主任当天联系家长；7 个上课日报乡镇核查；20 个上课日学校须将学籍标为辍学。病假、事假不计旷课。未按期处理的预警先转校长，再报乡镇。</p>
    <div class="page-actions"><a class="btn" download href=${downloadUrl('/reports/warnings', { format: 'xlsx', township: township || undefined })}>导出Excel</a></div>
    ${done && html`<p class="notice" role="status">${done}</p>`}
    <${ErrorBanner} error=${list.error} onRetry=${list.reload} />
    ${!d && !list.error && html`<${Loading} />`}
    ${rows && rows.length === 0 && html`<${EmptyState} title="没有这样的考勤预警">学校记录的旷课达到预警条件时，这里会出现预警。<//>`}
    ${rows && rows.length > 0 && html`<div class="warning-list">
      ${rows.map(w => html`<${WarningCard} key=${w.id} w=${{ ...w, kind_label: w.kind, state_label: w.state }} may=${mayOf(user, w)} onChanged=${changed} />`)}</div>`}
  </div>`;
}
