// 联席会议 (issue 17) on a phone (375 px): the county opens the demo's joint meeting and adds a
// decision for 人社; the 人社 account finds it on its 待办 and on 联席会议 (and no other
// department's), reports progress on it, and the county's page then shows the report. The 约谈
// screen shows the demo interview's overdue commitment.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PHONE, addUser, settled, shoot, signedIn, startAll, stopAll } from './harness.mjs';

let server, browser;
before(async () => {
  ({ server, browser } = await startAll());
  addUser(server.db, 'hr-dept', ['--role', 'department', '--department', '人社']);
});
after(() => stopAll(server, browser));

const narrow = async page => {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= PHONE.width, `page is ${width}px wide`);
};

describe('联席会议', () => {
  test('the county adds a decision for 人社 on a phone', async () => {
    const page = await signedIn(browser, server.url, 'county', PHONE);
    await page.goto(server.url + '/#/meetings');
    await settled(page);
    const card = page.getByRole('article', { name: '联席会议 1', exact: true });
    await card.waitFor();
    assert.match(await card.textContent(), /逾期 1 项/);
    await card.getByRole('link').first().click();
    await page.waitForURL(/#\/meetings\/1/);
    await settled(page);
    // the meeting's page draws its decisions after the meeting itself: wait for the fourth
    await page.locator('article.decision-card').nth(3).waitFor();
    await page.locator('summary', { hasText: '登记议定事项' }).click();
    await page.locator('#d-dept').selectOption('人社');
    await page.locator('#d-content').fill('寒假前对县城餐馆开展未成年人务工检查');
    await page.locator('#d-deadline').fill('2027-01-15');
    await page.locator('#d-duty').selectOption('未成年人务工检查');
    await page.getByRole('button', { name: '登记议定事项' }).click();
    await page.locator('article.decision-card', { hasText: '寒假前对县城餐馆' }).waitFor();
    await narrow(page);
    await shoot(page, 'meeting-county');
    await page.context().close();
  });

  test('the 人社 account sees its decisions only and reports progress', async () => {
    const page = await signedIn(browser, server.url, 'hr-dept', PHONE);
    await settled(page);
    await page.getByRole('button', { name: /菜单/ }).click();
    await page.locator('#main-nav').getByRole('link', { name: '待办' }).click();
    await page.waitForURL(/#\/tasks/);
    await settled(page);
    await page.locator('main', { hasText: '寒假前对县城餐馆' }).waitFor();
    await page.goto(server.url + '/#/meetings');
    await settled(page);
    const mine = page.getByRole('region', { name: '本部门的议定事项' });
    const cards = mine.locator('article.decision-card');
    await cards.first().waitFor();
    const owners = await cards.locator('header strong').allTextContents();
    assert.ok(owners.length >= 2 && owners.every(o => o === '人社'), owners.join());
    const card = cards.filter({ hasText: '寒假前对县城餐馆' });
    await card.getByRole('button', { name: '报告进展' }).click();
    await card.locator('textarea').fill('已检查县城 15 家餐馆，未发现未成年人务工');
    await card.getByRole('button', { name: '提交进展' }).click();
    await card.locator('.badge', { hasText: '进行中' }).waitFor();
    await narrow(page);
    await shoot(page, 'meetings-department');
    await page.context().close();
    const county = await signedIn(browser, server.url, 'county', PHONE);
    await county.goto(server.url + '/#/meetings/1');
    await settled(county);
    // (waits for the meeting to load: the page's header comes first)
    await county.locator('article.decision-card', { hasText: '已检查县城 15 家餐馆' }).waitFor();
    await county.goto(server.url + '/#/interviews/1');
    await settled(county);
    await county.getByText('逾期未落实').first().waitFor();
    await narrow(county);
    await shoot(county, 'interview-county');
    await county.context().close();
  });
});
