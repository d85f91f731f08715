// 通报 (issue 17): the county's 控辍保学工作情况通报 — GET /api/v1/bulletins, the issued ones with
// their 文号 and date, each downloadable as the PDF drawn from what was issued. The county (the
// session's bulletins_issue) issues one for a month or a term: the form first previews the
// document's numbers and text (POST /api/v1/bulletins with preview, nothing kept, no 文号 taken),
// then issues it. Supervisors and townships read the issued ones.
import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { api, downloadUrl } from '../api.js';
import { useApi, useTitle } from '../hooks.js';
import { can } from '../session.js';
import { fmtDate, fmtNumber } from '../format.js';
import { EmptyState, ErrorBanner, Loading, PageHeader } from '../components/feedback.js';
import { DataTable } from '../components/table.js';
import { Choices, SubmitRow, useSubmit } from '../components/casework.js';

const orNull = v => (v === '' ? null : v);

function Field({ id, label, children }) {
  return html`<div class="field"><label class="field-label" for=${id}>${label}</label>${children}</div>`;
}

// The month before today's, as 2026-10 (the usual month of a 通报).
function lastMonth() {
  const d = new Date();
  d.setDate(1);
  d.setMonth(d.getMonth() - 1);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
}

/** The previewed document: its 文号, title, and each section's paragraphs and ranking table. */
function Preview({ p }) {
  const c = p.content;
  return html`<section class="card bulletin-preview" aria-label="通报预览">
    <p class="muted">预览（尚未印发）：${p.doc_number}，整改期限 ${fmtDate(p.deadline)}</p>
    <h2>${c.title}</h2>
    ${c.sections.map(s => html`<div key=${s.heading}>
      <h3>${s.heading}</h3>
      ${s.parts.map((part, i) => part.p ? html`<p key=${i}>${part.p}</p>`
        : part.h2 ? html`<h4 key=${i}>${part.h2}</h4>`
        : part.table ? html`<div key=${i}><p class="muted">${part.table.caption}</p>
            <${DataTable} caption=${part.table.caption} rowKey=${r => r[0] + r[1]} rows=${part.table.rows}
              columns=${part.table.columns.map((h, k) => ({ key: String(k), label: h, primary: k === 1, render: r => r[k] || '—' }))} /></div>` : null)}
    </div>`)}
  </section>`;
}

function IssueForm({ onDone }) {
  const [f, setF] = useState({ kind: 'month', month: lastMonth(), term: '', date: '', deadline: '', demand: '' });
  const set = k => e => setF(x => ({ ...x, [k]: e.target.value }));
  const [preview, setPreview] = useState(null);
  const body = extra => ({
    month: f.kind === 'month' ? f.month : null, term: f.kind === 'term' ? f.term : null,
    date: orNull(f.date), deadline: orNull(f.deadline), demand: orNull(f.demand), ...extra,
  });
  const [pstate, doPreview] = useSubmit(() => api.post('/bulletins', body({ preview: true })), r => setPreview(r));
  const [state, submit] = useSubmit(() => api.post('/bulletins', body({})), r => { setPreview(null); onDone(r.message); });
  return html`<section class="card"><h2>印发通报</h2>
    <form class="form" onSubmit=${submit} aria-label="印发通报">
      <${Choices} name="b-kind" legend="通报期间" columns=${2} value=${f.kind} onChange=${k => setF(x => ({ ...x, kind: k }))}
        options=${[{ key: 'month', label: '按月' }, { key: 'term', label: '按学期' }]} />
      ${f.kind === 'month'
        ? html`<${Field} id="b-month" label="月份"><input id="b-month" type="month" value=${f.month} onInput=${set('month')} required /><//>`
        : html`<${Field} id="b-term" label="学期（如 2026秋、2027春）"><input id="b-term" value=${f.term} onInput=${set('term')} placeholder="2026秋" required /><//>`}
      <div class="grid grid-2">
        <${Field} id="b-date" label="成文日期（不填为今天）"><input id="b-date" type="date" value=${f.date} onInput=${set('date')} /><//>
        <${Field} id="b-deadline" label="整改期限（不填为15个工作日后）"><input id="b-deadline" type="date" value=${f.deadline} onInput=${set('deadline')} /><//>
      </div>
      <${Field} id="b-demand" label="其他要求（写入“下一步要求”，可不填）"><textarea id="b-demand" rows="2" value=${f.demand} onInput=${set('demand')}></textarea><//>
      <div class="form-buttons"><button type="button" class="btn" onClick=${doPreview} disabled=${pstate.busy}>${pstate.busy ? '正在生成…' : '预览'}</button></div>
      <${ErrorBanner} error=${pstate.error && pstate.error.message} />
      ${preview && html`<${Preview} p=${preview} />`}
      <${SubmitRow} state=${state} label="印发（占用文号）" />
    </form>
  </section>`;
}

export default function Bulletins() {
  useTitle('通报');
  const list = useApi('/bulletins');
  const [done, setDone] = useState(null);
  const d = list.data;
  const columns = [
    { key: 'doc_number', label: '文号', primary: true },
    { key: 'title', label: '标题' },
    { key: 'published_on', label: '成文日期', render: r => fmtDate(r.published_on) },
    { key: 'deadline', label: '整改期限', render: r => fmtDate(r.deadline) },
    { key: 'pdf', label: '下载', render: r => html`<a class="btn btn-small" download href=${downloadUrl('/bulletins/' + r.id + '.pdf')}>PDF</a>` },
  ];
  return html`<div class="page">
    <${PageHeader} title="通报" subtitle=${d ? `已印发 ${fmtNumber(d.bulletins.length)} 份` : '控辍保学工作情况通报'} />
    <p class="muted">按月或按学期通报全县的入学率、巩固率、辍学率和各乡镇排名，点名逾期未办结和辍学高发的单位，限期整改。印发后内容不再改变，PDF 按印发时的内容生成。</p>
    ${done && html`<p class="notice" role="status">${done}</p>`}
    ${can('bulletins_issue') && html`<${IssueForm} onDone=${m => { setDone(m); list.reload(); }} />`}
    <${ErrorBanner} error=${list.error} onRetry=${list.reload} />
    ${!d && !list.error && html`<${Loading} />`}
    ${d && d.bulletins.length === 0 && html`<${EmptyState} title="还没有印发通报">县教育局印发通报后，这里列出每一份的文号和日期。<//>`}
    ${d && d.bulletins.length > 0 && html`<section aria-label="已印发的通报"><${DataTable} columns=${columns} rows=${d.bulletins} caption="已印发的通报" /></section>`}
  </div>`;
}
