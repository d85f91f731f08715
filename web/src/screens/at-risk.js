// 预警名单 (issue 16): the children still at school most likely to drop out — the report at-risk
// (GET /api/v1/reports/at-risk): a school its pupils, a township its children, the county all,
// by township, school and score; each row says which factors make the score and who the 结对教师
// is; 本学期旷课 the school days of 旷课 this term (the absence factor, from the attendance). A
// name opens the child record, where the teacher is paired (components/atrisk.js). The
// weights and the threshold are the county's settings (系统管理 › 设置).
import { html } from '../html.js';
import { useApi, useTitle } from '../hooks.js';
import { fmtDate, fmtNumber } from '../format.js';
import { downloadUrl } from '../api.js';
import { setQuery } from '../router.js';
import { useUser } from '../session.js';
import { Badge, ErrorBanner, PageHeader } from '../components/feedback.js';
import { DataTable } from '../components/table.js';

export default function AtRisk({ query }) {
  useTitle('预警名单');
  const user = useUser();
  const township = query.township || '';
  const rep = useApi('/reports/at-risk', { format: 'json', township });
  const filters = useApi(user.township || user.role === 'school' ? null : '/children/filters');
  const towns = filters.data ? filters.data.townships : [];
  const d = rep.data;
  const rows = d ? d.children : null;
  const paired = rows ? rows.filter(r => r.teacher).length : 0;
  const columns = [
    { key: 'name', label: '姓名', primary: true, render: r => html`<a href=${'#/children/' + r.record_id}>${r.name || '（无姓名）'}</a>` },
    { key: 'score', label: '预警分', render: r => html`<${Badge} tone=${r.score >= 40 ? 'bad' : 'warn'}>${r.score} 分<//>` },
    { key: 'absent_days', label: '本学期旷课', num: true, render: r => (r.absent_days > 0 ? html`<${Badge} tone="bad">${r.absent_days} 天<//>` : html`<span class="muted">—</span>`) },
    { key: 'factors', label: '预警因素' },
    { key: 'teacher', label: '结对教师', render: r => r.teacher || html`<span class="muted">未结对</span>` },
    { key: 'school', label: '学校', render: r => `${r.school} ${r.grade}${r.class ? ' ' + r.class : ''}` },
    { key: 'township', label: '乡镇' },
  ];
  return html`<div class="page">
    <${PageHeader} title="预警名单" subtitle=${d ? `在校学生中预警分达到分数线的 ${fmtNumber(d.total)} 人，已结对 ${fmtNumber(paired)} 人（比对截至 ${fmtDate(d.as_of)}）` : '在校学生辍学预警'}>
      ${towns.length > 1 && html`<label class="field inline-field" for="risk-township"><span class="field-label">查看</span>
        <select id="risk-township" value=${township} onChange=${e => setQuery({ township: e.target.value })}>
          <option value="">全县</option>
          ${towns.map(t => html`<option value=${t.code}>${t.name}</option>`)}
        </select></label>`}
    <//>
    <p class="muted">预警分是各预警因素的分值之和：本学期旷课（按上课日计）、曾失学辍学立案、重点群体、超龄、13至15岁且父母外出务工等。点姓名打开学生档案，查看每项因素并安排结对教师。</p>
    <div class="page-actions"><a class="btn" download href=${downloadUrl('/reports/at-risk', { format: 'xlsx', township: township || undefined })}>导出Excel</a></div>
    <${ErrorBanner} error=${rep.error} onRetry=${rep.reload} />
    <${DataTable} columns=${columns} rows=${rows} rowKey=${r => r.record_id} loading=${rep.loading} caption="预警名单"
      empty=${html`<div class="empty"><p class="empty-title">没有达到分数线的在校学生</p></div>`} />
  </div>`;
}
