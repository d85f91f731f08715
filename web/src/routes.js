// Every screen of the UI, in nav order. A screen is one file under screens/, loaded when first
// visited (code splitting keeps the first screen small). `perm` is the permission the session
// must list (GET /api/v1/session → user.permissions); the nav shows only what the user may use.
// The API's own permission where one route serves the screen (children, summary, upload…);
// tasks_read and cases_read where the role's reach decides (a school reads its pupils' tasks and
// cases, a department none of them: the server says which in the session).
// To add a screen: write screens/NAME.js exporting `default function Screen({params, query})`,
// add a row here. Nothing else.
export const routes = [
  { path: '/', title: '首页', nav: true, perm: 'summary', load: () => import('./screens/dashboard.js') },
  // issue 18: the province's and the cities' accounts — the counties of their area
  { path: '/counties', title: '各县指标', nav: true, perm: 'province', load: () => import('./screens/counties.js') },
  // issue 17: the ranking, linked from the dashboard's indicators (no nav entry)
  { path: '/ranking', title: '排名', perm: 'summary', load: () => import('./screens/ranking.js') },
  { path: '/children', title: '台账', nav: true, perm: 'children', load: () => import('./screens/children.js') },
  { path: '/children/:id', title: '学生档案', perm: 'children', load: () => import('./screens/child.js') },
  { path: '/groups', title: '重点群体', nav: true, perm: 'groups_read', load: () => import('./screens/groups.js') },
  { path: '/verify', title: '核查', nav: true, perm: 'tasks_read', load: () => import('./screens/verify.js') },
  { path: '/verify/:id', title: '核查任务', perm: 'tasks_read', load: () => import('./screens/verify-task.js') },
  { path: '/cases', title: '个案', nav: true, perm: 'cases_read', load: () => import('./screens/cases.js') },
  { path: '/cases/:id', title: '个案', perm: 'cases_read', load: () => import('./screens/case.js') },
  { path: '/send-teaching', title: '送教上门', nav: true, perm: 'placements_read', load: () => import('./screens/send-teaching.js') },
  { path: '/attendance', title: '考勤', nav: true, perm: 'attendance_read', load: () => import('./screens/attendance.js') },
  { path: '/tasks', title: '待办', nav: true, perm: 'todo', load: () => import('./screens/tasks.js') },
  // issue 17: the monthly report's confirmation
  { path: '/monthly', title: '月报', nav: true, perm: 'summary', load: () => import('./screens/monthly.js') },
  { path: '/aid', title: '应助尽助', nav: true, perm: 'aid_read', load: () => import('./screens/aid.js') },
  { path: '/left-behind', title: '留守儿童', nav: true, perm: 'care_read', load: () => import('./screens/left-behind.js') },
  { path: '/warnings', title: '预警处置', nav: true, perm: 'atrisk_read', load: () => import('./screens/warnings.js') },
  { path: '/at-risk', title: '预警名单', nav: true, perm: 'atrisk_read', load: () => import('./screens/at-risk.js') },
  { path: '/separation', title: '人籍分离', nav: true, perm: 'attendance_read', load: () => import('./screens/separation.js') },
  // issue 16: the wellbeing ledgers (the mental-health one for the accounts granted it)
  { path: '/illness', title: '疾病台帐', nav: true, perm: 'illness_read', load: () => import('./screens/illness.js') },
  { path: '/mental-health', title: '心理健康台帐', nav: true, perm: 'mental_health', load: () => import('./screens/mental.js') },
  // issue 17: 督导检查 and 限期整改 (the county's roles every inspection, a township or school its own)
  { path: '/inspections', title: '督导检查', nav: true, perm: 'inspections_read', load: () => import('./screens/inspections.js') },
  { path: '/inspections/:id', title: '督导检查', perm: 'inspections_read', load: () => import('./screens/inspections.js') },
  // issue 17: the 通报 (issued by the county; read by supervisors and townships)
  { path: '/bulletins', title: '通报', nav: true, perm: 'bulletins_read', load: () => import('./screens/bulletins.js') },
  // issue 17: 联席会议 (a department: its own decisions) and 约谈
  { path: '/meetings', title: '联席会议', nav: true, perm: 'meetings_read', load: () => import('./screens/meetings.js') },
  { path: '/meetings/:id', title: '联席会议', perm: 'meetings_read', load: () => import('./screens/meeting.js') },
  { path: '/interviews', title: '约谈', nav: true, perm: 'interviews_read', load: () => import('./screens/interviews.js') },
  { path: '/interviews/:id', title: '约谈', perm: 'interviews_read', load: () => import('./screens/interview.js') },
  // issue 17: 招生入学
  { path: '/entrants', title: '招生入学', nav: true, perm: 'entrants_read', load: () => import('./screens/entrants.js') },
  { path: '/registration', title: '户籍问题', nav: true, perm: 'registration', load: () => import('./screens/registration.js') },
  { path: '/review', title: '人工复核', nav: true, perm: 'review', load: () => import('./screens/review.js') },
  { path: '/imports', title: '数据导入', nav: true, perm: 'upload', load: () => import('./screens/imports.js') },
  { path: '/runs', title: '比对', nav: true, perm: 'import', load: () => import('./screens/runs.js') },
  { path: '/admin', title: '系统管理', nav: true, perm: 'accounts', load: () => import('./screens/admin.js') },
  { path: '/outbox', title: '待发送', perm: 'session', load: () => import('./screens/outbox.js') },
  { path: '/account', title: '我的账号', perm: 'session', load: () => import('./screens/account.js') },
  { path: '/login', title: '登录', public: true, load: () => import('./screens/login.js') },
];
