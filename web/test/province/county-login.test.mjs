// 登录 on a province's server (one server for every county of its database; ctest
// web.province_login, under tests/pg_cluster.py), on a phone (375 px). The login page lists the
// counties above 用户名, grouped by city, after the choice of the province's and the cities' own
// accounts. A county's account signs in within the county chosen: its data, the county's name
// under the brand and in the account's line, and the choice remembered by the browser. The
// same user name in another county is another person (another role, another landing screen);
// a county that is not the account's is refused as a wrong password is; the province's account
// signs in without a county and lands on 各县指标 as before. The records kept offline belong to
// the account of its county: the 'zhang' of 沁水县 does not see what the 'zhang' of 阳城县 left
// unsent in the same browser.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { CHROMIUM, PASSWORD, PHONE, YANGCHENG_TOWNSHIP, launch, settled, shoot, startProvinceServer } from '../harness.mjs';

if (!existsSync(CHROMIUM)) {
  console.log(`SKIP: ${CHROMIUM} not found — the browser tests need Debian's chromium`);
  process.exit(77);
}

let server, browser;
before(async () => {
  server = await startProvinceServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

const PROVINCE_CHOICE = '省、市教育部门（省教育厅、市教育局账号）';
const fits = page => page.evaluate(() => document.documentElement.scrollWidth <= 375);

/** The login page in a fresh context (own cookies, own storage) at 375 px. */
async function loginPage() {
  const context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
  const page = await context.newPage();
  page.on('pageerror', e => { throw new Error('page error: ' + e.message); });
  await page.goto(server.url + '/#/login');
  await page.getByLabel('所在县（区）').waitFor();
  return page;
}

/** Choose the county (its name as listed, or PROVINCE_CHOICE), sign in, and wait for the outcome. */
async function signIn(page, county, user, { fails = false } = {}) {
  await page.getByLabel('所在县（区）').selectOption({ label: county });
  await page.getByLabel('用户名').fill(user);
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  if (fails) {
    // refused: the password emptied for the next try, and why
    await page.waitForFunction(() => document.getElementById('password').value === '');
    return page.getByRole('alert').textContent();
  }
  await page.waitForSelector('header.topbar');
  await settled(page);
  return null;
}

/** The account's line (at the end of the menu on a phone), read where the user sees it. */
async function accountLine(page) {
  await page.getByRole('button', { name: '菜单' }).click();
  const role = page.locator('.user-role');
  await role.waitFor();
  const text = await role.textContent();
  await page.getByRole('button', { name: '菜单' }).click();
  return text;
}

async function signOut(page) {
  await page.getByRole('button', { name: '菜单' }).click();
  await page.getByRole('button', { name: '退出', exact: true }).click();
  await page.getByLabel('用户名').waitFor();
}

async function apiGet(page, path) {
  const r = await page.context().request.get(server.url + '/api/v1' + path);
  assert.equal(r.status(), 200, path);
  return r.json();
}

describe('省级服务器的登录', () => {
  test("a county's account chooses its county, works in its data, and the choice is remembered", async () => {
    const page = await loginPage();
    const select = page.getByLabel('所在县（区）');
    // the province's and the cities' accounts first, then the counties by city
    assert.deepEqual(await select.locator('option').allTextContents(), [PROVINCE_CHOICE, '沁水县', '阳城县', '榆次区']);
    assert.deepEqual(await select.locator('optgroup').evaluateAll(gs => gs.map(g => g.label)), ['晋城市', '晋中市']);
    assert.equal(await select.inputValue(), '');
    await page.getByText('请选择账号所在的县（区）', { exact: false }).waitFor();
    // above 用户名
    const [county, name] = await Promise.all([select.boundingBox(), page.getByLabel('用户名').boundingBox()]);
    assert.ok(county.y < name.y);
    assert.ok(await fits(page));
    await shoot(page, 'province-login');

    await signIn(page, '沁水县', 'zhang');
    // the county's own home screen, the county under the brand and in the account's line
    assert.match(page.url(), /#\/$/);
    await page.getByRole('heading', { name: '首页 · 全县' }).waitFor();
    assert.equal(await page.locator('.brand-county').textContent(), '沁水县');
    assert.equal(await accountLine(page), '县教育局 · 沁水县');
    assert.ok(await fits(page));
    await shoot(page, 'province-county-home');
    // its children: 沁水县's
    await page.goto(server.url + '/#/children');
    await settled(page);
    assert.ok(await page.locator('table.table tbody tr').count() > 0);
    const children = await apiGet(page, '/children?limit=50');
    assert.ok(children.items.length > 0);
    for (const c of children.items) assert.match(c.township_code, /^140521/);
    await page.locator('table.table tbody').getByText('龙港镇').first().waitFor();
    assert.ok(await fits(page));
    await shoot(page, 'province-county-children');
    // 我的账号 names the county in full
    await page.goto(server.url + '/#/account');
    await settled(page);
    await page.getByText('山西省晋城市沁水县', { exact: true }).waitFor();

    // signing out: the next time on this phone, 沁水县 is chosen already
    await signOut(page);
    assert.equal(await page.getByLabel('所在县（区）').inputValue(), '140521');
    await page.reload();
    await page.getByLabel('所在县（区）').waitFor();
    assert.equal(await page.getByLabel('所在县（区）').inputValue(), '140521');
    // and nothing of the session stays in the browser's cache: the list of counties the login
    // page reads is not kept there (it would be the cache again)
    await page.waitForLoadState('networkidle');
    assert.equal(await page.evaluate(async () => (await caches.keys()).includes('baoxue-api')), false);
    await page.context().close();
  });

  test("the same name in 阳城县 is another county's account, and its unsent records are its own", async () => {
    const page = await loginPage();
    const context = page.context();
    await signIn(page, '阳城县', 'zhang');
    // a township's account of 阳城县: its township's home screen
    await page.getByRole('heading', { name: '首页 · 芹池镇' }).waitFor();
    assert.equal(await page.locator('.brand-county').textContent(), '阳城县');
    assert.equal(await accountLine(page), '乡镇 · 阳城县芹池镇');
    const children = await apiGet(page, '/children?limit=50');
    assert.ok(children.items.length > 0);
    for (const c of children.items) assert.equal(c.township_code, YANGCHENG_TOWNSHIP);
    assert.ok(await fits(page));
    await shoot(page, 'province-county-township-home');

    // a task's outcome recorded with no signal, refused when sent (the county closed the task
    // meanwhile): it stays in this browser, the account's of 阳城县
    const task = server.sql(`SELECT min(id) FROM c140522.verify_task WHERE township_code = '${YANGCHENG_TOWNSHIP}' AND state = 'open'`);
    assert.match(task, /^\d+$/);
    await page.goto(`${server.url}/#/verify/${task}`);
    await settled(page);
    await context.setOffline(true);
    await page.getByLabel('出国').check();
    await page.getByRole('button', { name: '保存核查结论' }).click();
    await page.locator('.offline-badge').getByText('离线 · 待发送 1 条').waitFor();
    const owners = () => page.evaluate(() => new Promise((resolve, reject) => {
      const req = indexedDB.open('baoxue-offline');
      req.onerror = () => reject(req.error);
      req.onsuccess = () => {
        const all = req.result.transaction('queue').objectStore('queue').getAll();
        all.onsuccess = () => { resolve(all.result.map(i => i.user)); req.result.close(); };
        all.onerror = () => reject(all.error);
      };
    }));
    assert.deepEqual(await owners(), ['140522/zhang']);
    server.sql(`UPDATE c140522.verify_task SET state = 'closed', outcome = 'deceased', verified_on = '2026-11-19' WHERE id = ${task}`);
    await context.setOffline(false);
    await page.locator('.offline-badge').getByText('1 条未能发送').waitFor({ timeout: 20000 });

    // the session ends without signing out (the phone's cookies cleared); the 'zhang' of 沁水县
    // signs in on the same phone: nothing of the other's queue is hers
    await context.clearCookies();
    await page.reload();
    await page.getByLabel('所在县（区）').waitFor();
    assert.equal(await page.getByLabel('所在县（区）').inputValue(), '140522');
    await signIn(page, '沁水县', 'zhang');
    assert.equal(await page.locator('.brand-county').textContent(), '沁水县');
    await page.goto(`${server.url}/#/outbox`);
    await settled(page);
    await page.getByText('没有待发送的记录').waitFor();
    assert.equal(await page.locator('.offline-badge').count(), 0);

    // and the 'zhang' of 阳城县 finds hers again, to discard
    await context.clearCookies();
    await page.reload();
    await page.getByLabel('所在县（区）').waitFor();
    await signIn(page, '阳城县', 'zhang');
    await page.locator('.offline-badge').getByText('1 条未能发送').waitFor();
    await page.locator('.offline-badge').click();
    const item = page.locator('.outbox-item').filter({ hasText: `核查任务 ${task}：核查结论` });
    await item.getByText('服务器未接受').waitFor();
    page.once('dialog', d => d.accept());
    await item.getByRole('button', { name: '放弃' }).click();
    await page.getByText('没有待发送的记录').waitFor();
    assert.deepEqual(await owners(), []);
    await context.close();
  });

  test('a county that is not the account\'s is refused as a wrong password is', async () => {
    const page = await loginPage();
    // 榆次区 has no 'zhang'; the province's account is no county's
    assert.equal(await signIn(page, '榆次区', 'zhang', { fails: true }), '用户名或密码错误，请重新输入');
    assert.equal(await page.getByLabel('密码').inputValue(), '');
    assert.equal(await signIn(page, '沁水县', 'province', { fails: true }), '用户名或密码错误，请重新输入');
    assert.equal(await page.locator('header.topbar').count(), 0);
    assert.ok(await fits(page));
    await shoot(page, 'province-login-wrong-county');
    // a refused choice is not remembered
    await page.reload();
    await page.getByLabel('所在县（区）').waitFor();
    assert.equal(await page.getByLabel('所在县（区）').inputValue(), '');
    await page.context().close();
  });

  test("the province's account signs in with 省、市教育部门 and lands on 各县指标", async () => {
    const page = await loginPage();
    await page.getByLabel('所在县（区）').selectOption({ label: '沁水县' });
    await signIn(page, PROVINCE_CHOICE, 'province');
    await page.waitForURL(/#\/counties/);
    await settled(page);
    await page.getByRole('heading', { name: '各县控辍保学指标' }).waitFor();
    assert.equal(await page.locator('.brand-county').count(), 0);
    assert.equal(await accountLine(page), '省教育厅 · 山西省');
    assert.ok(await fits(page));
    // 我的账号 says its reach: the province's counties, in figures only
    await page.goto(page.url().replace(/#.*$/, '#/account'));
    await settled(page);
    await page.getByText('山西省（全省各县，只看统计，不看儿童名单）').waitFor();
    assert.equal(await page.getByText('全县', { exact: true }).count(), 0);
    await signOut(page);
    assert.equal(await page.getByLabel('所在县（区）').inputValue(), '');
    await page.context().close();
  });
});
