// 重点群体 (issue 15): the screen of the groups' school-age children by township on a phone,
// its xlsx, a count that opens the 台账 of that group; the 台账's group filter and column; a
// department (乡村振兴) sees its own groups only.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PHONE, addUser, settled, shoot, signedIn, startAll, stopAll } from './harness.mjs';

let server, browser;
before(async () => {
  ({ server, browser } = await startAll());
  addUser(server.db, 'rural', ['--role', 'department', '--department', '乡村振兴']);
});
after(() => stopAll(server, browser));

describe('重点群体', () => {
  test('county on a phone: the table by group and township, its xlsx, and a count opens its list', async () => {
    const page = await signedIn(browser, server.url, 'county', PHONE);
    await settled(page);
    await page.goto(server.url + '/#/groups');
    await settled(page);
    await page.getByRole('heading', { name: '重点群体在校情况' }).waitFor();
    const rows = page.locator('table.table tbody tr');
    assert.ok(await rows.count() > 10);
    const text = await page.locator('table.table').textContent();
    for (const word of ['脱贫户', '低保', '残疾儿童', '合计（每名儿童计一次）', '本县在校', '送教上门', '确认失学辍学'])
      assert.ok(text.includes(word), word);
    // nothing wider than the phone
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= PHONE.width, `page is ${width}px wide`);
    await shoot(page, 'groups-phone');
    const href = await page.getByRole('link', { name: '下载Excel' }).getAttribute('href');
    assert.match(href, /reports\/groups-status\?.*format=xlsx/);
    const xlsx = await page.request.get(new URL(href, server.url).href);
    assert.equal(xlsx.status(), 200);
    assert.match(xlsx.headers()['content-type'], /spreadsheetml/);
    // one group: only its rows (on a phone the filters fold behind 筛选)
    await page.locator('.filters-toggle').click();
    await page.getByLabel('重点群体').selectOption({ label: '残疾儿童' });
    await page.waitForURL(/group=disabled/);
    await settled(page);
    const groupsShown = await page.locator('table.table tbody tr td:first-child').allTextContents();
    assert.ok(groupsShown.every(g => g.includes('残疾儿童') || g.includes('合计')), groupsShown.join());
    await page.goto(server.url + '/#/groups');
    await settled(page);
    // a suspected count opens the 台账 of that group and township, with as many children
    const link = page.locator('td[data-label="疑似失学辍学"] a').first();
    const n = Number((await link.textContent()).replace(/,/g, ''));
    await link.click();
    await page.waitForURL(/#\/children\?.*group=/);
    await settled(page);
    assert.match(await page.locator('.subtitle').textContent(), new RegExp(`共 ${n} 名`));
    await page.context().close();
  });

  test('the 台账 filters by group and names each child\'s groups', async () => {
    const page = await signedIn(browser, server.url, 'county');
    await settled(page);
    await page.goto(server.url + '/#/children?status=school_age');
    await settled(page);
    await page.getByLabel('重点群体').selectOption({ label: '残疾儿童' });
    await page.waitForURL(/group=disabled/);
    await settled(page);
    const cells = await page.locator('td[data-label="重点群体"]').allTextContents();
    assert.ok(cells.length > 0);
    assert.ok(cells.every(c => c.includes('残疾儿童')), cells.join());
    // the child record names the group's list, its date and how the child was linked
    await page.locator('td.primary a').first().click();
    await page.waitForURL(/#\/children\/\d+$/);
    await settled(page);
    const card = page.getByRole('region', { name: '重点群体' });
    await card.waitFor();
    const t = await card.textContent();
    assert.match(t, /残疾儿童/);
    assert.match(t, /导入日期\d{4}年\d+月\d+日/);
    assert.match(t, /如何关联按/);
    await page.context().close();
  });

  test('the dashboard counts each group\'s children out of school, each count opens its list', async () => {
    const page = await signedIn(browser, server.url, 'county');
    await settled(page);
    const card = page.getByRole('region', { name: '重点群体疑似失学辍学' });
    await card.waitFor();
    const link = card.locator('a.num-link').filter({ hasNotText: /^0$/ }).first();
    const n = Number((await link.textContent()).replace(/,/g, ''));
    assert.ok(n > 0);
    await link.click();
    await page.waitForURL(/#\/children\?.*group=/);
    await settled(page);
    assert.match(await page.locator('.subtitle').textContent(), new RegExp(`共 ${n} 名`));
    await page.context().close();
  });

  test('the dashboard narrows to one group and the 台账 downloads of the list carry it', async () => {
    const page = await signedIn(browser, server.url, 'county', PHONE);
    await settled(page);
    const whole = Number((await page.getByRole('link', { name: '疑似失学辍学名单', exact: true }).textContent()).replace(/,/g, ''));
    await page.locator('#dash-group').selectOption({ label: '脱贫户' });
    await page.waitForURL(/group=poverty/);
    await settled(page);
    await page.locator('h1', { hasText: '脱贫户' }).waitFor();
    await shoot(page, 'dashboard-group');
    const suspected = page.getByRole('link', { name: '疑似失学辍学名单', exact: true });
    const n = Number((await suspected.textContent()).replace(/,/g, ''));
    assert.ok(n < whole, `${n} of ${whole}`);
    // the number opens the list of the group's suspected children, as many as it says
    await suspected.click();
    await page.waitForURL(/#\/children\?.*group=poverty/);
    await settled(page);
    assert.match(await page.locator('.subtitle').textContent(), new RegExp(`共 ${n} 名`));
    // the ledgers for sending upward are the group's too
    const hrefs = await page.locator('section.forms a.btn').evaluateAll(as => as.map(a => a.getAttribute('href')));
    assert.ok(hrefs.length >= 3, hrefs.join());
    for (const h of hrefs.filter(x => /ledger-/.test(x))) assert.match(h, /group=poverty/);
    assert.match(await page.locator('section.forms').textContent(), /只列脱贫户的儿童/);
    const res = await page.request.get(server.url + hrefs.find(x => /ledger-school-age/.test(x)));
    assert.equal(res.status(), 200);
    await page.context().close();
  });

  test('a department sees its own groups only', async () => {
    const page = await signedIn(browser, server.url, 'rural', PHONE);
    await settled(page);
    await page.goto(server.url + '/#/groups');
    await settled(page);
    await page.getByRole('heading', { name: '重点群体在校情况' }).waitFor();
    const groupsShown = await page.locator('table.table tbody tr td:first-child').allTextContents();
    assert.ok(groupsShown.length > 0);
    assert.ok(groupsShown.every(g => /脱贫户|防返贫监测对象|合计/.test(g)), groupsShown.join());
    await page.context().close();
  });
});
