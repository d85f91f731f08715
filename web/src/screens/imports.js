// 数据导入: the import wizard. 1 choose the list and the file; 2 upload (progress bar) and a dry
// run on the server (POST /api/v1/imports with dry_run=1: every row read and checked, nothing
// stored) shows the detected header row, the column mapping (editable: sent back as map
// 表头=字段), sample rows and the validation summary with the flagged and rejected rows;
// 3 confirm: the same file is imported as a background job, followed to its result (?job= in
// the URL, so a reload keeps following it); the history of imports with who and when.
// Issue 11: a list much smaller than the current one is imported only when the person ticks a
// confirmation that names both numbers; a department uploads only its own kinds, and its
// upload waits for the county, which sees the pending uploads beside the current lists here
// and accepts (确认生效) or rejects (退回, with a reason the department reads) each.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { api, upload } from '../api.js';
import { setQuery } from '../router.js';
import { useApi, useTitle } from '../hooks.js';
import { can, currentUser } from '../session.js';
import { fmtDateTime, fmtNumber } from '../format.js';
import { Badge, EmptyState, ErrorBanner, Loading, Notice, PageHeader, WordBadge } from '../components/feedback.js';
import { word, words } from '../vocab.js';
import { ProgressBar, useJob, waitJob } from '../components/progress.js';

/** A kind of list as the wizard names it ("户籍适龄儿童"; the vocabulary's title). */
const kindTitle = key => (word('kinds', key) || {}).title || key;

/** The kinds of list this account may upload: all for the county, its department's for one. */
function allowedKinds() {
  const kinds = words('kinds');
  if (can('import')) return kinds;
  const mine = (currentUser() || {}).upload_kinds || [];
  return kinds.filter(k => mine.includes(k.key));
}

