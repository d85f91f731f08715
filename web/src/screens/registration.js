// 户籍问题: what the police's duty needs of the casework (issue 11). The verification outcomes of
// kind 户籍问题 (空挂户, 人户分离, 身份证号错误, 查无此人) county-wide, a page at a time (GET
// /api/v1/verify: the server gives a department only these), the child masked; 查看 opens the
// outcome (GET /api/v1/verify/{id}: the server leaves out who was assigned and the timeline).
// Above them, the reports the county sends the police (the catalog's `registration` reports:
// 户籍核查反馈表, 有学籍无户籍学生核查名单), as xlsx, masked.
import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { setQuery } from '../router.js';
import { useApi, useTitle } from '../hooks.js';
import { fmtDate, fmtNumber } from '../format.js';
import { words } from '../vocab.js';
import { downloadUrl } from '../api.js';
import { DataTable, Pager } from '../components/table.js';
import { ErrorBanner, Loading, PageHeader } from '../components/feedback.js';

const PER_PAGE = 20;

export default function Registration({ query }) {
  useTitle('户籍问题');
  const page = Number(query.page) || 1;
  const list = useApi('/verify', { state: 'all', page, per_page: PER_PAGE });
  const [open, setOpen] = useState(null);
  const columns = [
    { key: 'name', label: '儿童', primary: true, render: r => html`${r.name || '（无姓名）'} <span class="muted small">${r.gender} · ${fmtDate(r.birth_date)}</span>` },
    { key: 'id_number', label: '身份证号', render: r => html`<span class="mono">${r.id_number || '—'}</span>` },
    { key: 'village', label: '户籍地', render: r => `${r.township} ${r.village}` },
    { key: 'outcome', label: '核查结论', render: r => r.outcome },
    { key: 'more', label: '情况', render: r => html`<button type="button" class="btn btn-small" aria-expanded=${open === r.task_id}
        onClick=${() => setOpen(open === r.task_id ? null : r.task_id)}>${open === r.task_id ? '收起' : '查看'}</button>` },
  ];
  const d = list.data;
  return html`<div class="page">
    <${PageHeader} title="户籍问题" subtitle=${d ? `乡镇入户核查发现的户籍问题，须公安核实处理，共 ${fmtNumber(d.total)} 项` : '乡镇入户核查发现的户籍问题'} />
    <p class="muted">身份证号已遮盖；只显示核查结论，不含其他经办记录。</p>
    <${PoliceForms} />
    <${ErrorBanner} error=${list.error} onRetry=${list.reload} />
    <${DataTable} columns=${columns} rows=${d && d.tasks} rowKey=${r => r.task_id} loading=${list.loading} caption="户籍问题"
      empty=${html`<div class="empty"><p class="empty-title">没有户籍问题</p><p class="empty-text">乡镇核查记录为“户籍问题”的儿童会列在这里。</p></div>`} />
    ${open && html`<${Outcome} id=${open} />`}
    ${d && html`<${Pager} total=${d.total} page=${page} perPage=${PER_PAGE} onPage=${p => setQuery({ page: p })} />`}
  </div>`;
}

/** The catalog's reports for the police, as xlsx downloads (the whole county). */
function PoliceForms() {
  const forms = words('reports').filter(r => r.registration);
  if (!forms.length) return null;
  return html`<section class="card forms">
    <h2>送公安的核查表（Excel）</h2>
    <p class="muted small">入户核查发现的户籍问题，以及本县学校在读、户籍名单中没有且身份证号属本县或没有身份证号的学生；身份证号已遮盖。</p>
    <div class="page-actions">${forms.map(f => html`<a key=${f.key} class="btn" download title=${f.help}
      href=${downloadUrl('/reports/' + f.key, { format: 'xlsx' })}>${f.label}</a>`)}</div>
  </section>`;
}

function Outcome({ id }) {
  const t = useApi('/verify/' + id);
  const v = t.data;
  if (t.error) return html`<${ErrorBanner} error=${t.error} />`;
  if (!v) return html`<${Loading} />`;
  const o = v.outcome || {};
  return html`<section class="card" aria-label=${'核查任务 ' + id}>
    <h2>${v.child.name}：${o.label}${o.subkind_label ? '：' + o.subkind_label : ''}</h2>
    <dl class="facts">
      <dt>身份证号</dt><dd class="mono">${v.child.id_number || '—'}</dd>
      <dt>户籍地</dt><dd>${v.township} ${v.child.village || ''}</dd>
      <dt>核查日期</dt><dd>${fmtDate(o.date)}</dd>
      <dt>核查人</dt><dd>${o.verified_by ? `${o.verified_by.name}（${o.verified_by.org}）` : '—'}</dd>
      ${o.evidence && html`<dt>证明材料</dt><dd>${o.evidence}</dd>`}
      ${o.note && html`<dt>情况说明</dt><dd>${o.note}</dd>`}
    </dl>
  </section>`;
}
