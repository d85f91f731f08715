// The dashboard and the ledgers: every number leads to its list, the charts draw, the export is
// the list on screen, and a township user cannot reach another township's child by URL.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { PHONE, settled, shoot, signedIn, sql, startAll, stopAll } from './harness.mjs';

let server, browser;
before(async () => ({ server, browser } = await startAll()));
after(() => stopAll(server, browser));

describe('dashboard', () => {
  test('county: ledgers, charts, and each number opens its list', async () => {
    const page = await signedIn(browser, server.url, 'county');
    await settled(page);
    await page.getByRole('heading', { name: '首页 · 全县' }).waitFor();
    await page.locator('.chart canvas').nth(1).waitFor();
    await shoot(page, 'dashboard');
    const suspected = await page.locator('.ledgers .stat').nth(1).locator('.stat-value a');
    const n = Number((await suspected.textContent()).replace(/,/g, ''));
    await suspected.click();
    await page.waitForURL(/#\/children\?status=suspected/);
    await settled(page);
    assert.match(await page.locator('.subtitle').textContent(), new RegExp(`共 ${n} 名`));
    await page.goBack();
    await settled(page);
    // a township's row in the table opens that township's list
    const cell = page.locator('table.compact tbody tr').first().locator('td').nth(1).locator('a');
    const count = Number((await cell.textContent()).replace(/,/g, ''));
    await cell.click();
    await page.waitForURL(/township=140521100.*status=school_age|status=school_age.*township=140521100/);
    await settled(page);
    assert.match(await page.locator('.subtitle').textContent(), new RegExp(`共 ${count.toLocaleString('zh-CN')} 名`));
    await page.context().close();
  });

  test('township: its own township only', async () => {
    const page = await signedIn(browser, server.url, 'township', PHONE);
    await settled(page);
    await page.getByRole('heading', { name: '首页 · 龙港镇' }).waitFor();
    assert.equal(await page.locator('#dash-township').count(), 0);
    await shoot(page, 'dashboard-township');
    await page.context().close();
  });
});

describe('child record', () => {
  test('a child with a case: sources, waterfall, history, verification, case, timeline', async () => {
    const page = await signedIn(browser, server.url, 'county');
    await settled(page);
    // the demo's first case: its child has a verification task and the case (the dashboard's
    // newest events are the tasks the attendance warnings opened since, issue 16)
    const rec = sql(server.db, 'SELECT record_id FROM case_file ORDER BY id LIMIT 1');
    await page.goto(`${server.url}/#/children/${rec}`);
    await page.waitForURL(/#\/children\/\d+$/);
    await settled(page);
    await page.getByRole('heading', { name: '来源记录' }).waitFor();
    await page.getByRole('heading', { name: '比对过程' }).waitFor();
    assert.ok(await page.locator('.timeline li').count() >= 3);
    assert.match(await page.locator('.task').first().textContent(), /确认失学辍学/);
    assert.match(await page.locator('.card').filter({ hasText: '案件（一人一案）' }).textContent(), /劝返中/);
    await shoot(page, 'child-case');
    // 显示完整: the ID of the register entry, audited
    const masked = page.locator('.facts .masked').first();
    await masked.getByRole('button', { name: /显示完整/ }).click();
    await masked.getByText('已记入审计').waitFor();
    assert.match(await masked.locator('.mono').textContent(), /^\d{17}[\dX]$/);
    // the birth date is hidden like the ID: the age on the cutoff, the date on purpose (audited)
    const facts = page.locator('.facts').first();
    assert.match(await facts.textContent(), /年龄\d+ 周岁（截至\d{4}年8月31日）/);
    const birth = page.locator('.facts .masked').nth(1); /* after the ID */
    assert.equal(await birth.locator('.mono').textContent(), '已隐藏');
    await birth.getByRole('button', { name: /显示完整出生日期/ }).click();
    await birth.getByText('已记入审计').waitFor();
    assert.match(await birth.locator('.mono').textContent(), /^\d{4}年\d{1,2}月\d{1,2}日$/);
    await page.context().close();
  });

  test('an enrolled child: the waterfall of the linked school record', async () => {
    const page = await signedIn(browser, server.url, 'supervisor', PHONE);
    await page.goto(server.url + '/#/children?status=enrolled');
    await settled(page);
    await page.locator('td.primary a').first().click();
    await page.waitForURL(/#\/children\/\d+$/);
    await settled(page);
    const wf = page.locator('table.waterfall').first();
    await wf.waitFor();
    assert.deepEqual(await wf.locator('tbody th').allTextContents(), ['身份证号', '姓名', '出生日期', '性别']);
    assert.equal(await page.getByRole('button', { name: /显示完整/ }).count(), 0);
    // a masked reader sees ages, never a birth date (it would give the masked ID back)
    const text = await page.locator('.page').textContent();
    assert.doesNotMatch(text, /出生日期\s*\d|出生 \d/);
    assert.match(text, /\d+ 周岁（截至\d{4}年8月31日）/);
    assert.match(await page.locator('.candidate p').first().textContent(), /\d+ 周岁/);
    await shoot(page, 'child-enrolled');
    await page.context().close();
  });
});

describe('ledgers', () => {
  test('village filter, sort, export of exactly the list', async () => {
    const page = await signedIn(browser, server.url, 'county');
    await page.goto(server.url + '/#/children?status=suspected');
    await settled(page);
    await page.getByRole('button', { name: /年龄/ }).click();
    await page.waitForURL(/sort=age/);
    await settled(page);
    const ages = (await page.locator('td[data-label="年龄"]').allTextContents()).map(Number);
    assert.deepEqual(ages, [...ages].sort((a, b) => a - b));
    await shoot(page, 'ledger-suspected');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '导出Excel' }).click()]);
    assert.match(download.suggestedFilename(), /儿童名单\.xlsx$/);
    const bytes = readFileSync(await download.path());
    assert.equal(bytes.subarray(0, 2).toString(), 'PK');
    assert.match(decodeURIComponent(download.url()), /status=suspected/);
    assert.match(download.url(), /sort=age/);

    // the suspected children by their casework
    await page.goto(server.url + '/#/children?status=suspected');
    await settled(page);
    await page.getByLabel('核查和劝返').selectOption({ label: '劝返中' });
    await page.waitForURL(/stage=case_open/);
    await settled(page);
    const n = await page.locator('table.table tbody tr').count();
    assert.ok(n >= 1, 'children with an open case');
    await page.getByLabel('只看逾期').check();
    await page.waitForURL(/overdue=1/);
    await settled(page);
    await page.getByText('没有符合条件的记录').waitFor();
    await page.getByLabel('状态').selectOption('enrolled');
    await page.waitForURL(/status=enrolled/);
    assert.doesNotMatch(page.url(), /stage=|overdue=/);

    await page.goto(server.url + '/#/children?township=140521100');
    await settled(page);
    const village = await page.getByLabel('村（社区）').locator('option').nth(1).textContent();
    await page.getByLabel('村（社区）').selectOption({ label: village });
    await page.waitForURL(/village=/);
    await settled(page);
    const villages = await page.locator('td[data-label="村（社区）"]').allTextContents();
    assert.ok(villages.length > 0 && villages.every(v => v.trim() === village), villages.join());
    await page.context().close();
  });

  test("a township user cannot open another township's child by URL", async () => {
    const county = await signedIn(browser, server.url, 'county');
    await county.goto(server.url + '/#/children?township=140521101');
    await settled(county);
    const href = await county.locator('td.primary a').first().getAttribute('href');
    await county.context().close();
    const page = await signedIn(browser, server.url, 'township');
    await page.goto(server.url + '/' + href);
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').textContent(), /没有这名儿童，或不在您的管辖范围内/);
    await page.context().close();
  });
});
