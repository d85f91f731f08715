// 留守儿童 (issue 15): the left-behind pupils of the account's school (a school account; the
// county and a township see theirs) with this month's care contact state — the report
// left-behind-care (GET /api/v1/reports/left-behind-care) — those without a contact first
// flagged; a name opens the child record, where the contact is logged (components/care.js).
import { html } from '../html.js';
import { useApi, useTitle } from '../hooks.js';
import { fmtNumber } from '../format.js';
import { downloadUrl } from '../api.js';
import { Badge, ErrorBanner, PageHeader } from '../components/feedback.js';
import { DataTable } from '../components/table.js';

export default function LeftBehind() {
  useTitle('留守儿童');
  const rep = useApi('/reports/left-behind-care', { format: 'json' });
  const d = rep.data;
  const columns = [
    { key: 'name', label: '姓名', primary: true, render: r => html`<a href=${'#/children/' + r.record_id}>${r.name || '（无姓名）'}</a>` },
    { key: 'contacted', label: '本月', render: r => html`<${Badge} tone=${r.contacted ? 'ok' : 'warn'}>${r.contacted_label}<//>` },
    { key: 'last_contact', label: '最近联系' },
    { key: 'school', label: '学校' },
    { key: 'id_number', label: '身份证号', render: r => html`<span class="mono">${r.id_number}</span>` },
  ];
  return html`<div class="page">
    <${PageHeader} title="留守儿童" subtitle=${d ? `${d.month} 月：共 ${fmtNumber(d.total)} 人，本月未联系 ${fmtNumber(d.without_contact)} 人` : '留守儿童关爱联系'} />
    <p class="muted">点姓名打开学生档案，在“留守儿童关爱”中记录入户、电话、视频或到校联系。每月至少联系一次。</p>
    <div class="page-actions"><a class="btn" download href=${downloadUrl('/reports/left-behind-care', { format: 'xlsx' })}>导出Excel</a></div>
    <${ErrorBanner} error=${rep.error} onRetry=${rep.reload} />
    <${DataTable} columns=${columns} rows=${d && d.children} rowKey=${r => r.record_id} loading=${rep.loading} caption="留守儿童"
      empty=${html`<div class="empty"><p class="empty-title">没有在校的留守儿童</p></div>`} />
  </div>`;
}
