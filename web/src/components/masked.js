// A masked ID or phone number (140521********1234). Roles allowed to (permission full_id) get a
// 显示完整 button; the full value is fetched on purpose and the server audits that read.
import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { can } from '../session.js';

/** value: the masked text; loadFull: async () → the full text; label: what it is (for screen readers). */
export function Masked({ value, loadFull, label = '身份证号' }) {
  const [full, setFull] = useState(null);
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState(null);
  if (!value) return html`<span class="muted">—</span>`;
  const show = async () => {
    setBusy(true);
    setErr(null);
    try { setFull(await loadFull()); } catch (e) { setErr(e.message); } finally { setBusy(false); }
  };
  return html`<span class="masked">
    <span class="mono">${full || value}</span>
    ${full && html`<span class="audit-note" title="此次查看已记入审计日志">已记入审计</span>`}
    ${!full && can('full_id') && loadFull && html`<button type="button" class="btn btn-link btn-small" disabled=${busy}
        onClick=${show} aria-label=${'显示完整' + label + '（记入审计日志）'}>${busy ? '…' : '显示完整'}</button>`}
    ${err && html`<span class="error-text" role="alert">${err}</span>`}
  </span>`;
}
