// 待办: what is due and overdue (GET /api/v1/tasks), a page at a time: for me (the person of
// the registry the account is linked to by the admin), for a township, for the county (a county
// account); only the overdue ones with one tick. A worklist: one row per item with everyone
// assigned to it, in the server's order — the most overdue first, then the soonest due —, the
// overdue in red. Each row links to its task or case. The items of priority-group children (重点群体)
// come first and say so; "只按截止日期" asks for the due-date order alone.
import { html } from '../html.js';
import { setQuery } from '../router.js';
import { useApi, useTitle } from '../hooks.js';
import { can, currentUser, useUser } from '../session.js';
import { fmtDate, fmtNumber } from '../format.js';
import { FilterBar } from '../components/filters.js';
import { DataTable, Pager } from '../components/table.js';
import { Badge, ErrorBanner, PageHeader } from '../components/feedback.js';
import { objectLink, PriorityTag } from '../components/casework.js';
import { MentalDue } from './mental.js';

const PER_PAGE = 50;

export default function Tasks({ query }) {
  useTitle('待办');
  const user = useUser();
  const page = Number(query.page) || 1;
  const me = user && user.person ? String(user.person.id) : '';
  const scope = can('casework') ? query.scope || (me ? 'me' : 'area') : 'area';
  const person = scope === 'me' ? me : query.person;
  const list = useApi(scope === 'me' && !me ? null : '/tasks', {
    township: query.township, person, overdue: query.overdue, order: query.by_due ? 'due' : undefined,
    page, per_page: PER_PAGE,
  });
  // a department's and a school's 待办 hold their decisions and commitments alone (issue 17)
  const own = !can('casework');
  const people = useApi(own ? null : '/people');
  const summary = useApi(can('summary') && !currentUser().township ? '/summary' : null);
  const townships = summary.data ? summary.data.townships.map(t => ({ value: t.township_code, label: t.township })) : [];
  const peopleOpts = ((people.data && people.data.people) || []).map(p => ({ value: String(p.id), label: `${p.name}（${p.township || p.org}）` }));
  const area = user && user.township ? '本乡镇' : '全县';
  const fields = [
    ...(scope !== 'me' && townships.length > 1 ? [{ name: 'township', label: '乡镇', type: 'select', options: townships }] : []),
    ...(scope !== 'me' && !own ? [{ name: 'person', label: '责任人', type: 'select', options: peopleOpts }] : []),
    { name: 'overdue', label: '只看逾期', type: 'checkbox' },
    { name: 'by_due', label: '只按截止日期排序', type: 'checkbox' },
  ];
  const columns = [
    { key: 'item', label: '事项', primary: true, render: r => {
      const href = objectLink(r.object, r.object_id);
      return html`<${PriorityTag} groups=${r.groups} />${href ? html`<a href=${href}>${r.item}</a>` : r.item}`;
    } },
    { key: 'due', label: '截止日期', render: r => html`<span class=${r.days < 0 ? 'late' : ''}>${fmtDate(r.due)}</span>` },
    { key: 'status', label: '状态', render: r => html`<${Badge} tone=${r.days < 0 ? 'bad' : r.days <= 3 ? 'warn' : 'muted'}>${r.days > 0 ? `还剩 ${r.days} 天` : r.status}<//>` },
    { key: 'child', label: '儿童', render: r => html`${r.child} <span class="muted small">${r.ref}</span>` },
    { key: 'person', label: '责任人', render: r => r.person === '（未指派）' ? html`<span class="late">未指派</span>` : r.person },
    { key: 'township', label: '乡镇' },
  ];
  const d = list.data;
  return html`<div class="page">
    <${PageHeader} title="待办" subtitle=${d ? `截至 ${fmtDate(d.today)}，共 ${fmtNumber(d.total)} 项，${d.priority && !query.by_due ? `重点群体儿童的 ${fmtNumber(d.priority)} 项在前，再按` : '按'}截止日期，最紧急的在前` : '到期和逾期的核查、走访、依法控辍和回访'} />
    ${can('mental_health') && html`<${MentalDue} />`}
    ${!own && html`<div class="segmented" role="group" aria-label="范围">
      <button type="button" class=${'btn' + (scope === 'me' ? ' btn-primary' : '')} aria-pressed=${scope === 'me'} onClick=${() => setQuery({ scope: 'me', person: '', township: '' })}>我的</button>
      <button type="button" class=${'btn' + (scope !== 'me' ? ' btn-primary' : '')} aria-pressed=${scope !== 'me'} onClick=${() => setQuery({ scope: 'area' })}>${area}</button>
    </div>`}
    ${!own && scope === 'me' && html`<div class="card me-card">
      ${me ? html`<p class="hint">指派给 ${user.person.name}（${user.person.org}）的事项。</p>`
        : html`<p class="hint">本账号还没有关联人员名册中的本人，请系统管理员在“账号和角色”中关联；关联后这里列出指派给您的事项。</p>`}
    </div>`}
    <${FilterBar} fields=${fields} values=${query} onChange=${setQuery} />
    <${ErrorBanner} error=${list.error} onRetry=${list.reload} />
    ${list.data || list.loading ? html`<${DataTable} columns=${columns} rows=${d && d.tasks} rowKey=${r => r.object + r.object_id + r.item} rowClass=${r => (r.days < 0 ? 'overdue' : null)} loading=${list.loading} caption="待办事项"
      empty=${html`<div class="empty"><p class="empty-title">${query.overdue ? '没有逾期事项' : '没有待办事项'}</p></div>`} />` : null}
    ${d && html`<${Pager} total=${d.total} page=${page} perPage=${PER_PAGE} onPage=${p => setQuery({ page: p })} />`}
  </div>`;
}
