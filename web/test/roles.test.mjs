// Every role's screens (issue 14). Each role signs in on a phone (375 px) and walks every screen
// its nav offers, the lists' other states, the first record of each list (a child, a task, a
// case) and its own account, reading each at 375 px and at 1440 px with its folds open, its
// placeholders and tooltips and its charts' words. The walk fails on English in what a screen shows — an ASCII word of
// three or more letters that is not a proper noun or a format of the allow-list — and on any
// request whose path or query holds "undefined" (a screen that asked before it knew the id).
// Then the school's job: its 结对教师 records a 劝返 and, once the child is back, a follow-up;
// and the phone and address that the people assigned to a child read, and no one else. And the
// village's (村（社区）): its cadre, whose account is linked to him in the registry, records a
// verification outcome on a phone for a child of its village, and reaches no other village.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DESKTOP, PHONE, TOWNSHIP, addUser, run, settled, shoot, signedIn, sql, startAll, stopAll } from './harness.mjs';

let server, browser;
let tiedSchool;  // a school with a pupil whose task is open: its account "school-tied"
let village, cadre;  // the village of 龙港镇 with the most open tasks, and its 村干部: "village-tied"
before(async () => {
  ({ server, browser } = await startAll());
  const [code] = sql(server.db, `SELECT sr.school_code FROM verify_task v
    JOIN child_status cs ON cs.run_id = v.run_id AND cs.record_id = v.record_id
    JOIN record sr ON sr.id = cs.school_record
    WHERE v.state = 'open' AND sr.school_code <> '' ORDER BY v.id LIMIT 1`).split('|');
  tiedSchool = code;
  addUser(server.db, 'school-tied', ['--role', 'school', '--school', code]);
  village = sql(server.db, `SELECT r.village FROM verify_task v JOIN record r ON r.id = v.record_id
    WHERE v.state = 'open' AND v.township_code = '${TOWNSHIP}' GROUP BY r.village ORDER BY count(*) DESC, r.village LIMIT 1`);
  cadre = sql(server.db, `SELECT p.id || '|' || p.name FROM person p WHERE p.org_kind = 'village'
    AND p.township_code = '${TOWNSHIP}' AND p.org LIKE '${village}%' ORDER BY p.id LIMIT 1`).split('|');
  addUser(server.db, 'village-tied', ['--role', 'village', '--township', TOWNSHIP, '--villages', village, '--person', cadre[0]]);
});
after(() => stopAll(server, browser));

// Words a user may read in Latin letters: formats, products and the program's own name.
const ALLOW = new Set(['PDF', 'CSV', 'XLSX', 'XLS', 'JSON', 'WPS', 'EXCEL', 'ID', 'BAOXUE', 'WORD']);

/** The English words (3+ ASCII letters, not allowed) in the text a screen shows. Login names
 * (the accounts' and the command line's, as the audit trail records them) are data a user typed,
 * like a child's name; a hash's hex digits are a format. */
function english(text) {
  const names = new Set(sql(server.db, 'SELECT name FROM app_user UNION SELECT actor FROM audit').split('\n'));
  const clean = text.replace(/[A-Za-z0-9_.@-]+/g, t => (names.has(t) || /^[0-9a-f]{8,}$/.test(t) ? ' ' : t));
  return [...new Set((clean.match(/[A-Za-z]{3,}/g) || []).filter(w => !ALLOW.has(w.toUpperCase())))];
}

const EXTRA = {
  '#/children': ['#/children?status=dropped_out', '#/children?status=enrolled', '#/children?status=suspected'],
  '#/verify': ['#/verify?state=all'],
  '#/cases': ['#/cases?state=all', '#/cases?state=returned'],
  '#/admin': ['#/admin?tab=people', '#/admin?tab=settings', '#/admin?tab=audit'],
  '#/runs': [],
};
// a record's screen: a child, a task, a case, a pair to review, a cross-check's changes
const DETAIL = /^#\/(children|verify|cases|review|runs|inspections)(?:\/\d+|\?(?:id|run)=\d+)$/;

/**
 * What a screen shows at 375 px and at 1440 px (some text shows at one width only): its text
 * with every fold (<details>) open, the placeholders and tooltips, and the words its charts
 * draw on their canvas (axis categories, series and legend names, from the chart's option).
 */
