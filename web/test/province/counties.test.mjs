// 各县指标 (issue 18): the province's and a city's accounts on the province's server of a
// PostgreSQL database shared by several counties (ctest web.province, under tests/pg_cluster.py).
// They land on the counties' table: none is kept at first, and the screen says so and offers to
// compute it; computing it is a background job whose progress the screen shows county by county
// (a county's schema is held locked meanwhile, so that the progress can be seen), then the kept
// table appears with when and by whom it was computed. They narrow it to a city (the province),
// download it, and reach nothing else. At 375 px.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { CHROMIUM, PHONE, launch, settled, shoot, signedIn, startProvinceServer } from '../harness.mjs';

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

const countyRows = page => page.locator('table.table tbody tr');
const fits = page => page.evaluate(() => document.documentElement.scrollWidth <= 375);

describe('各县指标', () => {
  test('the province computes its counties, watches the progress, reads and narrows the table', async () => {
    // 榆次区's table of cross-checks held: the computation waits at the third county until it is
    // let go
    const release = await server.hold('c140702.match_run');
    try {
      const page = await signedIn(browser, server.url, 'province', PHONE);
      await page.waitForURL(/#\/counties/);
      await settled(page);
      await page.getByRole('heading', { name: '各县控辍保学指标' }).waitFor();
      // the nav offers this screen and nothing of a county's
      const nav = await page.locator('#main-nav > a').allTextContents();
      assert.deepEqual(nav, ['各县指标']);
      assert.equal(await page.locator('.user-role').textContent(), '省教育厅 · 山西省');
      // nothing computed yet: said so, and the button to compute it
      await page.getByText('还没有计算', { exact: true }).waitFor();
      await page.getByText('本地区本月的各县指标还没有计算过', { exact: false }).waitFor();
      assert.equal(await countyRows(page).count(), 0);
      assert.ok(await fits(page));
      await shoot(page, 'province-counties-none');
      await page.getByRole('button', { name: '开始计算' }).click();
      // the job's progress, county by county
      await page.waitForURL(/job=\d+/);
      const bar = page.getByRole('progressbar');
      await bar.waitFor();
      await page.getByText('正在计算 第 3/3 个县：榆次区').waitFor({ timeout: 60000 });
      // the counties are read side by side: the third may start before the second ends, so the
      // share done reaches two thirds (the first two read, the third held) a poll or two later
      await page.locator('[role=progressbar][aria-valuenow="67"]').waitFor({ timeout: 30000 });
      assert.ok(await page.getByRole('button', { name: '正在计算…' }).isDisabled());
      assert.ok(await fits(page));
      await shoot(page, 'province-counties-computing');
      await release();
      // done: the kept table, with when and by whom
      await page.getByText('计算完成：', { exact: false }).waitFor({ timeout: 60000 });
      await page.waitForURL(url => !/job=/.test(url));
      await settled(page);
      assert.equal(await countyRows(page).count(), 3);
      for (const name of ['沁水县', '阳城县', '榆次区']) await page.getByText(name, { exact: false }).first().waitFor();
      await page.getByText('截至这一天还没有比对', { exact: false }).first().waitFor();
      await page.getByText(/^合计：适龄儿童/).waitFor();
      assert.match(await page.locator('.computed-at').textContent(), /^计算于 \d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d（province）$/);
      assert.equal(await page.getByRole('progressbar').count(), 0);
      await page.getByRole('button', { name: '重新计算' }).waitFor();
      assert.ok(await fits(page));
      await shoot(page, 'province-counties');
      // no English key anywhere on the screen
      const text = await page.locator('#main').innerText();
      assert.doesNotMatch(text, /\b(school_age|enrollment_rate|high_dropout|computed_at|computed_by|not_computed|province_indicators|null|undefined)\b/);
      // one city: not computed yet for it alone, then computed
      await page.getByLabel('市').selectOption('1405');
      await page.waitForURL(/area=1405/);
      await settled(page);
      await page.getByText('所选地区本月的各县指标还没有计算过', { exact: false }).waitFor();
      await page.getByRole('button', { name: '开始计算' }).click();
      await page.getByText('计算完成：', { exact: false }).waitFor({ timeout: 60000 });
      await settled(page);
      assert.equal(await countyRows(page).count(), 2);
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '导出Excel' }).click()]);
      assert.match(download.suggestedFilename(), /各县控辍保学指标和排名\.xlsx$/);
      await page.context().close();
    } finally {
      await release();
    }
  });

  test("a city reads its own city's counties, computes them again, and no other screen", async () => {
    const page = await signedIn(browser, server.url, 'city', PHONE);
    await page.waitForURL(/#\/counties/);
    await settled(page);
    assert.equal(await page.getByLabel('市').count(), 0);
    assert.equal(await page.locator('.user-role').textContent(), '市教育局 · 山西省晋城市');
    // the province's computation of 晋城市 is the city's table too
    assert.equal(await countyRows(page).count(), 2);
    assert.match(await page.locator('.computed-at').textContent(), /（province）$/);
    await page.locator('#main').getByText('山西省晋城市 · 截至', { exact: false }).waitFor();
    await page.getByRole('button', { name: '重新计算' }).click();
    await page.getByText('计算完成：', { exact: false }).waitFor({ timeout: 60000 });
    await settled(page);
    assert.match(await page.locator('.computed-at').textContent(), /（city）$/);
    assert.equal(await countyRows(page).count(), 2);
    assert.ok(await fits(page));
    await shoot(page, 'city-counties');
    await page.goto(server.url + '/#/children');
    await page.getByText('您的账号无权使用此页面。').waitFor();
    await page.context().close();
  });
});
