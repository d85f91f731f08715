// 应助尽助 (issue 15): the report aid-gaps (GET /api/v1/reports/aid-gaps, the catalog's row) on
// a screen — the priority-group pupils in school without aid this school year, by school, and
// the payments to children not in school, outside the county or found nowhere. The server
// narrows it to the account (a township its township, a school its own pupils) and masks IDs.
import { html } from '../html.js';
import { useApi, useTitle } from '../hooks.js';
import { fmtNumber } from '../format.js';
import { downloadUrl } from '../api.js';
import { can } from '../session.js';
import { DataTable } from '../components/table.js';
import { ErrorBanner, PageHeader } from '../components/feedback.js';

export default function Aid() {
  useTitle('应助尽助');
  const rep = useApi('/reports/aid-gaps', { format: 'json' });
  const rows = rep.data && rep.data.findings;
  const gaps = rows && rows.filter(r => r.kind === 'no_aid');
  const wrong = rows && rows.filter(r => r.kind !== 'no_aid');
  // the child record for who reads it (a department that pays the aid reads the findings only)
  const child = r => r.record_id && can('child_file') ? html`<a href=${'#/children/' + r.record_id}>${r.name || '（无姓名）'}</a>` : (r.name || '（无姓名）');
  const gapCols = [
    { key: 'school', label: '学校', render: r => r.school || '—' },
    { key: 'name', label: '学生', primary: true, render: child },
    { key: 'id_number', label: '身份证号', render: r => html`<span class="mono">${r.id_number || '—'}</span>` },
    { key: 'groups', label: '重点群体', render: r => (r.groups || []).join('、') },
    { key: 'township', label: '乡镇' },
  ];
  const wrongCols = [
    { key: 'name', label: '领取人', primary: true, render: child },
    { key: 'kind_label', label: '问题', render: r => r.kind_label.replace(/^不应发放：/, '') },
    { key: 'school', label: '发放学校' },
    { key: 'aid_item', label: '资助项目' },
    { key: 'amount', label: '金额（元）', align: 'right' },
    { key: 'paid_date', label: '发放日期' },
    { key: 'id_number', label: '身份证号', render: r => html`<span class="mono">${r.id_number || '—'}</span>` },
  ];
  const sy = rep.data ? rep.data.school_year : '';
  return html`<div class="page">
    <${PageHeader} title="应助尽助" subtitle=${rep.data ? `${sy} 学年：应助未助 ${fmtNumber(gaps.length)} 人，不应发放 ${fmtNumber(wrong.length)} 笔` : '重点群体学生资助核查'} />
    <p class="muted">重点群体（不含仅属留守儿童）在本县学校就读、本学年没有资助发放记录的，是“应助未助”；发给未在校、不在本县就读或查无此人的儿童的，是“不应发放”。两者都是审计发现的问题。身份证号已遮盖。</p>
    <div class="page-actions"><a class="btn" download href=${downloadUrl('/reports/aid-gaps', { format: 'xlsx' })}>导出Excel</a></div>
    <${ErrorBanner} error=${rep.error} onRetry=${rep.reload} />
    <section aria-label="应助未助">
      <h2>应助未助（按学校）</h2>
      <${DataTable} columns=${gapCols} rows=${gaps} rowKey=${r => 'g' + r.seq} loading=${rep.loading} caption="应助未助"
        empty=${html`<div class="empty"><p class="empty-title">没有应助未助的学生</p></div>`} />
    </section>
    <section aria-label="不应发放">
      <h2>不应发放</h2>
      <${DataTable} columns=${wrongCols} rows=${wrong} rowKey=${r => 'w' + r.seq} loading=${rep.loading} caption="不应发放"
        empty=${html`<div class="empty"><p class="empty-title">没有发给不在校儿童的资助</p></div>`} />
    </section>
  </div>`;
}