async function visible(page) {
  const texts = [];
  for (const vp of [PHONE, DESKTOP]) {
    await page.setViewportSize(vp);
    await page.evaluate(() => document.querySelectorAll('details').forEach(d => { d.open = true; }));
    await page.waitForTimeout(50);
    texts.push(await page.locator('body').innerText());
  }
  await page.setViewportSize(PHONE);
  texts.push(...await page.evaluate(() => [
    ...[...document.querySelectorAll('[placeholder], [title]')].map(e => `${e.getAttribute('placeholder') || ''} ${e.getAttribute('title') || ''}`),
    ...[...document.querySelectorAll('.chart')].filter(e => e.chart).map(e => {
      const o = e.chart.getOption();
      const names = [...(o.series || []).map(x => x.name), ...(o.legend || []).flatMap(l => l.data || [])];
      const axes = [...(o.xAxis || []), ...(o.yAxis || [])].flatMap(a => a.data || []);
      return [...names, ...axes].map(x => (typeof x === 'object' && x ? x.name || x.value : x)).join(' ');
    }),
  ]));
  return texts.join('\n');
}

async function walk(role) {
  const page = await signedIn(browser, server.url, role, PHONE);
  const stray = [];
  page.on('request', r => {
    const u = new URL(r.url());
    if (/undefined/.test(u.pathname + u.search)) stray.push(`${u.pathname}${u.search}（在 ${page.url().split('#')[1]}）`);
  });
  await settled(page);
  const nav = await page.locator('#main-nav > a').evaluateAll(as => as.map(a => a.getAttribute('href')));
  const todo = [...nav, '#/account'];
  const seen = new Set();
  const found = [];
  const details = new Set();
  while (todo.length) {
    const href = todo.shift();
    if (seen.has(href)) continue;
    seen.add(href);
    await page.goto(server.url + '/' + href);
    await settled(page);
    const words = english(await visible(page));
    if (words.length) found.push(`${href}: ${words.join(' ')}`);
    for (const more of EXTRA[href] || []) todo.push(more);
    // back from a record to its list, as a user does (the crumb, or the nav): no request may
    // go out for the record's screen without its id
    const back = DETAIL.exec(href);
    if (back) {
      await page.goto(server.url + '/#/' + back[1]);
      await settled(page);
    }
    // the first record of each kind a list links to
    const links = await page.locator('main a[href^="#/"]').evaluateAll(as => as.map(a => a.getAttribute('href')));
    for (const l of links) {
      const kind = DETAIL.exec(l);
      if (kind && !details.has(kind[1])) { details.add(kind[1]); todo.push(l); }
    }
  }
  await page.context().close();
  return { nav, seen: [...seen], found, stray };
}

describe('every screen of every role', () => {
  for (const role of ['admin', 'county', 'supervisor', 'township', 'school-tied', 'village-tied', 'department']) {
    test(`${role}: Chinese on every screen, no request for an undefined id`, async () => {
      const w = await walk(role);
      assert.ok(w.seen.length >= 3, `${role} walked ${w.seen.join(' ')}`);
      assert.deepEqual(w.found, [], `English on ${role}'s screens:\n${w.found.join('\n')}`);
      assert.deepEqual(w.stray, [], `requests for an undefined id by ${role}:\n${w.stray.join('\n')}`);
    });
  }
});

/** The csrf token of a signed-in page, for the county's writes that set a scene up. */
async function post(page, path, data) {
  const { csrf_token: csrf } = await (await page.request.get(server.url + '/api/v1/session')).json();
  const r = await page.request.post(server.url + '/api/v1' + path, { headers: { 'X-CSRF-Token': csrf }, data });
  const j = await r.json();
  assert.ok(r.ok(), `${path}: ${JSON.stringify(j)}`);
  return j;
}

