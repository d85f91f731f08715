// 学生档案: one child of the latest cross-check — the register entry, the status and why, every
// source record with its file, row and snapshot, the linkage waterfall of each candidate record,
// the status in every run, verification, case and the timeline. ID and phone numbers are masked
// and the birth date is not shown, only the age on the school year's cutoff (it would give the ID
// back: docs/decisions.md, Issue 11); 显示完整 (roles with full_id) fetches ?full=1 once, which
// the server audits, and shows the number or the birth date asked for. The history and the
// waterfall only for roles with child_file (a department reads the record alone). The placement
// and the 送教上门 log (issue 15) with their forms for the roles the server says may use them.
import { useRef } from 'preact/hooks';
import { html } from '../html.js';
import { api } from '../api.js';
import { useApi, useTitle } from '../hooks.js';
import { fmtAge, fmtDate, fmtDateTime } from '../format.js';
import { can } from '../session.js';
import { label, tone } from '../vocab.js';
import { Badge, EmptyState, ErrorBanner, Loading, PageHeader, StatusBadge } from '../components/feedback.js';
import { Masked } from '../components/masked.js';
import { ScreenLink } from '../components/link.js';
import { Timeline } from '../components/timeline.js';
import { Placement } from '../components/placement.js';
import { Care } from '../components/care.js';
import { AtRisk } from '../components/atrisk.js';
import { ChildWarnings } from '../components/warnings.js';
import { Illness, Mental } from '../components/wellbeing.js';


export default function Child({ params }) {
  const id = params.id;
  const rec = useApi('/children/' + id);
  // a child's history and linkage are not every role's to read (a department reads the record)
  const history = can('child_file');
  const links = useApi(rec.data && history ? `/children/${id}/links` : null);
  const work = useApi(rec.data && history ? `/children/${id}/casework` : null);
  const full = useRef(null);
  const fullRecord = () => (full.current ||= api.get('/children/' + id, { full: 1 }).catch(e => { full.current = null; throw e; }));
  const d = rec.data;
  useTitle(d ? `${d.person.name} · 学生档案` : '学生档案');
  if (rec.error) return html`<div class="page"><${PageHeader} title="学生档案" /><${ErrorBanner} error=${rec.error} /><p><a href="#/children">返回台账</a></p></div>`;
  if (!d) return html`<${Loading} />`;
  const p = d.person;
  return html`<div class="page child">
    <${PageHeader} title=${p.name || '（无姓名）'} subtitle=${`学生档案 · 截至 ${fmtDate(d.as_of)} 的第 ${d.run_id} 次比对 · 户籍记录编号 ${d.id}`}>
      <${StatusBadge} status=${d.status} />
    <//>
    <div class=${'banner ' + (['not_enrolled', 'dropped_out'].includes(d.status) ? 'banner-error' : 'banner-info')} role="note">
      <span><strong>${label('statuses', d.status)}：</strong>${d.explanation}</span></div>

    <section class="grid grid-2">
      <div class="card">
        <h2>户籍信息</h2>
        <dl class="facts">
          <dt>姓名</dt><dd>${p.name} <span class="muted">${p.gender} · ${p.ethnicity || '民族不详'}</span></dd>
          <dt>年龄</dt><dd>${fmtAge(d.age, d.age_on)}${d.expected_grade ? `，应读${d.expected_grade}` : ''}</dd>
          <dt>身份证号</dt><dd><${Masked} value=${p.id_number} loadFull=${() => fullRecord().then(j => j.person.id_number)} /></dd>
          ${can('full_id') && html`<dt>出生日期</dt><dd><${Masked} value="已隐藏" label="出生日期" loadFull=${() => fullRecord().then(j => fmtDate(j.person.birth_date))} /></dd>`}
          <dt>乡镇、村</dt><dd>${p.township} ${p.village}</dd>
          <dt>户籍地址</dt><dd>${p.address || '—'}</dd>
          <dt>监护人</dt><dd>${p.guardian || '—'}</dd>
          <dt>联系电话</dt><dd><${Masked} value=${p.phone} label="联系电话" loadFull=${() => fullRecord().then(j => j.person.phone)} /></dd>
          <dt>户籍状态</dt><dd>${p.registration}</dd>
        </dl>
      </div>
      <div class="card">
        <h2>就读情况</h2>
        ${d.school ? html`<dl class="facts">
          <dt>学校</dt><dd>${d.school.school_name || '—'} <span class="muted">${d.school.school_code}</span></dd>
          <dt>年级、班级</dt><dd>${d.school.grade || '—'} ${d.school.class || ''}</dd>
          <dt>学籍状态</dt><dd>${d.school.enroll_status || '—'}</dd>
          <dt>如何关联</dt><dd>${d.school.link_label}</dd>
        </dl>` : html`<p class="muted">本次比对没有找到此儿童的在读学籍或外出就读记录。</p>`}
        <${History} work=${work} />
      </div>
    </section>

    ${d.groups && d.groups.length > 0 && html`<section class="card" aria-label="重点群体">
      <h2>重点群体</h2>
      <p class="muted small">部门名单中与此儿童关联的每一条记录：属于哪个群体、来自哪份名单和哪一天导入、如何关联。</p>
      <div class="sources">
        ${d.groups.map((g, i) => html`<article class="source" key=${g.key + i}>
          <h3>${g.label}</h3>
          <dl class="facts">
            <dt>类别</dt><dd>${[g.category, g.level].filter(Boolean).join('，') || '—'}</dd>
            <dt>名单</dt><dd>${g.kind_label}：${g.file_name}</dd>
            <dt>导入日期</dt><dd>${fmtDate(g.imported_at)}</dd>
            <dt>如何关联</dt><dd>${g.matched_by_label || '—'}</dd>
            ${g.detail && html`<dt>说明</dt><dd>${g.detail}</dd>`}
          </dl>
        </article>`)}
      </div>
    </section>`}

    <section class="card">
      <h2>来源记录</h2>
      <p class="muted small">本次比对所用各名单中属于此儿童的每一条记录：来自哪个文件的第几行、哪一次导入。</p>
      <div class="sources">
        ${d.sources.map(s => html`<article class="source" key=${s.record_id}>
          <header><${Badge} tone=${tone('kinds', s.kind)}>${label('kinds', s.kind)}</${Badge}>
            <span class="source-file">${s.file_name}</span><span class="muted">第 ${s.row} 行</span></header>
          <dl class="facts">
            <dt>姓名</dt><dd>${s.name || '—'}</dd>
            <dt>身份证号</dt><dd><${Masked} value=${s.id_number} loadFull=${() => fullRecord().then(j => (j.sources.find(x => x.record_id === s.record_id) || {}).id_number)} /></dd>
            ${s.school_name && html`<dt>学校、年级</dt><dd>${s.school_name} ${s.grade}${s.enroll_status ? '，' + s.enroll_status : ''}</dd>`}
            <dt>导入</dt><dd>第 ${s.batch_id} 批，${fmtDateTime(s.imported_at)}</dd>
            ${s.link && html`<dt>关联</dt><dd>${s.link.explanation}</dd>`}
          </dl>
        </article>`)}
      </div>
    </section>

    <${Care} id=${id} />
    <${Illness} id=${id} mayPlace=${!!(work.data && work.data.may_place)} />
    <${Mental} id=${id} />
    ${history && html`<${Waterfall} links=${links} fullRecord=${fullRecord} />`}
    ${history && work.data && html`<${AtRisk} work=${work.data} recordId=${id} onChanged=${work.reload} />`}
    ${history && work.data && html`<${ChildWarnings} work=${work.data} onChanged=${work.reload} />`}
    ${history && work.data && html`<${Placement} work=${work.data} recordId=${id} onChanged=${work.reload} />`}
    ${history && html`<${Casework} work=${work} />`}
  </div>`;
}

