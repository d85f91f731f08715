// 各县指标 (issue 18): the province's and a city's accounts on the province's server of a
// PostgreSQL database shared by several counties (ctest web.province, under tests/pg_cluster.py).
// They land on the counties' table, read their area's counties with their ranks and the total,
// narrow it to a city (the province), download it, and reach nothing else.
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

describe('各县指标', () => {
  test('the province lands on its counties, narrows to a city, downloads', async () => {
    const page = await signedIn(browser, server.url, 'province', PHONE);
    await page.waitForURL(/#\/counties/);
    await settled(page);
    await page.getByRole('heading', { name: '各县控辍保学指标' }).waitFor();
    // the nav offers this screen and nothing of a county's
    const nav = await page.locator('#main-nav > a').allTextContents();
    assert.deepEqual(nav, ['各县指标']);
    assert.equal(await page.locator('.user-role').textContent(), '省教育厅 · 山西省');
    assert.equal(await countyRows(page).count(), 3);
    for (const name of ['沁水县', '阳城县', '榆次区']) await page.getByText(name, { exact: false }).first().waitFor();
    await page.getByText('截至这一天还没有比对', { exact: false }).first().waitFor();
    await page.getByText(/^合计：适龄儿童/).waitFor();
    await shoot(page, 'province-counties');
    // no English key anywhere on the screen
    const text = await page.locator('#main').innerText();
    assert.doesNotMatch(text, /\b(school_age|enrollment_rate|high_dropout|null|undefined)\b/);
    await page.getByLabel('市').selectOption('1405');
    await page.waitForURL(/area=1405/);
    await settled(page);
    assert.equal(await countyRows(page).count(), 2);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '导出Excel' }).click()]);
    assert.match(download.suggestedFilename(), /各县控辍保学指标和排名\.xlsx$/);
    await page.context().close();
  });

  test("a city reads its own city's counties, and no other screen", async () => {
    const page = await signedIn(browser, server.url, 'city', PHONE);
    await page.waitForURL(/#\/counties/);
    await settled(page);
    assert.equal(await countyRows(page).count(), 2);
    assert.equal(await page.getByLabel('市').count(), 0);
    assert.equal(await page.locator('.user-role').textContent(), '市教育局 · 山西省晋城市');
    await page.locator('#main').getByText('山西省晋城市 · 截至', { exact: false }).waitFor();
    await shoot(page, 'city-counties');
    await page.goto(server.url + '/#/children');
    await page.getByText('您的账号无权使用此页面。').waitFor();
    await page.context().close();
  });
});
