// Login, logout, lockout, session expiry and the nav each role sees; the children list with its
// filters and paging on the server; masked values with the audited 显示完整.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DESKTOP, PASSWORD, PHONE, addUser, settled, shoot, signedIn, sql, startAll, stopAll } from './harness.mjs';

let server, browser;
before(async () => ({ server, browser } = await startAll()));
after(() => stopAll(server, browser));

const NAV = {
  admin: ['首页', '台账', '重点群体', '核查', '个案', '送教上门', '考勤', '待办', '月报', '应助尽助', '留守儿童', '预警处置', '预警名单', '人籍分离', '疾病台帐', '督导检查', '通报', '联席会议', '约谈', '招生入学', '人工复核', '数据导入', '比对', '系统管理'],
  county: ['首页', '台账', '重点群体', '核查', '个案', '送教上门', '考勤', '待办', '月报', '应助尽助', '留守儿童', '预警处置', '预警名单', '人籍分离', '疾病台帐', '督导检查', '通报', '联席会议', '约谈', '招生入学', '人工复核', '数据导入', '比对'],
  township: ['首页', '台账', '重点群体', '核查', '个案', '送教上门', '考勤', '待办', '月报', '应助尽助', '留守儿童', '预警处置', '预警名单', '人籍分离', '疾病台帐', '督导检查', '通报', '约谈', '招生入学'],
  // a school's 待办: the commitments of its interviews (issue 17)
  school: ['台账', '重点群体', '核查', '个案', '送教上门', '考勤', '待办', '应助尽助', '留守儿童', '预警处置', '预警名单', '人籍分离', '疾病台帐', '督导检查', '约谈', '招生入学'],
  supervisor: ['首页', '台账', '重点群体', '核查', '个案', '送教上门', '考勤', '待办', '月报', '应助尽助', '留守儿童', '预警处置', '预警名单', '人籍分离', '疾病台帐', '督导检查', '通报', '联席会议', '约谈', '招生入学', '人工复核'],
  // the police: neither the aid nor the left-behind children are their duty; its 待办 and 联席会议
  // hold the joint meetings' decisions it owns (issue 17)
  department: ['台账', '待办', '联席会议', '户籍问题', '数据导入'],
};