function History({ work }) {
  const h = work.data && work.data.history;
  if (!h || h.length < 1) return null;
  return html`<h3 class="subhead">历次比对</h3>
    <ol class="history">${h.map(r => html`<li key=${r.run_id}><span class="muted">第 ${r.run_id} 次 · ${fmtDate(r.as_of)}</span>
      ${r.status ? html`<${StatusBadge} status=${r.status} />` : html`<span class="muted">${r.status_label}</span>`}</li>`)}</ol>`;
}

/** The field-by-field waterfall of each candidate record (docs/linkage.md). */
function Waterfall({ links }) {
  const l = links.data;
  return html`<section class="card">
    <h2>比对过程</h2>
    ${links.error && html`<${ErrorBanner} error=${links.error} />`}
    ${!l && !links.error && html`<${Loading} />`}
    ${l && l.candidates.length === 0 && html`<p class="muted">没有任何学籍或外出就读记录与此儿童比对过（身份证号、姓名和出生日期都没有找到相近的记录）。</p>`}
    ${l && l.candidates.map((c, i) => {
      const max = Math.max(12, ...c.fields.map(f => Math.abs(f.weight)));
      return html`<article class="candidate" key=${c.record_id}>
        <header>
          <span class="candidate-title">候选记录 ${i + 1}：${c.where || c.file_name}</span>
          <${Badge} tone=${tone('link_verdicts', c.verdict_key)}>${label('link_verdicts', c.verdict_key)}<//>
        </header>
        <p class="muted small">${c.file_name} 第 ${c.row} 行 · ${c.name} · ${c.gender} · ${c.birth_date ? '出生 ' + fmtDate(c.birth_date) : fmtAge(c.age)} · 身份证号 <span class="mono">${c.id_number}</span></p>
        <table class="waterfall">
          <caption class="visually-hidden">各项比对得分</caption>
          <thead><tr><th scope="col">项目</th><th scope="col">比对情况</th><th scope="col" class="num">得分</th><th scope="col" class="bar-col"><span class="visually-hidden">图示</span></th></tr></thead>
          <tbody>${c.fields.map(f => html`<tr key=${f.field}>
            <th scope="row">${f.label}</th><td>${f.level}</td>
            <td class=${'num ' + (f.weight < 0 ? 'neg' : 'pos')}>${f.weight > 0 ? '+' : ''}${f.weight.toFixed(1)}</td>
            <td class="bar-col"><span class="wbar" aria-hidden="true"><span class=${f.weight < 0 ? 'neg' : 'pos'}
              style=${{ width: (Math.abs(f.weight) / max) * 50 + '%', [f.weight < 0 ? 'right' : 'left']: '50%' }}></span></span></td>
          </tr>`)}</tbody>
          <tfoot><tr><th scope="row">合计</th><td>${c.reason}</td><td class="num total">${c.total > 0 ? '+' : ''}${c.total.toFixed(1)}</td><td></td></tr></tfoot>
        </table>
        ${c.same_day && html`<p class="muted small">出生日期相同：身份证号、姓名、性别三项按同一天出生的孩子之间的情况计分。</p>`}
        ${c.id_source && html`<p class="muted small">${c.id_source}。</p>`}
      </article>`;
    })}
    ${l && l.candidates.length > 0 && html`<p class="muted small">${l.note} 此姓名在户籍中出现 ${l.name_frequency} 次（越常见，姓名相同得分越低）。</p>`}
  </section>`;
}

