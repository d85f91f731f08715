// 人工复核: the pairs of records the cross-check could not decide (GET /api/v1/review?all=1), one
// at a time side by side (GET /api/v1/review/{id}): each field's agreement level and weight, the
// differing fields highlighted, the total score and why it is in the queue. A clerk decides
// (POST …/decision) with the keyboard: A 同一人, R 不是同一人, J/K next/previous.
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from '../html.js';
import { api } from '../api.js';
import { setQuery } from '../router.js';
import { useApi, useTitle } from '../hooks.js';
import { can } from '../session.js';
import { fmtDateTime } from '../format.js';
import { Badge, EmptyState, ErrorBanner, Loading, Notice, PageHeader, WordBadge } from '../components/feedback.js';
import { label, tone } from '../vocab.js';
import { plain } from '../components/casework.js';

const PENDING = 'pending';  // review_decisions: a pair no clerk has decided yet

export default function Review({ query }) {
  useTitle('人工复核');
  const queue = useApi('/review', { all: 1 });
  const pairs = (queue.data && queue.data.pairs) || [];
  const decided = pairs.filter(p => p.decision_key !== PENDING).length;
  const firstOpen = pairs.find(p => p.decision_key === PENDING);
  const id = query.id || (firstOpen || pairs[0] || {}).candidate_id;
  const idx = pairs.findIndex(p => String(p.candidate_id) === String(id));
  const [msg, setMsg] = useState(null);  // the last decision's sentence, kept while moving on
  const go = i => { if (i >= 0 && i < pairs.length) { setMsg(null); setQuery({ id: pairs[i].candidate_id }); } };
  const afterDecision = m => {
    setMsg(m);
    queue.reload();
    // on to the next pair still waiting, after this one (else the first waiting one)
    const next = pairs.slice(idx + 1).find(p => p.decision_key === PENDING) || pairs.slice(0, idx).find(p => p.decision_key === PENDING);
    if (next) setQuery({ id: next.candidate_id });
  };
  if (queue.error) return html`<div class="page"><${PageHeader} title="人工复核" /><${ErrorBanner} error=${queue.error} onRetry=${queue.reload} /></div>`;
  if (!queue.data) return html`<${Loading} />`;
  const pct = pairs.length ? Math.round((100 * decided) / pairs.length) : 100;
  return html`<div class="page review-page">
    <${PageHeader} title="人工复核" subtitle=${`第 ${queue.data.run_id} 次比对中得分介于复核线和采纳线之间的记录对：判断是否为同一名儿童`} />
    <div class="review-progress" aria-live="polite">
      <span>已复核 <strong>${decided}</strong> / ${pairs.length} 对${pairs.length - decided > 0 ? `，待复核 ${pairs.length - decided} 对` : '，全部完成'}</span>
      <progress max=${pairs.length || 1} value=${decided} aria-label="复核进度">${pct}%</progress>
    </div>
    ${pairs.length === 0 ? html`<${EmptyState} title="没有需要人工复核的记录对">本次比对的所有候选记录都已自动判定。<//>` : html`
    <div class="review-grid">
      <nav class="card review-queue" aria-label="复核队列">
        <h2>队列</h2>
        <ol>${pairs.map((p, i) => html`<li>
          <a href=${'#/review?id=' + p.candidate_id} aria-current=${i === idx ? 'true' : null} class=${i === idx ? 'active' : ''}>
            <span>${p.child_name} <span class="muted small">${p.township}</span></span>
            <${WordBadge} vocab="review_decisions" value=${p.decision_key} />
          </a></li>`)}</ol>
      </nav>
      <div>
        ${msg && html`<${Notice} tone="ok">${msg}<//>`}
        ${idx < 0 ? html`<${ErrorBanner} error="没有找到这个记录对，或它不在本次比对的复核队列中。" />`
          : html`<${Pair} key=${id} id=${id} n=${idx + 1} total=${pairs.length} onPrev=${() => go(idx - 1)} onNext=${() => go(idx + 1)} onDecided=${afterDecision} />`}
      </div>
    </div>`}
  </div>`;
}