describe("a school's job", () => {
  test('its 结对教师 records a 劝返 and a follow-up on a pupil\'s case; the phone and address for it, not for the supervisor', async () => {
    const task = sql(server.db, `SELECT min(v.id) FROM verify_task v
      JOIN child_status cs ON cs.run_id = v.run_id AND cs.record_id = v.record_id
      JOIN record sr ON sr.id = cs.school_record WHERE v.state = 'open' AND sr.school_code = '${tiedSchool}'`);
    const [school, township] = sql(server.db, `SELECT sr.school_name, v.township_code FROM verify_task v
      JOIN child_status cs ON cs.run_id = v.run_id AND cs.record_id = v.record_id
      JOIN record sr ON sr.id = cs.school_record WHERE v.id = ${task}`).split('|');
    const [phone, address] = sql(server.db, `SELECT r.phone, r.address FROM verify_task v JOIN record r ON r.id = v.record_id WHERE v.id = ${task}`).split('|');
    // the county confirms the child out of school and pairs a teacher of the school with it
    const county = await signedIn(browser, server.url, 'county');
    const by = sql(server.db, `SELECT min(id) FROM person WHERE township_code = '${township}'`);
    await post(county, `/verify/${task}/outcome`, { outcome: '确认失学辍学', by, reason: '厌学' });
    const id = sql(server.db, `SELECT id FROM case_file WHERE task_id = ${task}`);
    const teacher = await post(county, '/people', { name: '结对张老师', org: school, org_kind: '学校', role: '班主任' });
    await post(county, `/cases/${id}/assign`, { teacher: String(teacher.id), reason: '结对帮扶' });
    // the school's account is that teacher's (the admin links it): the people assigned read the
    // guardian's phone and address, no one else
    run(['user', '--db', server.db, 'person', 'school-tied', String(teacher.id)]);

    const page = await signedIn(browser, server.url, 'school-tied', PHONE);
    await settled(page);
    await page.getByRole('button', { name: '菜单' }).click();
    assert.deepEqual(await page.locator('#main-nav > a').allTextContents(), ['台账', '重点群体', '核查', '个案', '送教上门', '考勤', '待办', '应助尽助', '留守儿童', '预警处置', '预警名单', '人籍分离', '疾病台帐', '督导检查', '约谈', '招生入学']);
    await page.locator('#main-nav').getByRole('link', { name: '个案' }).click();
    await settled(page);
    await page.locator(`a[href="#/cases/${id}"]`).click();
    await settled(page);
    // the family's phone to tap and the address: the school's teacher is assigned to the case
    const tel = page.locator(`a[href="tel:${phone}"]`);
    assert.equal((await tel.textContent()).trim(), phone);
    await page.getByText(address).waitFor();
    assert.ok(Number(sql(server.db, `SELECT count(*) FROM audit WHERE action = 'read_full' AND actor = 'school-tied' AND target = 'case:${id}'`)) >= 1);
    // only what the API takes from a school: its teacher's 劝返, nothing of the township's
    for (const name of ['调整责任人', '记录劝返结果', '启动依法控辍', '劝返复学通知书']) {
      assert.equal(await page.getByRole('button', { name }).count(), 0, name);
    }
    await page.getByRole('button', { name: '记录一次劝返' }).click();
    await page.getByLabel('入户走访（当面）').check();
    await page.getByLabel('参加人员').fill('班主任张老师、家长');
    await page.locator('#at-result').fill('家长同意下周一送孩子返校');
    await page.getByRole('button', { name: '保存劝返记录' }).click();
    await page.locator('.banner-ok').getByText(/劝返记录/).waitFor();
    assert.equal(sql(server.db, `SELECT recorded_by FROM attempt WHERE case_id = ${id} ORDER BY id DESC LIMIT 1`), 'school-tied');
    await shoot(page, 'case-school-teacher');

    // back at school: the school records the follow-ups of its returner
    await post(county, `/cases/${id}/resolve`, { outcome: '复学', school, grade: '五年级' });
    await page.reload();
    await settled(page);
    await page.getByRole('button', { name: '记录回访' }).click();
    await page.getByLabel('在校', { exact: true }).check();
    await page.getByLabel('回访人').selectOption(String(teacher.id));
    await page.getByRole('button', { name: '保存回访' }).click();
    await page.locator('.banner-ok').getByText(/回访/).waitFor();
    assert.equal(sql(server.db, `SELECT count(*) FROM follow_up WHERE case_id = ${id}`), '1');
    assert.equal(await page.getByRole('button', { name: '销号' }).count(), 0);
    await page.context().close();
    await county.context().close();

    // the supervisor reads the case with the phone masked and no address
    const sup = await signedIn(browser, server.url, 'supervisor', PHONE);
    await sup.goto(server.url + `/#/cases/${id}`);
    await settled(sup);
    await sup.getByText(phone.slice(0, 3) + '****' + phone.slice(-4)).waitFor();
    assert.equal(await sup.locator('a[href^="tel:"]').count(), 0);
    assert.equal(await sup.getByText(address).count(), 0);
    assert.equal(await sup.getByRole('button', { name: '记录一次劝返' }).count(), 0);
    await sup.context().close();
  });

  test("the township's cadre: the task's phone as a tel: link and the address", async () => {
    // a task the township account's cadre is assigned to (harness.mjs links the account to him)
    const task = sql(server.db, `SELECT min(v.id) FROM verify_task v WHERE v.state = 'open' AND v.township_code = '140521100'
      AND (SELECT a.person_id FROM assignment a WHERE a.task_id = v.id AND a.role = 'township' ORDER BY a.id DESC LIMIT 1) = (SELECT person_id FROM app_user WHERE name = 'township')`);
    assert.ok(task, 'a task of the cadre');
    const [phone, address] = sql(server.db, `SELECT r.phone, r.address FROM verify_task v JOIN record r ON r.id = v.record_id WHERE v.id = ${task}`).split('|');
    const page = await signedIn(browser, server.url, 'township', PHONE);
    await page.goto(server.url + `/#/verify/${task}`);
    await settled(page);
    assert.equal((await page.locator(`a[href="tel:${phone}"]`).textContent()).trim(), phone);
    await page.getByText(address).waitFor();
    await shoot(page, 'verify-task-contact');
    await page.context().close();
  });
});