function Casework({ work }) {
  const w = work.data;
  if (work.error) return html`<section class="card"><h2>核查和案件</h2><${ErrorBanner} error=${work.error} /></section>`;
  if (!w) return null;
  return html`<section class="grid grid-2">
    <div class="card">
      <h2>核查</h2>
      ${w.tasks.length === 0 ? html`<p class="muted">没有核查任务（比对未判定为疑似失学辍学）。</p>` : html`<ul class="plain">
        ${w.tasks.map(t => html`<li key=${t.id} class="task">
          <div class="row-between"><${ScreenLink} path=${'/verify/' + t.id}>核查任务 ${t.id}<//>
            <${Badge} tone=${t.overdue ? 'bad' : tone('task_states', t.state)}>${label('task_states', t.state)}${t.overdue ? '（逾期）' : ''}<//></div>
          <p class="small">疑似${t.suspected}，${fmtDate(t.opened_on)} 建立，${fmtDate(t.deadline)} 截止${t.outcome_label ? `；结论：${t.outcome_label}${t.outcome_sub_label ? '（' + t.outcome_sub_label + '）' : ''}，${fmtDate(t.verified_on)}` : ''}</p>
          ${t.note && html`<p class="small muted">${t.note}</p>`}
        </li>`)}</ul>`}
    </div>
    <div class="card">
      <h2>案件（一人一案）</h2>
      ${!w.case ? html`<p class="muted">没有案件。</p>` : html`<div class="row-between"><${ScreenLink} path=${'/cases/' + w.case.id}>案件 ${w.case.id}<//>
          <${Badge} tone=${tone('case_states', w.case.state)}>${label('case_states', w.case.state)}<//></div>
        <dl class="facts">
          <dt>立案</dt><dd>${fmtDate(w.case.opened_on)}</dd>
          <dt>主要原因</dt><dd>${w.case.reason_label || '—'}</dd>
          <dt>依法控辍</dt><dd>${w.case.ladder ? `第${w.case.ladder}步 ${w.case.ladder_label}` : '尚未启动'}</dd>
          ${w.case.state === 'open' && html`<dt>首次走访</dt><dd>${w.case.first_visit_done ? html`<${Badge} tone="ok">已完成（当面）<//>`
            : html`截止 ${fmtDate(w.case.first_visit_due)} <span class="muted small">须入户走访或当面约谈</span>`}</dd>`}
          ${w.case.outcome_label && html`<dt>劝返结果</dt><dd>${w.case.outcome_label} ${w.case.outcome_school} ${fmtDate(w.case.outcome_on)}</dd>`}
          ${w.case.closed_on && html`<dt>销号</dt><dd>${fmtDate(w.case.closed_on)}</dd>`}
        </dl>`}
    </div>
    <div class="card span-2">
      <h2>时间线</h2>
      <${Timeline} items=${w.timeline} empty=${html`<${EmptyState} title="还没有记录">核查、劝返、依法控辍和回访的每一步都会记在这里。<//>`} />
    </div>
  </section>`;
}
