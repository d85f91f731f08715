// 个案: the cases (一人一案) of the user's area, a page at a time (GET /api/v1/cases): state,
// reason, attempts, the legal ladder's step, who is responsible, and the child's priority groups
// (重点群体) as the task had them.
import { html } from '../html.js';
import { setQuery } from '../router.js';
import { useApi, useTitle } from '../hooks.js';
import { can, currentUser } from '../session.js';
import { fmtDate, fmtNumber } from '../format.js';
import { FilterBar } from '../components/filters.js';
import { DataTable, Pager } from '../components/table.js';
import { Badge, ErrorBanner, PageHeader, WordBadge } from '../components/feedback.js';
import { options } from '../vocab.js';
import { PriorityTag } from '../components/casework.js';

const PER_PAGE = 20;
/** The filter: each state of a case (the vocabulary), or every case. */
const states = () => [...options('case_states'), { value: 'all', label: '全部（含已销号）' }];

export default function Cases({ query }) {
  useTitle('个案');
  const page = Number(query.page) || 1;
  const list = useApi('/cases', { township: query.township, state: query.state, group: query.group, page, per_page: PER_PAGE });
  const summary = useApi(can('summary') && !currentUser().township ? '/summary' : null);
  const townships = summary.data ? summary.data.townships.map(t => ({ value: t.township_code, label: t.township })) : [];
  const fields = [
    ...(townships.length > 1 ? [{ name: 'township', label: '乡镇', type: 'select', options: townships }] : []),
    ...(can('groups_read') || can('summary') ? [{ name: 'group', label: '重点群体', type: 'select', options: options('priority_groups') }] : []),
    { name: 'state', label: '状态', type: 'select', any: '未销号', options: states() },
  ];
  const columns = [
    { key: 'name', label: '儿童', primary: true, render: r => html`<${PriorityTag} groups=${r.groups} /><a href=${'#/cases/' + r.case_id}>${r.name || '（无姓名）'}</a>${' '}<span class="muted small">案件 ${r.case_id}</span>` },
    { key: 'state', label: '状态', render: r => html`<span class="badges"><${WordBadge} vocab="case_states" value=${r.state_key} />${r.reopened > 0 && html`<${Badge} tone="warn">曾重新打开<//>`}</span>` },
    { key: 'village', label: '户籍地', render: r => `${r.township} ${r.village}` },
    { key: 'opened_on', label: '立案日期', render: r => fmtDate(r.opened_on) },
    { key: 'reason', label: '主要原因' },
    { key: 'attempts', label: '劝返次数', align: 'right', render: r => r.attempts > 0 ? r.attempts : html`<span class="late">0</span>` },
    { key: 'ladder', label: '依法控辍', render: r => r.ladder || html`<span class="muted">未启动</span>` },
    { key: 'outcome', label: '劝返结果', render: r => r.outcome || '—' },
    { key: 'assignees', label: '责任人', wide: true },
  ];
  const d = list.data;
  return html`<div class="page">
    <${PageHeader} title="个案" subtitle=${d ? `确认失学辍学儿童，一人一案，共 ${fmtNumber(d.total)} 件` : '确认失学辍学儿童，一人一案'}>
      ${can('casework') && html`<a class="btn" href="#/tasks?overdue=1">逾期事项</a>`}
    <//>
    <${FilterBar} fields=${fields} values=${query} onChange=${setQuery} />
    <${ErrorBanner} error=${list.error} onRetry=${list.reload} />
    <${DataTable} columns=${columns} rows=${d && d.cases} rowKey=${r => r.case_id} loading=${list.loading} caption="个案"
      empty=${html`<div class="empty"><p class="empty-title">没有符合条件的案件</p><p class="empty-text">核查确认失学辍学后会自动立案。</p></div>`} />
    ${d && html`<${Pager} total=${d.total} page=${page} perPage=${PER_PAGE} onPage=${p => setQuery({ page: p })} />`}
  </div>`;
}
