// 月报 (issue 17): a township's account on a phone finds 月报 in its nav, sees its own row of
// this month with the live figures and confirms it naming the person; the figures show as frozen.
// The county on a phone sees last month with the township that did not confirm marked overdue,
// and the month before issued, downloadable as Excel and PDF; a supervisor reads without actions.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PHONE, run, settled, shoot, signedIn, startAll, stopAll } from './harness.mjs';

let server, browser;
before(async () => { ({ server, browser } = await startAll()); });
after(() => stopAll(server, browser));

const cardOf = (page, name) => page.getByRole('article', { name: `${name}月报`, exact: true });
const narrow = async page => {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= PHONE.width, `page is ${width}px wide`);
};

describe('月报', () => {
  test('a township on a phone confirms its month with the named person', async () => {
    const page = await signedIn(browser, server.url, 'township', PHONE);
    await settled(page);
    await page.getByRole('button', { name: /菜单/ }).click();
    await page.locator('#main-nav').getByRole('link', { name: '月报' }).click();
    await page.waitForURL(/#\/monthly/);
    await settled(page);
    // this month (2026-11, as of the 15th): its own row only, not yet confirmed
    assert.match(await page.locator('body').textContent(), /2026 年 11 月/);
    assert.equal(await page.locator('article.warning-card').count(), 1);
    const card = cardOf(page, '龙港镇');
    await card.locator('.badge', { hasText: '未确认' }).waitFor();
    await narrow(page);
    await shoot(page, 'monthly-township');
    // the person is required: the browser refuses an empty form
    await card.getByRole('button', { name: '确认本月月报' }).click();
    assert.equal(await card.locator('.badge', { hasText: '已确认' }).count(), 0);
    await card.getByLabel(/确认人/).fill('张镇长');
    await card.getByLabel('说明').fill('已与乡镇台账核对');
    await card.getByRole('button', { name: '确认本月月报' }).click();
    await page.getByRole('status').filter({ hasText: /已确认（确认人 张镇长），数字已冻结/ }).waitFor();
    await card.locator('.badge', { hasText: '已确认' }).waitFor();
    assert.match(await card.textContent(), /确认人 张镇长.*数字已冻结/);
    assert.equal(await card.getByRole('button', { name: '确认本月月报' }).count(), 0);
    await narrow(page);
    await page.context().close();
    const st = JSON.parse(run(['monthly', '--db', server.db, '--month', '2026-11', '--format', 'json']));
    assert.equal(st.townships.find(t => t.township === '龙港镇').person, '张镇长');
  });

  test('the county on a phone sees who is overdue and downloads the issued report', async () => {
    const page = await signedIn(browser, server.url, 'county', PHONE);
    await page.goto(server.url + '/#/monthly?month=2026-10');
    await settled(page);
    const summary = page.getByRole('region', { name: '确认情况' });
    assert.match(await summary.textContent(), /逾期未确认 1 个/);
    // the overdue township first, marked
    const first = page.locator('article.warning-card').first();
    assert.match(await first.textContent(), /十里乡/);
    await first.locator('.badge', { hasText: '逾期未确认' }).waitFor();
    assert.equal(await page.locator('article.warning-card').count(), 12);
    // a confirmed township: who and when, and the county's 撤回
    const town = cardOf(page, '龙港镇');
    assert.match(await town.textContent(), /确认人 王建国/);
    assert.equal(await town.getByRole('button', { name: '撤回确认' }).count(), 1);
    await narrow(page);
    await shoot(page, 'monthly-county');
    // the month before: issued, with its files
    await page.getByLabel('月份').fill('2026-09');
    await page.getByLabel('月份').dispatchEvent('change');
    await page.waitForURL(/month=2026-09/);
    await settled(page);
    await page.getByText(/审定上报.*表格和文件不再改变/).waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '下载 PDF' }).click()]);
    assert.match(download.suggestedFilename(), /月报.*\.pdf$/);
    const xlsx = await page.request.get(server.url + '/api/v1/monthly/report?month=2026-09&format=xlsx');
    assert.equal(xlsx.status(), 200);
    assert.equal((await xlsx.body()).subarray(0, 2).toString(), 'PK');
    assert.equal(await page.getByRole('button', { name: '撤回确认' }).count(), 0);
    await narrow(page);
    await page.context().close();
  });

  test('a supervisor reads without actions', async () => {
    const page = await signedIn(browser, server.url, 'supervisor', PHONE);
    await page.goto(server.url + '/#/monthly?month=2026-10');
    await settled(page);
    assert.equal(await page.locator('article.warning-card').count(), 12);
    assert.equal(await page.getByRole('button', { name: /撤回确认|确认本月月报|审定上报/ }).count(), 0);
    await page.context().close();
  });
});