export default function Imports({ query }) {
  useTitle('数据导入');
  const history = useApi('/imports');
  const kinds = allowedKinds();
  const [kind, setKind] = useState(kinds.length ? kinds[0].key : 'population');
  const [shrinkOk, setShrinkOk] = useState(false);   // the person confirmed a sharp shrink
  const [file, setFile] = useState(null);
  const [step, setStep] = useState('choose');          // choose → uploading → checking → preview
  const [sent, setSent] = useState(0);
  const [checkJob, setCheckJob] = useState(null);
  const [result, setResult] = useState(null);           // the dry run's result
  const [fields, setFields] = useState([]);             // the mapping being edited
  const [force, setForce] = useState(false);
  const [applied, setApplied] = useState([]);           // the map lines of the last check
  const [error, setError] = useState(null);
  const { job } = useJob(query.job || null);

  useEffect(() => { if (job && (job.state === 'done' || job.state === 'failed')) history.reload(); }, [job && job.state]);

  // what differs from the server's detection: the maps of the last check, then the edits since
  const edits = () => {
    if (!result) return [];
    const p = result.preview;
    return p.header.map((h, i) => (h && fields[i] !== p.fields[i] ? `${h}=${fields[i] || 'ignore'}` : null)).filter(Boolean);
  };
  const mapLines = () => {
    const m = new Map(applied.map(l => [l.slice(0, l.indexOf('=')), l]));
    for (const l of edits()) m.set(l.slice(0, l.indexOf('=')), l);
    return [...m.values()];
  };

  const send = async (dryRun, maps) => {
    const fd = new FormData();
    fd.append('kind', kind);
    if (dryRun) fd.append('dry_run', '1');
    if (force) fd.append('force', '1');
    if (!dryRun && shrinkOk) fd.append('confirm_shrink', '1');
    for (const m of maps) fd.append('map', m);
    fd.append('file', file);
    setSent(0);
    return upload('/imports', fd, setSent);
  };

  const check = async maps => {
    setError(null);
    setApplied(maps);
    setStep('uploading');
    try {
      const j = await send(true, maps);
      setStep('checking');
      // a dry run is followed here, in the wizard's own state (its file is in this page only)
      const done = await waitJob(j.id, setCheckJob, '检查失败');
      setResult(done.result);
      setFields(done.result.preview ? done.result.preview.fields.slice() : []);
      setStep('preview');
    } catch (e) {
      setError(e);
      setStep(result ? 'preview' : 'choose');
    }
  };

  const confirm = async () => {
    setError(null);
    setStep('uploading');
    try {
      const j = await send(false, mapLines());
      reset();
      setQuery({ job: j.id });
    } catch (e) {
      setError(e);
      setStep('preview');
    }
  };

  const reset = () => { setStep('choose'); setResult(null); setFile(null); setFields([]); setForce(false); setShrinkOk(false); setCheckJob(null); setApplied([]); };
  const mappingChanged = result && edits().length > 0;

  return html`<div class="page">
    <${PageHeader} title="数据导入" subtitle=${can('import') ? '导入公安户籍、学籍系统导出和外出就读名单（xlsx、xls、csv）；每次导入是一个新的快照，导入后请重新比对'
      : '上传本部门的名单（xlsx、xls、csv）；上传后须县教育局确认才生效'} />
    ${job && html`<${ImportJob} job=${job} />`}
    <${ErrorBanner} error=${error} />
    ${can('import') && html`<${Pending} history=${history} />`}
    ${can('write') && step === 'choose' && kinds.length === 0 && html`<${Notice} tone="warn">您的账号还没有可上传的名单类型：请系统管理员在“账号和角色”中为它指定部门。<//>`}
    ${can('write') && step === 'choose' && kinds.length > 0 && html`<form class="card wizard" onSubmit=${e => { e.preventDefault(); if (file) check([]); }}>
      <h2>第一步：选择名单和文件</h2>
      <fieldset class="kinds"><legend class="field-label">名单类型</legend>
        ${kinds.map(k => html`<label class=${'kind' + (kind === k.key ? ' checked' : '')} key=${k.key}>
          <input type="radio" name="kind" value=${k.key} checked=${kind === k.key} onChange=${() => setKind(k.key)} />
          <span class="kind-label">${k.title}</span><span class="kind-hint">${k.hint}</span></label>`)}
      </fieldset>
      <div class="field"><span class="field-label" id="import-file-label">文件（xlsx、xls、csv）</span>
        <label class="file-pick" for="import-file">
          <input id="import-file" type="file" accept=".xlsx,.xls,.csv,.txt" aria-labelledby="import-file-label"
            onChange=${e => setFile(e.target.files[0] || null)} />
          <span class="btn" aria-hidden="true">选择文件</span>
          <span class=${file ? 'file-name' : 'muted'}>${file ? `${file.name}（${fmtSize(file.size)}）` : '尚未选择文件'}</span>
        </label></div>
      <div><button type="submit" class="btn btn-primary" disabled=${!file}>上传并检查</button></div>
      <p class="muted small">检查时会逐行读取和校验，但不会写入数据库；确认后才正式导入。</p>
    </form>`}
    ${step === 'uploading' && html`<div class="card"><${ProgressBar} value=${sent} label=${`正在上传 ${file ? file.name : ''}`} /></div>`}
    ${step === 'checking' && html`<div class="card"><${ProgressBar} value=${checkJob ? checkJob.progress : 0} label=${(checkJob && checkJob.phase) || '正在检查'} /></div>`}
    ${step === 'preview' && result && html`<${Preview} result=${result} fields=${fields} setFields=${setFields} force=${force} setForce=${setForce}
        shrinkOk=${shrinkOk} setShrinkOk=${setShrinkOk}
        changed=${mappingChanged} onRecheck=${() => check(mapLines())} onConfirm=${confirm} onCancel=${reset} />`}
    <${History} history=${history} />
  </div>`;
}

function ImportJob({ job }) {
  if (job.state === 'failed') return html`<div class="banner banner-error" role="alert">导入失败：${job.error}</div>`;
  if (job.state === 'done') {
    const r = job.result;
    if (r.pending) return html`<${Notice} tone="ok"><span>已提交 ${r.file_name}（${kindTitle(r.kind)}，第 ${r.batch_id} 批）：${fmtNumber(r.rows_imported)} 行，
      拒绝 ${fmtNumber(r.rows_rejected)} 行。<strong>须县教育局确认后才生效</strong>，确认或退回的结果见下方“导入记录”。</span><//>`;
    return html`<${Notice} tone="ok"><span>已导入 ${r.file_name}（${kindTitle(r.kind)}，第 ${r.batch_id} 批）：${fmtNumber(r.rows_imported)} 行，
      其中 ${fmtNumber(r.rows_flagged)} 行有问题标记，拒绝 ${fmtNumber(r.rows_rejected)} 行。${can('import') && html` <a href="#/runs">去比对</a>`}</span><//>`;
  }
  return html`<div class="card" aria-live="polite"><${ProgressBar} value=${job.progress} label=${job.phase || '正在导入'} /></div>`;
}

