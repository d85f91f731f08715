// 打印走访清单: the village visit sheet (GET /api/v1/reports/visit-sheet) of the township on
// screen, one village or all of them, as a PDF to print or an Excel sheet. The server decides
// what the account sees: a township account only its villages, the phone whole for the cadres
// who reach it on the task page (each read audited); the county may ask for full numbers.
import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { useApi } from '../hooks.js';
import { can } from '../session.js';
import { downloadUrl } from '../api.js';

/** township: the township on screen (its code), or '' for the account's own or the county. */
export function VisitSheet({ township }) {
  const [open, setOpen] = useState(false);
  const [village, setVillage] = useState('');
  const [full, setFull] = useState(false);
  const choices = useApi(open && can('children') ? '/children/filters' : null);
  if (!can('casework')) return null;
  const towns = choices.data ? choices.data.townships : [];
  const town = towns.find(t => t.code === township) || (towns.length === 1 ? towns[0] : null);
  const query = fmt => Object.fromEntries(Object.entries({
    format: fmt, township: township || '', village: town ? village : '', full: full ? '1' : '',
  }).filter(([, v]) => v));
  if (!open) {
    return html`<button type="button" class="btn" onClick=${() => setOpen(true)}>打印走访清单</button>`;
  }
  return html`<div class="visit-sheet card" role="group" aria-label="打印走访清单">
    <p class="small muted">每个村（社区）一页起，列出待核查和劝返中的儿童、监护人、电话、住址和截止日期，留有走访结果和签名栏。</p>
    ${town && html`<label class="field" for="vs-village"><span class="field-label">村（社区）</span>
      <select id="vs-village" value=${village} onChange=${e => setVillage(e.target.value)}>
        <option value="">${town.name}全部村（社区）</option>
        ${town.villages.map(v => html`<option value=${v}>${v}</option>`)}
      </select></label>`}
    ${can('full_id') && html`<label class="field field-check" for="vs-full">
      <input id="vs-full" type="checkbox" checked=${full} onChange=${e => setFull(e.target.checked)} />
      <span>完整电话和住址（记入审计日志）</span></label>`}
    <div class="page-actions">
      <a class="btn btn-primary" download href=${downloadUrl('/reports/visit-sheet', query('pdf'))}>下载走访清单（PDF）</a>
      <a class="btn" download href=${downloadUrl('/reports/visit-sheet', query('xlsx'))}>Excel</a>
      <button type="button" class="btn btn-link" onClick=${() => setOpen(false)}>收起</button>
    </div>
  </div>`;
}
