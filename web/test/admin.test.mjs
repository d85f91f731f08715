// 系统管理 (admin only): add an account, disable and enable it, reset its password (and sign in
// with it); register a person and change their post; change a setting (a value out of range is
// refused in Chinese); search the audit log by actor and action, paged on the server.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DESKTOP, PHONE, settled, shoot, signedIn, sql, startAll, stopAll } from './harness.mjs';

let server, browser;
before(async () => ({ server, browser } = await startAll()));
after(() => stopAll(server, browser));

describe('系统管理', () => {
  test('accounts: add, disable, enable, reset the password', async () => {
    const page = await signedIn(browser, server.url, 'admin', DESKTOP);
    await page.getByRole('link', { name: '系统管理', exact: true }).click();
    await settled(page);
    await page.locator('.tabs a[aria-current=page]', { hasText: '账号和角色' }).waitFor();
    await shoot(page, 'admin-users');
    await page.getByRole('button', { name: '新建账号' }).click();
    await page.getByLabel('用户名').fill('zhongcun');
    await page.getByLabel('角色', { exact: true }).selectOption('township');
    await page.getByLabel('乡镇', { exact: true }).selectOption('140521101');
    await page.getByLabel('初始密码').fill('short');
    await page.getByRole('button', { name: '新建', exact: true }).click();
    await page.getByRole('alert').getByText(/密码太短/).waitFor();
    // the rules are shown, and the commonest passwords refused in Chinese
    await page.getByText(/不能是同一字符的重复/).waitFor();
    await page.getByLabel('初始密码').fill('woaini1314');
    await page.getByRole('button', { name: '新建', exact: true }).click();
    await page.getByRole('alert').getByText(/最常见的密码之一/).waitFor();
    await page.getByLabel('初始密码').fill('zhongcun-2026-pass');
    await page.getByRole('button', { name: '新建', exact: true }).click();
    await page.getByText('已新建账号 zhongcun').waitFor();
    assert.equal(sql(server.db, "SELECT role || '/' || township_code FROM app_user WHERE name = 'zhongcun'"), 'township/140521101');
    const row = page.locator('table.table tbody tr', { hasText: 'zhongcun' });
    await row.getByRole('button', { name: '停用' }).click();
    await page.getByText('账号 zhongcun 已停用').waitFor();
    assert.equal(sql(server.db, "SELECT disabled FROM app_user WHERE name = 'zhongcun'"), '1');
    await row.getByRole('button', { name: '启用' }).click();
    await page.getByText('账号 zhongcun 已启用').waitFor();
    await row.getByRole('button', { name: '重设密码' }).click();
    await row.getByLabel('zhongcun 的新密码').fill('another-pass-2026');
    await row.getByRole('button', { name: '保存' }).click();
    await page.getByText('已重设账号 zhongcun 的密码').waitFor();
    await page.context().close();
    const ctx = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
    const p2 = await ctx.newPage();
    await p2.goto(server.url + '/#/login');
    await p2.getByLabel('用户名').fill('zhongcun');
    await p2.getByLabel('密码').fill('another-pass-2026');
    await p2.getByRole('button', { name: '登录' }).click();
    await p2.waitForSelector('header.topbar');
    await ctx.close();
  });

  test('accounts: a school account picks its school by name; an account is its person, whom 我的 shows', async () => {
    // a school of the 学籍 list with a teacher in the registry
    const [pid, pname, prole, name] = sql(server.db, `SELECT id || '|' || name || '|' || role || '|' || org FROM person
      WHERE org_kind = 'school' AND org IN (SELECT school_name FROM record
        WHERE batch_id = (SELECT max(id) FROM batch WHERE kind = 'enrollment')) ORDER BY id DESC LIMIT 1`).split('|');
    const code = sql(server.db, `SELECT min(school_code) FROM record WHERE school_name = '${name}'
      AND batch_id = (SELECT max(id) FROM batch WHERE kind = 'enrollment')`);
    const page = await signedIn(browser, server.url, 'admin', PHONE);
    await page.goto(server.url + '/#/admin?tab=users');
    await settled(page);
    await page.getByRole('button', { name: '新建账号' }).click();
    await page.getByLabel('用户名').fill('xuexiao2');
    await page.getByLabel('角色', { exact: true }).selectOption('school');
    // the school by its name, from the 学籍 list (no code to type)
    const school = page.getByLabel('学校', { exact: true });
    assert.equal(await school.evaluate(el => el.tagName), 'SELECT');
    await school.selectOption({ label: name });
    assert.equal(await school.inputValue(), code);
    await page.getByLabel('本人（人员名册）').selectOption({ label: `${pname}（${name} ${prole}）` });
    await page.getByLabel('初始密码').fill('xuexiao-2026-pass');
    await shoot(page, 'admin-user-school');
    await page.getByRole('button', { name: '新建', exact: true }).click();
    await page.getByText('已新建账号 xuexiao2').waitFor();
    assert.equal(sql(server.db, "SELECT role || '/' || school_code || '/' || person_id FROM app_user WHERE name = 'xuexiao2'"), `school/${code}/${pid}`);
    // listed by the school's name
    const row = page.locator('table.table tbody tr', { hasText: 'xuexiao2' });
    await row.getByText(name).first().waitFor();
    await page.context().close();

    // 我的: the account's person, on any device, without asking
    const me = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
    const p2 = await me.newPage();
    await p2.goto(server.url + '/#/login');
    await p2.getByLabel('用户名').fill('xuexiao2');
    await p2.getByLabel('密码').fill('xuexiao-2026-pass');
    await p2.getByRole('button', { name: '登录' }).click();
    await p2.waitForSelector('header.topbar');
    await p2.goto(server.url + '/#/account');
    await settled(p2);
    const facts = p2.locator('dl.facts');
    await facts.getByText(pname).waitFor();
    await facts.getByText(name).first().waitFor();
    await shoot(p2, 'account-person');
    await me.close();
  });

  test('accounts: a department is picked from the list; an older one is given its department', async () => {
    const page = await signedIn(browser, server.url, 'admin', DESKTOP);
    await page.goto(server.url + '/#/admin?tab=users');
    await settled(page);
    await page.getByRole('button', { name: '新建账号' }).click();
    await page.getByLabel('用户名').fill('minzheng');
    await page.getByLabel('角色', { exact: true }).selectOption('department');
    const options = await page.getByLabel('部门', { exact: true }).locator('option').allTextContents();
    assert.ok(options.some(o => o.startsWith('县公安局（户籍）（可上传：户籍）')), options.join('|'));
    await page.getByLabel('部门', { exact: true }).selectOption('civil_affairs');
    await page.getByLabel('初始密码').fill('minzheng-2026-pass');
    await page.getByRole('button', { name: '新建', exact: true }).click();
    await page.getByText('已新建账号 minzheng').waitFor();
    assert.equal(sql(server.db, "SELECT department FROM app_user WHERE name = 'minzheng'"), 'civil_affairs');
    // an account from before the vocabulary, whose free text names no department
    sql(server.db, "UPDATE app_user SET department = '县局户政科' WHERE name = 'minzheng'");
    await page.reload();
    await settled(page);
    const row = page.locator('table.table tbody tr', { hasText: 'minzheng' });
    await row.getByText('未指定部门，不能上传').waitFor();
    await shoot(page, 'admin-users-department');
    await row.getByRole('button', { name: '指定部门' }).click();
    await row.getByLabel('minzheng 的部门').selectOption('police');
    await row.getByRole('button', { name: '保存' }).click();
    await page.getByText('已为账号“minzheng”指定部门：县公安局（户籍）').waitFor();
    assert.equal(sql(server.db, "SELECT department FROM app_user WHERE name = 'minzheng'"), 'police');
    await page.context().close();
  });

  test('people registry: register, change', async () => {
    const page = await signedIn(browser, server.url, 'admin', DESKTOP);
    await page.goto(server.url + '/#/admin?tab=people');
    await settled(page);
    await page.getByRole('button', { name: '登记人员' }).click();
    await page.getByLabel('姓名').fill('王建国');
    await page.getByLabel('联系电话').fill('13912345678');
    await page.getByLabel('工作单位').fill('中村镇人民政府');
    await page.getByLabel('单位类别').selectOption('乡镇');
    await page.locator('#p-township').selectOption('140521101');
    await page.getByLabel('职务').fill('包保干部');
    await page.getByRole('button', { name: '登记', exact: true }).click();
    await page.getByText(/已登记 王建国（编号 \d+）/).waitFor();
    await settled(page);
    await page.getByRole('button', { name: '修改 王建国' }).click();
    await page.getByLabel('职务').fill('教办主任');
    await page.getByRole('button', { name: '保存修改' }).click();
    await page.locator('.banner-ok').waitFor();
    assert.equal(sql(server.db, "SELECT role || '/' || township_code FROM person WHERE name = '王建国'"), '教办主任/140521101');
    await settled(page);
    await shoot(page, 'admin-people');
    await page.context().close();
  });

  test('settings: a deadline changed, a value out of range refused', async () => {
    const page = await signedIn(browser, server.url, 'admin', DESKTOP);
    await page.goto(server.url + '/#/admin?tab=settings');
    await settled(page);
    const form = page.getByRole('form', { name: '核查期限（天）' });
    await form.getByRole('textbox').fill('999');
    await form.getByRole('button', { name: '保存' }).click();
    await form.getByRole('alert').getByText(/超出有效范围，应为 1 到 366 的整数/).waitFor();
    await form.getByRole('textbox').fill('12');
    await form.getByRole('button', { name: '保存' }).click();
    await page.getByText(/已修改设置“核查期限（天）”/).waitFor();
    assert.equal(sql(server.db, "SELECT value FROM setting WHERE key = 'casework_verify_days'"), '12');
    await settled(page);
    await shoot(page, 'admin-settings');
    await page.context().close();
  });

  test('audit log: search by actor and action, paged on the server', async () => {
    const page = await signedIn(browser, server.url, 'admin', PHONE);
    await page.goto(server.url + '/#/admin?tab=audit');
    await settled(page);
    await page.getByText(/共 \d+ 条记录/).waitFor();
    await page.getByRole('button', { name: '筛选' }).click();
    await page.getByLabel('操作人').fill('admin');
    await page.getByLabel('操作人').press('Enter');
    await page.waitForURL(/actor=admin/);
    // the action by the word the log shows (issue 14: 登录 used to find nothing)
    await page.locator('#f-action').fill('登录');
    await page.locator('#f-action').press('Enter');
    await page.waitForURL(/action=%E7%99%BB%E5%BD%95/);
    // the URL changes before the table is drawn again: wait for the table that answers it
    await page.waitForFunction(() => {
      const cells = [...document.querySelectorAll('table.table tbody td[data-label="操作"]')];
      return cells.length > 0 && cells.every(c => c.textContent.trim() === '登录');
    }, null, { timeout: 15000 });
    await settled(page);
    const actions = await page.locator('table.table tbody td[data-label="操作"]').allTextContents();
    const actors = await page.locator('table.table tbody td[data-label="操作人"]').allTextContents();
    assert.ok(actions.length > 0 && actions.every(a => a.trim() === '登录'), actions.join());
    const origins = await page.locator('table.table tbody td[data-label="来源"]').allTextContents();
    assert.ok(origins.every(o => /^网页或接口（127\.0\.0\.1）$/.test(o.trim())), origins.join());
    assert.ok(actors.every(a => a.trim() === 'admin'), actors.join());
    assert.match(page.url(), /tab=audit/);
    await shoot(page, 'admin-audit');
    await page.context().close();
  });

  test('county: no 系统管理 in the nav, and the screen says so by URL', async () => {
    const page = await signedIn(browser, server.url, 'county', DESKTOP);
    assert.equal(await page.locator('#main-nav').getByRole('link', { name: '系统管理' }).count(), 0);
    await page.goto(server.url + '/#/admin');
    await page.getByText('您的账号无权使用此页面。').waitFor();
    await page.context().close();
  });
});