describe("a village's job", () => {
  test('its cadre records a verification outcome for a child of the village on a phone; the next village does not exist for it', async () => {
    const task = sql(server.db, `SELECT min(v.id) FROM verify_task v JOIN record r ON r.id = v.record_id
      WHERE v.state = 'open' AND v.township_code = '${TOWNSHIP}' AND r.village = '${village}'`);
    const next = sql(server.db, `SELECT min(v.id) FROM verify_task v JOIN record r ON r.id = v.record_id
      WHERE v.township_code = '${TOWNSHIP}' AND r.village <> '${village}'`);
    const page = await signedIn(browser, server.url, 'village-tied', PHONE);
    await settled(page);
    await page.getByRole('button', { name: '菜单' }).click();
    assert.deepEqual(await page.locator('#main-nav > a').allTextContents(), ['核查', '个案']);
    await page.locator('#main-nav').getByRole('link', { name: '核查' }).click();
    await settled(page);
    const places = new Set((await page.locator('table.table tbody td[data-label="户籍地"]').allTextContents()).map(t => t.trim()));
    assert.deepEqual([...places], [`龙港镇 ${village}`]);
    await page.locator(`a[href="#/verify/${task}"]`).first().click();
    await settled(page);
    await page.getByRole('heading', { name: '记录核查结论' }).waitFor();
    await page.getByLabel('确认失学辍学').check();
    // the cadre is who the account is: he records, without choosing himself
    assert.equal(await page.getByLabel('核查人').inputValue(), cadre[0]);
    await page.getByLabel('主要原因').selectOption({ label: '外出打工' });
    await page.getByLabel('情况说明').fill('入户核实：孩子随父母外出，未在任何学校就读');
    await shoot(page, 'verify-village');
    await page.getByRole('button', { name: '保存核查结论' }).click();
    await page.getByText(/已记录核查任务 \d+ 的结论：确认失学辍学/).waitFor();
    await settled(page);
    assert.equal(sql(server.db, `SELECT state || '/' || outcome || '/' || verified_by FROM verify_task WHERE id = ${task}`), `closed/out_of_school/${cadre[0]}`);
    // the timeline names the cadre, not the login
    await page.locator('.tl-meta', { hasText: `${cadre[1]} 录入于` }).first().waitFor();
    // what the township keeps: assigning; and another village's task is not there
    assert.equal(await page.getByRole('button', { name: '调整责任人' }).count(), 0);
    await page.goto(server.url + `/#/verify/${next}`);
    await settled(page);
    await page.getByText(/没有这个编号|不在您的管辖范围/).first().waitFor();
    await page.goto(server.url + '/#/account');
    await settled(page);
    await page.getByText(cadre[1]).first().waitFor();
    await page.getByText(`龙港镇 ${village}`).waitFor();
    await page.context().close();
  });
});