describe('login', () => {
  test('login screen, wrong password, then in', async () => {
    const ctx = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
    const page = await ctx.newPage();
    await page.goto(server.url + '/');
    await page.waitForSelector('#username');
    assert.match(page.url(), /#\/login/);
    await shoot(page, 'login');
    await page.getByRole('button', { name: '登录' }).click();
    assert.equal(await page.getByRole('alert').textContent(), '请输入用户名');
    await page.getByLabel('用户名').fill('county');
    await page.getByLabel('密码').fill('wrong-password');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByText('用户名或密码错误，请重新输入').waitFor();
    await shoot(page, 'login-error');
    await page.getByLabel('密码').fill(PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForSelector('header.topbar');
    await ctx.close();
  });

  test('lockout shows the seconds to wait', async () => {
    addUser(server.db, 'locked-out', ['--role', 'county']);
    const ctx = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
    const page = await ctx.newPage();
    await page.goto(server.url + '/#/login');
    for (let i = 0; i < 6; i++) {
      await page.getByLabel('用户名').fill('locked-out');
      await page.getByLabel('密码').fill('wrong-' + i);
      await page.getByRole('button', { name: '登录' }).click();
      await page.waitForSelector('[role=alert]');
      await page.waitForFunction(() => !document.querySelector('button[type=submit]').disabled);
    }
    const msg = await page.getByRole('alert').textContent();
    assert.match(msg, /登录失败次数过多，暂时不能从您的地址登录此账号，请 \d+ 秒后再试/);
    await shoot(page, 'login-locked');
    await ctx.close();
  });

  for (const [role, items] of Object.entries(NAV)) {
    test(`${role}: the nav shows only what the role may use`, async () => {
      const page = await signedIn(browser, server.url, role);
      await settled(page);
      const nav = await page.locator('#main-nav > a').allTextContents();
      assert.deepEqual(nav, items);
      // on a desktop (1440 px, and a 1024 px laptop) every item reads on one line: a long menu
      // wraps onto another row rather than standing each name up one character a line
      for (const width of [1440, 1024]) {
        await page.setViewportSize({ width, height: 900 });
        const tall = await page.locator('#main-nav > a').evaluateAll(as => as
          .filter(a => a.getBoundingClientRect().height > 2 * parseFloat(getComputedStyle(a).lineHeight))
          .map(a => a.textContent));
        assert.deepEqual(tall, [], `${width} px: menu items broken over lines`);
        const bar = await page.locator('header.topbar').boundingBox();
        const last = await page.locator('#main-nav > a').last().boundingBox();
        assert.ok(last.y + last.height <= bar.y + bar.height, `${width} px: the menu overflows the top bar`);
      }
      await page.setViewportSize(DESKTOP);
      if (role === 'department') {
        // the police: the children of their own lists, the 户籍问题 outcomes, their uploads
        assert.match(page.url(), /#\/children$/);
        await page.goto(server.url + '/#/registration');
        await settled(page);
        await page.getByRole('heading', { name: '户籍问题' }).waitFor();
        assert.ok(await page.locator('table.table tbody tr').count() >= 1);
        await page.getByRole('button', { name: '查看' }).first().click();
        await page.getByText('情况说明').waitFor();
        // the police's own forms: the 户籍核查反馈表 downloads as xlsx under the account
        const form = page.getByRole('link', { name: '户籍核查反馈表' });
        const href = await form.getAttribute('href');
        assert.match(href, /\/api\/v1\/reports\/registration-feedback\?format=xlsx/);
        const got = await page.request.get(new URL(href, server.url).href);
        assert.equal(got.status(), 200);
        assert.match(got.headers()['content-type'], /spreadsheetml/);
        await shoot(page, 'registration-department');
        await page.goto(server.url + '/#/account');
        await page.getByText('本账号可以').waitFor();
        await shoot(page, 'account-department');
      }
      await page.context().close();
    });
  }

  test('expired session → login → back where one was', async () => {
    const page = await signedIn(browser, server.url, 'county');
    await page.goto(server.url + '/#/children?status=not_enrolled');
    await settled(page);
    sql(server.db, "UPDATE session SET expires_at = 0 WHERE user_id = (SELECT id FROM app_user WHERE name = 'county')");
    await page.getByLabel('状态').selectOption('dropped_out');
    await page.waitForSelector('#username');
    await page.getByText('登录已过期，请重新登录').waitFor();
    assert.match(decodeURIComponent(page.url()), /next=\/children\?status=dropped_out/);
    await shoot(page, 'login-expired');
    await page.getByLabel('用户名').fill('county');
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForSelector('table.table');
    assert.match(page.url(), /#\/children\?status=dropped_out$/);
    await page.context().close();
  });

  test('logout ends the session', async () => {
    const page = await signedIn(browser, server.url, 'county');
    await page.getByRole('button', { name: '退出' }).first().click();
    await page.waitForSelector('#username');
    await page.goto(server.url + '/#/children');
    await page.waitForSelector('#username');
    await page.context().close();
  });

  test('phone: the nav folds into 菜单', async () => {
    const page = await signedIn(browser, server.url, 'county', PHONE);
    await settled(page);
    assert.equal(await page.locator('#main-nav').isVisible(), false);
    await page.getByRole('button', { name: '菜单' }).click();
    assert.equal(await page.locator('#main-nav').isVisible(), true);
    await page.screenshot({ path: (process.env.BAOXUE_WEB_ARTIFACTS || 'build/web-artifacts') + '/nav-open-375.png' });
    await page.locator('#main-nav').getByRole('link', { name: '台账' }).click();
    assert.equal(await page.locator('#main-nav').isVisible(), false);
    await page.context().close();
  });
});

describe('children list', () => {
  test('filters, search and paging go to the server', async () => {
    const page = await signedIn(browser, server.url, 'county');
    await page.goto(server.url + '/#/children');
    await settled(page);
    assert.equal(await page.locator('table.table tbody tr').count(), 50);
    await shoot(page, 'children');
    await page.getByRole('button', { name: '下一页' }).click();
    await settled(page);
    assert.match(page.url(), /page=2/);
    await page.getByLabel('状态').selectOption('not_enrolled');
    await page.waitForURL(/status=not_enrolled/);
    await settled(page);
    assert.doesNotMatch(page.url(), /page=2/);
    const statuses = await page.locator('table.table tbody .badge').allTextContents();
    assert.ok(statuses.length > 0 && statuses.every(s => s === '适龄未入学'), statuses.join());
    const name = (await page.locator('table.table tbody td.primary a').first().textContent()).trim();
    await page.getByLabel('姓名或身份证号').fill(name);
    await page.getByLabel('姓名或身份证号').press('Enter');
    await settled(page);
    const names = await page.locator('table.table tbody td.primary a').allTextContents();
    assert.ok(names.includes(name), names.join());
    await page.context().close();
  });

  test('masked ID: 显示完整 for county (audited), never for supervisor', async () => {
    const page = await signedIn(browser, server.url, 'county');
    await page.goto(server.url + '/#/children?status=not_enrolled');
    await settled(page);
    const cell = page.locator('table.table tbody tr').first().locator('.masked');
    assert.match(await cell.locator('.mono').textContent(), /^\d{6}\*{8}\d{3}[\dX]$/);
    const audits = Number(sql(server.db, "SELECT count(*) FROM audit WHERE action = 'read_full'"));
    await cell.getByRole('button', { name: /显示完整/ }).click();
    await cell.getByText('已记入审计').waitFor();
    assert.match(await cell.locator('.mono').textContent(), /^\d{17}[\dX]$/);
    assert.equal(Number(sql(server.db, "SELECT count(*) FROM audit WHERE action = 'read_full'")), audits + 1);
    await page.context().close();

    const sup = await signedIn(browser, server.url, 'supervisor');
    await sup.goto(server.url + '/#/children');
    await settled(sup);
    assert.equal(await sup.getByRole('button', { name: /显示完整/ }).count(), 0);
    await sup.context().close();
  });

  test('a township user sees only their township', async () => {
    const page = await signedIn(browser, server.url, 'township', PHONE);
    await page.goto(server.url + '/#/children');
    await settled(page);
    const towns = await page.locator('table.table tbody td[data-label="乡镇"]').allTextContents();
    assert.ok(towns.length > 0 && towns.every(t => t.trim() === '龙港镇'), towns.join());
    await page.context().close();
  });
});

describe('vocabularies', () => {
  test('labels and badge colours come from /api/v1/vocab, asked once', async () => {
    // the server's vocabulary with two words changed on the way: the screens must show those
    const context = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
    let asked = 0;
    await context.route('**/api/v1/vocab', async route => {
      asked++;
      const resp = await route.fetch();
      const v = await resp.json();
      const w = v.statuses.find(s => s.key === 'not_enrolled');
      w.label = '测试未入学';
      w.tone = 'ok';
      v.case_states.find(s => s.key === 'open').label = '测试劝返中';
      await route.fulfill({ response: resp, json: v });
    });
    const page = await context.newPage();
    page.on('pageerror', e => { throw new Error('page error: ' + e.message); });
    await page.goto(server.url + '/#/login');
    await page.getByLabel('用户名').fill('county');
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForSelector('header.topbar');
    await page.goto(server.url + '/#/children?status=not_enrolled');
    await settled(page);
    const badges = page.locator('table.table tbody .badge');
    const texts = await badges.allTextContents();
    assert.ok(texts.length > 0 && texts.every(s => s === '测试未入学'), texts.join());
    assert.match(await badges.first().getAttribute('class'), /badge-ok/);
    assert.equal(await page.getByRole('heading', { name: '测试未入学名单' }).count(), 1);
    assert.ok((await page.getByLabel('状态').locator('option').allTextContents()).includes('测试未入学'));
    await page.goto(server.url + '/#/cases?state=open');
    await settled(page);
    const states = await page.locator('table.table tbody td[data-label="状态"] .badge').first().textContent();
    assert.equal(states, '测试劝返中');
    assert.equal(asked, 1);  // kept in memory: one request for the whole visit
    await context.close();
  });
});
