// 比对: start a run from the browser, watch it finish, see the changes since the previous run;
// a reload while it runs keeps following the job.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PHONE, settled, shoot, signedIn, startAll, stopAll } from './harness.mjs';

let server, browser;
before(async () => ({ server, browser } = await startAll()));
after(() => stopAll(server, browser));

describe('cross-check', () => {
  test('start a run, follow its progress, see what changed', async () => {
    const page = await signedIn(browser, server.url, 'county');
    await page.goto(server.url + '/#/runs');
    await settled(page);
    await page.getByText('这是第一次比对，没有可比较的上一次').waitFor();
    await shoot(page, 'runs-first');
    await page.getByLabel('比对截止日期（默认今天）').fill('2026-11-20');
    await page.getByRole('button', { name: '开始比对' }).click();
    await page.waitForURL(/job=\d+/);
    await page.getByText(/比对完成（第 2 次）/).waitFor({ timeout: 60000 });
    await page.waitForURL(/run=2/);
    await settled(page);
    await page.getByRole('heading', { name: /第 2 次比对/ }).waitFor();
    await page.getByText('与第 1 次（截至 2026年11月20日）相比').waitFor();
    assert.equal(await page.locator('table.table tbody tr').count(), 2);
    await shoot(page, 'runs-changes');
    await page.getByRole('link', { name: '查看变化' }).click();
    await page.waitForURL(/run=1/);
    await page.getByRole('heading', { name: /第 1 次比对/ }).waitFor();
    await page.context().close();
  });

  test('the nav has 比对 only for roles that may start one', async () => {
    for (const [user, has] of [['township', false], ['supervisor', false], ['admin', true]]) {
      const page = await signedIn(browser, server.url, user, PHONE);
      assert.equal(await page.locator('#main-nav > a', { hasText: '比对' }).count(), has ? 1 : 0, user);
      await page.context().close();
    }
  });
});
