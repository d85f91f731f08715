// 人籍分离 (issue 16): the pupils whose 学籍 does not say where they are — the report separation
// (GET /api/v1/reports/separation): registered here but absent unexcused for N consecutive school
// days, attending another school (another school's attendance, a case's return there, a class
// teacher's note), or a 学籍 change the old school's attendance contradicts. Per school, each row
// with the evidence and what the school must do; the county reads every school (or one township,
// one school), a township its children, a school the rows it acts on or is named in.
import { html } from '../html.js';
import { useApi, useTitle } from '../hooks.js';
import { fmtDate, fmtNumber } from '../format.js';
import { downloadUrl } from '../api.js';
import { setQuery } from '../router.js';
import { useUser } from '../session.js';
import { Badge, ErrorBanner, PageHeader } from '../components/feedback.js';
import { DataTable } from '../components/table.js';

const KINDS = [
  { key: 'absent', tone: 'bad' },
  { key: 'elsewhere', tone: 'warn' },
  { key: 'mismatch', tone: 'info' },
];

export default function Separation({ query }) {
  useTitle('人籍分离');
  const user = useUser();
  const township = query.township || '';
  const school = query.school || '';
  const kind = query.kind || '';
  const county = !user.township && user.role !== 'school';
  const rep = useApi('/reports/separation', { format: 'json', township: township || undefined, school: school || undefined });
  const filters = useApi(county ? '/children/filters' : null);
  const towns = filters.data ? filters.data.townships : [];
  const schools = filters.data ? filters.data.schools : [];
  const d = rep.data;
  const all = d ? d.pupils : null;
  const rows = all ? all.filter(r => !kind || r.kind_key === kind) : null;
  const tone = k => (KINDS.find(x => x.key === k) || { tone: 'muted' }).tone;
  const columns = [
    { key: 'name', label: '姓名', primary: true, render: r => r.name || '（无姓名）' },
    { key: 'kind', label: '类型', render: r => html`<${Badge} tone=${tone(r.kind_key)}>${r.kind}<//>` },
    { key: 'evidence', label: '情况' },
    { key: 'action', label: '学校应办' },
    { key: 'school', label: '学校', render: r => `${r.school}${r.grade ? ' ' + r.grade : ''}${r.class ? ' ' + r.class : ''}` },
    { key: 'student_no', label: '学籍号' },
    { key: 'id_number', label: '身份证号' },
  ];
  const subtitle = d
    ? `截至 ${fmtDate(d.as_of)}：长期旷课 ${fmtNumber(d.count_absent)} 人，在他校就读 ${fmtNumber(d.count_elsewhere)} 人，学籍变动与考勤不符 ${fmtNumber(d.count_mismatch)} 人`
    : '学籍与实际就读不一致的学生';
  return html`<div class="page">
    <${PageHeader} title="人籍分离" subtitle=${subtitle}>
      ${towns.length > 1 && html`<label class="field inline-field" for="sep-township"><span class="field-label">乡镇</span>
        <select id="sep-township" value=${township} onChange=${e => setQuery({ township: e.target.value, school: '' })}>
          <option value="">全县</option>
          ${towns.map(t => html`<option value=${t.code}>${t.name}</option>`)}
        </select></label>`}
      ${schools.length > 1 && html`<label class="field inline-field" for="sep-school"><span class="field-label">学校</span>
        <select id="sep-school" value=${school} onChange=${e => setQuery({ school: e.target.value })}>
          <option value="">全部学校</option>
          ${schools.map(s => html`<option value=${s.code}>${s.name || s.code}</option>`)}
        </select></label>`}
      <label class="field inline-field" for="sep-kind"><span class="field-label">类型</span>
        <select id="sep-kind" value=${kind} onChange=${e => setQuery({ kind: e.target.value })}>
          <option value="">全部类型</option>
          <option value="absent">长期旷课未到校</option>
          <option value="elsewhere">在他校就读</option>
          <option value="mismatch">学籍变动与考勤不符</option>
        </select></label>
    <//>
    <p class="muted">${d ? `连续旷课 ${d.absent_days} 个上课日以上（病假、事假不计）、` : ''}实际在他校就读、学籍转出后原校仍有考勤的学生，按学校列出。请学校据此办理转学、标记辍学或更正学籍。</p>
    <div class="page-actions"><a class="btn" download href=${downloadUrl('/reports/separation', { format: 'xlsx', township: township || undefined, school: school || undefined })}>导出Excel</a></div>
    <${ErrorBanner} error=${rep.error} onRetry=${rep.reload} />
    <${DataTable} columns=${columns} rows=${rows} rowKey=${r => r.kind_key + r.record_id} loading=${rep.loading} caption="人籍分离情况"
      empty=${html`<div class="empty"><p class="empty-title">没有人籍分离的学生</p></div>`} />
  </div>`;
}