/** "本次名单 500 人，只有当前名单（第 3 批，20,000 人）的 2.5%，低于 80%". */
export function shrinkText(rows, prevBatch, prevRows, threshold) {
  const share = prevRows ? 100 * rows / prevRows : 0;
  const pct = share < 0.1 ? '不到 0.1%' : share.toFixed(share < 10 ? 1 : 0) + '%';
  return `本次名单 ${fmtNumber(rows)} 人，只有当前名单（第 ${prevBatch} 批，${fmtNumber(prevRows)} 人）的 ${pct}，低于 ${threshold}%`;
}

function Preview({ result: r, fields, setFields, force, setForce, shrinkOk, setShrinkOk, changed, onRecheck, onConfirm, onCancel }) {
  const p = r.preview;
  const used = new Set(fields.filter(Boolean));
  // the columns that define this kind of list and are not mapped (the server's check)
  const missing = p.missing || [];
  const required = new Set(missing.flatMap(m => m.fields));
  return html`<section class="card wizard">
    <h2>第二步：核对表头、列对应和校验结果</h2>
    ${r.error && html`<div class="banner banner-error" role="alert"><div class="stack">
      ${missing.length > 0 && html`<strong>缺少必需的列：${missing.map(m => m.label).join('、')}</strong>`}
      <span>${r.error}。</span>
      <span>${missing.length > 0 ? '如果选错了名单类型，请“重新选择文件”；如果文件里有这些列，只是表头写法不同，' : ''}请在下面的“列对应”中为这些列选择字段，然后重新检查。</span></div></div>`}
    <dl class="facts">
      <dt>文件</dt><dd>${r.file_name}${r.format ? `（${r.format.toUpperCase()}${r.encoding ? '，' + r.encoding : ''}${r.sheet ? '，工作表“' + r.sheet + '”' : ''}）` : ''}</dd>
      <dt>名单类型</dt><dd>${kindTitle(r.kind)}</dd>
      <dt>表头</dt><dd>第 ${r.header_row} 行（上方的标题行已跳过）</dd>
    </dl>
    ${r.same_as_batch && html`<div class="banner banner-warn" role="alert"><span>这个文件与第 ${r.same_as_batch} 批完全相同，已经导入过。</span>
      <label class="field-check"><input type="checkbox" checked=${force} onChange=${e => setForce(e.target.checked)} /> 仍然再次导入</label></div>`}
    ${r.pending && html`<${Notice} tone="info">部门上传的名单须县教育局确认后才生效${r.shrinks ? `；${shrinkText(r.rows_imported, r.previous_batch, r.previous_rows, r.shrink_threshold)}，县教育局确认时会看到这一点` : ''}。<//>`}
    ${!r.error && r.shrinks && !r.pending && html`<div class="banner banner-error shrink" role="alert"><span><strong>名单人数骤减：</strong>${shrinkText(r.rows_imported, r.previous_batch, r.previous_rows, r.shrink_threshold)}。
      导入后它将代替当前名单用于比对；人数骤减多半是文件不全或选错了文件。</span>
      <label class="field-check"><input type="checkbox" checked=${shrinkOk} onChange=${e => setShrinkOk(e.target.checked)} /> 我已核对，人数确实减少，仍然导入</label></div>`}

    <h3>列对应</h3>
    <p class="muted small">每一列表头对应的字段；认错或没认出的列可以改，改后请“重新检查”。</p>
    <div class="table-wrap"><table class="table mapping">
      <caption class="visually-hidden">列对应</caption>
      <thead><tr><th scope="col">列</th><th scope="col">表头</th><th scope="col">字段</th><th scope="col">示例</th></tr></thead>
      <tbody>${p.header.map((h, i) => html`<tr key=${i} class=${fields[i] ? '' : 'unused'}>
        <td data-label="列">${colName(i)}</td>
        <td class="primary" data-label="表头">${h || html`<span class="muted">（空）</span>`}</td>
        <td data-label="字段"><label class="visually-hidden" for=${'map-' + i}>“${h}”对应的字段</label>
          <select id=${'map-' + i} value=${fields[i] || ''} disabled=${!h}
            onChange=${e => { const f = fields.slice(); f[i] = e.target.value || null; setFields(f); }}>
            <option value="">（不使用）</option>
            ${p.choices.map(c => html`<option value=${c.key} disabled=${used.has(c.key) && fields[i] !== c.key}>${c.label}${required.has(c.key) ? '（必需）' : ''}</option>`)}
          </select></td>
        <td data-label="示例" class="sample">${p.sample.slice(0, 3).map(s => s.cells[i]).filter(Boolean).join('，') || '—'}</td>
      </tr>`)}</tbody>
    </table></div>

    ${!r.error && html`<h3>校验结果</h3>
    <div class="count-grid">
      <div class="count"><span class="count-label">读取行数</span><span class="count-value">${fmtNumber(r.rows_read)}</span></div>
      <div class="count"><span class="count-label">将导入</span><span class="count-value">${fmtNumber(r.rows_imported)}</span></div>
      <div class="count"><span class="count-label">有问题标记</span><span class="count-value">${fmtNumber(r.rows_flagged)}</span></div>
      <div class="count"><span class="count-label">拒绝</span><span class=${'count-value' + (r.rows_rejected ? ' tone-bad' : '')}>${fmtNumber(r.rows_rejected)}</span></div>
      <div class="count"><span class="count-label">跳过（标题、空行、说明）</span><span class="count-value">${fmtNumber(r.rows_skipped)}</span></div>
    </div>
    ${Object.keys(r.flags).length > 0 && html`<ul class="flag-list">${Object.entries(r.flags).map(([k, n]) => html`<li key=${k}><${Badge} tone="warn">${fmtNumber(n)}<//> ${r.flag_labels[k] || k}</li>`)}</ul>`}
    ${p.problems.length > 0 ? html`<details class="problems" open=${p.problems.length <= 20}>
      <summary>有问题的行（${p.problems.length >= 200 ? '前 200 行' : p.problems.length + ' 行'}）</summary>
      <div class="table-wrap"><table class="table">
        <caption class="visually-hidden">有问题的行</caption>
        <thead><tr><th scope="col">行号</th><th scope="col">处理</th><th scope="col">原因</th><th scope="col">内容</th></tr></thead>
        <tbody>${p.problems.map(x => html`<tr key=${x.row}>
          <td class="primary" data-label="行号">第 ${x.row} 行</td>
          <td data-label="处理"><${Badge} tone=${x.action === '拒绝' ? 'bad' : 'warn'}>${x.action}<//></td>
          <td data-label="原因">${x.reason}</td>
          <td data-label="内容" class="sample">${x.cells.filter(Boolean).join('，')}</td>
        </tr>`)}</tbody></table></div>
    </details>` : html`<p class="muted">没有被拒绝或标记的行。</p>`}`}

    <h3>前 ${p.sample.length} 行</h3>
    <div class="scroll-x"><table class="sheet">
      <caption class="visually-hidden">文件的前几行</caption>
      <thead><tr><th scope="col">行</th>${p.header.map((h, i) => html`<th scope="col" key=${i}>${h}</th>`)}</tr></thead>
      <tbody>${p.sample.map(s => html`<tr key=${s.row}><th scope="row">${s.row}</th>${s.cells.map((c, i) => html`<td key=${i}>${c}</td>`)}</tr>`)}</tbody>
    </table></div>

    <div class="wizard-actions">
      ${changed || r.error
        ? html`<button type="button" class="btn btn-primary" onClick=${onRecheck}>按新的列对应重新检查</button>`
        : html`<button type="button" class="btn btn-primary" onClick=${onConfirm} disabled=${(r.same_as_batch && !force) || (r.shrinks && !r.pending && !shrinkOk)}>${r.pending ? '提交' : '确认导入'} ${fmtNumber(r.rows_imported)} 行</button>`}
      <button type="button" class="btn" onClick=${onCancel}>重新选择文件</button>
    </div>
  </section>`;
}

function fmtSize(n) {
  return n >= 1 << 20 ? (n / (1 << 20)).toFixed(1) + ' MB' : Math.max(1, Math.round(n / 1024)) + ' KB';
}

function colName(i) {
  let s = '';
  for (i += 1; i > 0; i = Math.floor((i - 1) / 26)) s = String.fromCharCode(65 + ((i - 1) % 26)) + s;
  return s;
}

function History({ history }) {
  const items = history.data ? history.data.items : null;
  return html`<section class="card">
    <h2>导入记录</h2>
    <${ErrorBanner} error=${history.error} onRetry=${history.reload} />
    ${!items && !history.error && html`<${Loading} />`}
    ${items && items.length === 0 && html`<${EmptyState} title="还没有导入过名单" />`}
    ${items && items.length > 0 && html`<div class="table-wrap"><table class="table">
      <caption class="visually-hidden">导入记录</caption>
      <thead><tr><th scope="col">批次</th><th scope="col">状态</th><th scope="col">名单</th><th scope="col">文件</th><th scope="col">导入时间</th><th scope="col">导入人</th>
        <th scope="col" class="num">导入</th><th scope="col" class="num">标记</th><th scope="col" class="num">拒绝</th></tr></thead>
      <tbody>${items.map(b => html`<tr key=${b.id}>
        <td class="primary" data-label="批次">第 ${b.id} 批${b.forced ? html` <${Badge} tone="warn">重复导入<//>` : ''}</td>
        <td data-label="状态"><${WordBadge} vocab="batch_states" value=${b.state} />${b.current ? html` <${Badge} tone="info">当前名单<//>` : ''}
          ${b.state === 'rejected' && b.decision_note && html`<div class="small">退回理由：${b.decision_note}</div>`}</td>
        <td data-label="名单">${kindTitle(b.kind)}</td>
        <td data-label="文件">${b.file_name}</td>
        <td data-label="导入时间">${fmtDateTime(b.imported_at)}</td>
        <td data-label="导入人">${b.imported_by_name || b.imported_by}${b.department_label ? html`<div class="muted small">${b.department_label}</div>` : ''}</td>
        <td class="num" data-label="导入">${fmtNumber(b.rows_imported)}</td>
        <td class="num" data-label="标记">${fmtNumber(b.rows_flagged)}</td>
        <td class="num" data-label="拒绝">${fmtNumber(b.rows_rejected)}</td>
      </tr>`)}</tbody>
    </table></div>`}
  </section>`;
}


/** The county's decision on the departments' uploads: each pending one beside the current list. */
function Pending({ history }) {
  const items = history.data ? history.data.items.filter(b => b.state === 'pending') : [];
  if (!items.length) return null;
  return html`<section class="card pending" aria-label="待确认的部门名单">
    <h2>待确认的部门名单（${items.length}）</h2>
    <p class="muted">部门上传的名单须县教育局确认后才成为当前名单、用于比对；人数与当前名单相差很大时请先核对。</p>
    ${items.map(b => html`<${PendingItem} key=${b.id} b=${b} onDone=${history.reload} />`)}
  </section>`;
}

function PendingItem({ b, onDone }) {
  const [shrinkOk, setShrinkOk] = useState(false);
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState(null);
  const [err, setErr] = useState(null);
  const c = b.compare || {};
  const act = async (path, body) => {
    setBusy(true); setErr(null);
    try { setMsg((await api.post(`/imports/${b.id}/${path}`, body)).message); onDone(); } catch (e) { setErr(e); }
    setBusy(false);
  };
  return html`<article class="pending-item" aria-label=${'第 ' + b.id + ' 批'}>
    <header><strong>第 ${b.id} 批 · ${b.kind_label}</strong> <span class="source-file">${b.file_name}</span>
      <span class="muted">${b.department_label || ''} ${b.imported_by_name || b.imported_by} 上传于 ${fmtDateTime(b.imported_at)}</span></header>
    <div class="count-grid">
      <div class="count"><span class="count-label">人数</span><span class="count-value">${fmtNumber(b.rows_imported)}</span></div>
      <div class="count"><span class="count-label">拒绝</span><span class=${'count-value' + (b.rows_rejected ? ' tone-bad' : '')}>${fmtNumber(b.rows_rejected)}</span></div>
      <div class="count"><span class="count-label">有问题标记</span><span class="count-value">${fmtNumber(b.rows_flagged)}</span></div>
      <div class="count"><span class="count-label">当前名单</span><span class="count-value">${c.batch ? fmtNumber(c.rows) : '—'}</span>
        <span class="muted small">${c.batch ? `第 ${c.batch} 批，本批是它的 ${c.percent.toFixed(c.percent < 10 ? 1 : 0)}%` : '尚无'}</span></div>
    </div>
    ${c.shrinks && html`<div class="banner banner-error" role="alert"><span><strong>名单人数骤减：</strong>${shrinkText(b.rows_imported, c.batch, c.rows, c.threshold)}。</span>
      <label class="field-check"><input type="checkbox" checked=${shrinkOk} onChange=${e => setShrinkOk(e.target.checked)} /> 我已核对，人数确实减少，仍然确认</label></div>`}
    ${msg && html`<${Notice} tone="ok">${msg}<//>`}
    ${err && html`<p class="error-text" role="alert">${err.message}</p>`}
    <div class="wizard-actions">
      <button type="button" class="btn btn-primary" disabled=${busy || (c.shrinks && !shrinkOk)}
        onClick=${() => act('accept', c.shrinks ? { confirm_shrink: true } : {})}>确认生效</button>
      ${!rejecting ? html`<button type="button" class="btn" onClick=${() => setRejecting(true)}>退回</button>`
        : html`<form class="inline" onSubmit=${e => { e.preventDefault(); act('reject', { reason }); }}>
            <label class="visually-hidden" for=${'reject-' + b.id}>退回理由</label>
            <input id=${'reject-' + b.id} required value=${reason} placeholder="退回理由（部门会看到）" onInput=${e => setReason(e.target.value)} />
            <button type="submit" class="btn btn-danger" disabled=${busy}>退回</button>
            <button type="button" class="btn" onClick=${() => setRejecting(false)}>取消</button></form>`}
    </div>
  </article>`;
}
