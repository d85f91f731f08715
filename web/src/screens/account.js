// 我的账号: who is signed in (in which county, on a province's server), the person of the
// registry the account is (linked by the admin: no device asks), with which role and over which
// region, what the role may do, and when the session ends. Also the landing screen of a role
// with no other screen.
import { html } from '../html.js';
import { useUser, logout } from '../session.js';
import { fmtDateTime } from '../format.js';
import { PageHeader } from '../components/feedback.js';
import { useApi, useTitle } from '../hooks.js';

const PERMS = {
  summary: '查看汇总和台账统计',
  children: '查看儿童名单和学生档案',
  review: '人工复核',
  audit: '查看审计日志',
  full_id: '查看完整身份证号和电话（每次记入审计日志）',
  upload: '上传本部门的名单（须县教育局确认后生效）、查看本部门的上传',
  import: '导入数据、确认部门上传的名单、运行比对',
  registration: '查看乡镇核查发现的户籍问题',
  child_file: '查看儿童的历次比对、核查和案件经过',
  approve: '审批销号（未经办的案件）',
  casework: '核查任务、案件和待办',
  cases: '本范围内儿童的核查任务和案件',
  registry: '维护人员名册',
  settings: '修改系统设置',
  accounts: '管理账号',
  write: '在以上功能中记录和修改',
};

export default function Account() {
  useTitle('我的账号');
  const user = useUser();
  const session = useApi('/session');
  if (!user) return null;
  const region = user.role === 'village' ? `${user.township_name || '乡镇'} ${(user.villages || []).join('、')}`
    : user.township ? `${user.township_name || '乡镇'}（${user.township}）`
    : user.school ? `学校（学校标识码 ${user.school}）` : user.department_label ? user.department_label
    : user.area ? `${user.area.name}（${user.role === 'province' ? '全省各县' : '本市各县'}，只看统计，不看儿童名单）` : '全县';
  const perms = user.permissions || [];
  // "may write" only means something beside a screen that writes
  const doing = Object.keys(PERMS).filter(p => perms.includes(p) && !(p === 'upload' && perms.includes('import')) && !(p === 'cases' && perms.includes('casework')) && (p !== 'write' || perms.some(x => ['casework', 'cases', 'upload', 'import', 'registry', 'settings', 'accounts'].includes(x))));
  return html`<div class="page narrow">
    <${PageHeader} title="我的账号" />
    <section class="card">
      <dl class="facts">
        <dt>本人</dt><dd>${user.person ? html`${user.person.name}<span class="muted">（${user.person.org}）</span>`
          : html`<span class="muted">未关联人员名册中的本人（请系统管理员在“账号和角色”中关联）</span>`}</dd>
        ${user.county && html`<dt>所在县（区）</dt><dd>${user.county.name}</dd>`}
        <dt>用户名</dt><dd>${user.name}</dd>
        <dt>角色</dt><dd>${user.role_label}</dd>
        <dt>范围</dt><dd>${region}</dd>
        <dt>登录有效至</dt><dd>${session.data ? fmtDateTime(session.data.expires_at) : '—'}</dd>
      </dl>
    </section>
    <section class="card">
      <h2>本账号可以</h2>
      <ul class="checklist">
        ${doing.map(p => html`<li>${PERMS[p]}</li>`)}
      </ul>
      ${doing.length === 0 && html`<p class="muted">本账号目前没有可使用的功能。</p>`}
      ${!perms.some(p => p === 'summary' || p === 'children') &&
        html`<p class="muted">本账号目前没有可查看的名单；需要时请联系县教育局系统管理员。</p>`}
    </section>
    <button type="button" class="btn" onClick=${logout}>退出登录</button>
  </div>`;
}
