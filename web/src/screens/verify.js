// 核查: the verification tasks of the user's area (a township account: its township), newest
// deadline first on the server, a page at a time (GET /api/v1/verify), the tasks of priority-group
// children (重点群体) first, each saying so. Overdue tasks are red.
// Built for a phone: each task is a card with the child, the village and the deadline.
import { html } from '../html.js';
import { setQuery } from '../router.js';
import { useApi, useTitle } from '../hooks.js';
import { can, currentUser } from '../session.js';
import { fmtAge, fmtDate, fmtNumber } from '../format.js';
import { FilterBar } from '../components/filters.js';
import { DataTable, Pager } from '../components/table.js';
import { Badge, ErrorBanner, PageHeader, WordBadge } from '../components/feedback.js';
import { options } from '../vocab.js';
import { VisitSheet } from '../components/visitsheet.js';
import { PriorityTag } from '../components/casework.js';

const PER_PAGE = 20;
/** The filter: each state of a task (the vocabulary), the ones whose outcome the next
 * cross-check contradicted, or every task. */
const taskStates = () => [
  ...options('task_states', w => w.key !== 'closed'),
  { value: 'flagged', label: '结论待复核' },
  ...options('task_states', w => w.key === 'closed'),
  { value: 'all', label: '全部（含已办结）' },
];

function StateBadge({ state, overdue }) {
  return html`<span class="badges"><${WordBadge} vocab="task_states" value=${state} />${overdue && html`<${Badge} tone="bad">逾期<//>`}</span>`;
}

export default function Verify({ query }) {
  useTitle('核查');
  const page = Number(query.page) || 1;
  const list = useApi('/verify', { township: query.township, state: query.state, group: query.group, page, per_page: PER_PAGE });
  const summary = useApi(can('summary') && !currentUser().township ? '/summary' : null);
  const townships = summary.data ? summary.data.townships.map(t => ({ value: t.township_code, label: t.township })) : [];
  const fields = [
    ...(townships.length > 1 ? [{ name: 'township', label: '乡镇', type: 'select', options: townships }] : []),
    ...(can('groups_read') || can('summary') ? [{ name: 'group', label: '重点群体', type: 'select', options: options('priority_groups') }] : []),
    { name: 'state', label: '状态', type: 'select', any: '待办', options: taskStates() },
  ];
  const columns = [
    { key: 'name', label: '儿童', primary: true, render: r => html`<${PriorityTag} groups=${r.groups} /><a href=${'#/verify/' + r.task_id}>${r.name || '（无姓名）'}</a>${' '}<span class="muted small">${r.gender} · ${r.birth_date ? fmtDate(r.birth_date) : fmtAge(r.age)}</span>` },
    { key: 'suspected', label: '疑似情况', render: r => html`<${Badge} tone="bad">${r.suspected}<//>` },
    { key: 'village', label: '户籍地', render: r => `${r.township} ${r.village}` },
    { key: 'deadline', label: '核查截止', render: r => html`<span class=${r.overdue ? 'late' : ''}>${fmtDate(r.deadline)}</span>` },
    { key: 'state', label: '状态', render: r => html`<${StateBadge} state=${r.state_key} overdue=${r.overdue} />
        ${r.flag && html`<span class="late small">${r.flag}</span>`}
        ${r.case_id && html`<a class="small" href=${'#/cases/' + r.case_id}>已立案：案件 ${r.case_id}</a>`}` },
    { key: 'outcome', label: '结论', render: r => r.outcome || html`<span class="muted">未记录</span>` },
    { key: 'assignees', label: '责任人', wide: true },
  ];
  const d = list.data;
  return html`<div class="page">
    <${PageHeader} title="核查" subtitle=${d ? `疑似失学辍学儿童的入户核查（铁脚板摸排），共 ${fmtNumber(d.total)} 项${d.priority ? `，重点群体儿童的 ${fmtNumber(d.priority)} 项在前` : ''}` : '疑似失学辍学儿童的入户核查'}>
      ${can('casework') && html`<a class="btn" href="#/tasks?scope=me">我的待办</a>`}
      <${VisitSheet} township=${query.township} />
    <//>
    <${FilterBar} fields=${fields} values=${query} onChange=${setQuery} />
    <${ErrorBanner} error=${list.error} onRetry=${list.reload} />
    <${DataTable} columns=${columns} rows=${d && d.tasks} rowKey=${r => r.task_id} loading=${list.loading} caption="核查任务"
      empty=${html`<div class="empty"><p class="empty-title">没有符合条件的核查任务</p><p class="empty-text">待办的核查任务都已办结。可在“状态”中选择“全部”查看已办结的任务。</p></div>`} />
    ${d && html`<${Pager} total=${d.total} page=${page} perPage=${PER_PAGE} onPage=${p => setQuery({ page: p })} />`}
  </div>`;
}