function Pair({ id, n, total, onPrev, onNext, onDecided }) {
  const res = useApi('/review/' + id);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState(null);
  const decide = async decision => {
    if (busy) return;
    setBusy(true);
    setErr(null);
    try {
      const r = await api.post(`/review/${id}/decision`, { decision, note: note || null });
      onDecided(plain(r.message));
      res.reload();
    } catch (e) { setErr(e); } finally { setBusy(false); }
  };
  const write = can('write');  // a supervisor reads the queue and decides nothing
  // the keyboard: A / R decide, J / K move; never while typing in a field
  const keys = useRef();
  keys.current = { decide, onPrev, onNext };
  useEffect(() => {
    const on = e => {
      if (e.ctrlKey || e.metaKey || e.altKey || /^(INPUT|TEXTAREA|SELECT)$/.test(e.target.tagName)) return;
      const k = e.key.toLowerCase();
      if (k === 'a' && write) keys.current.decide('accept');
      else if (k === 'r' && write) keys.current.decide('reject');
      else if (k === 'j') keys.current.onNext();
      else if (k === 'k') keys.current.onPrev();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', on);
    return () => window.removeEventListener('keydown', on);
  }, []);
  const d = res.data;
  if (res.error) return html`<${ErrorBanner} error=${res.error} onRetry=${res.reload} />`;
  if (!d) return html`<${Loading} />`;
  const rv = d.review;
  return html`<section class="card pair" aria-label=${`记录对 ${n} / ${total}`}>
    <div class="section-head">
      <h2>第 ${n} / ${total} 对 <span class="muted small">候选编号 ${d.id}</span></h2>
      <span class="badges">
        <${Badge} tone="info">总分 ${d.score.toFixed(1)}<//>
        ${rv ? html`<${Badge} tone=${tone('review_decisions', rv.decision)}>已判定：${label('review_decisions', rv.decision)}<//>` : html`<${WordBadge} vocab="review_decisions" value=${PENDING} />`}
      </span>
    </div>
    <p class="hint">${d.reason}</p>
    <div class="table-scroll"><table class="compare">
      <caption class="visually-hidden">两条记录逐项比较</caption>
      <thead><tr><th scope="col">字段</th><th scope="col">户籍记录</th><th scope="col">比对记录</th><th scope="col">比较结果</th><th scope="col" class="num">权重</th></tr></thead>
      <tbody>${d.fields.map(f => html`<tr class=${f.differs ? 'differs' : ''}>
        <th scope="row">${f.label}${f.differs && html`<span class="visually-hidden">（不一致）</span>`}</th>
        <td class="mono" data-label="户籍记录">${f.population || html`<span class="muted">（空）</span>`}</td>
        <td class="mono" data-label="比对记录">${f.other || html`<span class="muted">（空）</span>`}</td>
        <td data-label="比较结果">${f.level_label}</td>
        <td class="num" data-label="权重">${f.weight > 0 ? '+' : ''}${f.weight.toFixed(2)}</td>
      </tr>`)}
      <tr class="total"><th scope="row">合计</th><td colspan="3" class="spacer"></td><td class="num" data-label="总分"><strong>${d.score.toFixed(2)}</strong></td></tr>
      </tbody>
    </table></div>
    <div class="grid grid-2 sources">
      <div><h3>户籍记录</h3><p>${d.population.other}</p><p class="muted small">${d.population.file} 第 ${d.population.row} 行</p></div>
      <div><h3>比对记录</h3><p>${d.other.other}</p><p class="muted small">${d.other.file} 第 ${d.other.row} 行</p></div>
    </div>
    ${rv && html`<p class="hint">已由 ${rv.decided_by} 于 ${fmtDateTime(rv.decided_at)} 判定为“${rv.label}”${rv.note ? `：${rv.note}` : ''}。可以改变结论。</p>`}
    ${write ? html`<div class="field"><label class="field-label" for="rv-note">备注（可不填）</label>
      <input id="rv-note" value=${note} onInput=${e => setNote(e.target.value)} placeholder="如 出生日期月日颠倒，学校核实为同一人" /></div>` : html`<p class="hint">本账号只能查看复核队列，不能判定。</p>`}
    <${ErrorBanner} error=${err} />
    <div class="decide">
      ${write && html`<button type="button" class="btn btn-primary" disabled=${busy} onClick=${() => decide('accept')} aria-keyshortcuts="A">同一人 <kbd>A</kbd></button>
      <button type="button" class="btn btn-danger" disabled=${busy} onClick=${() => decide('reject')} aria-keyshortcuts="R">不是同一人 <kbd>R</kbd></button>`}
      <span class="decide-nav">
        <button type="button" class="btn" disabled=${n <= 1} onClick=${onPrev} aria-keyshortcuts="K">上一对 <kbd>K</kbd></button>
        <button type="button" class="btn" disabled=${n >= total} onClick=${onNext} aria-keyshortcuts="J">下一对 <kbd>J</kbd></button>
      </span>
    </div>
    <p class="muted small">${write ? '快捷键：A 同一人，R 不是同一人，J 下一对，K 上一对（在输入框中时不生效）。判定在下次比对时生效。' : '快捷键：J 下一对，K 上一对。'}</p>
  </section>`;
}
