// 控辍保学指标 (issue 17): the dashboard's indicators card shows rates (with the counts they are
// made of) and their trend at 375 px, the legend below the chart, nothing wider than the phone;
// a township account sees its own township; the county follows the link to the ranking.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PHONE, TOWNSHIP, run, settled, shoot, signedIn, startAll, stopAll } from './harness.mjs';

let server, browser;
before(async () => ({ server, browser } = await startAll({ history: true })));
after(() => stopAll(server, browser));

const rate = v => (v === null ? '—' : `${v.toFixed(2)}%`);

/** The indicators card's trend chart, from its ECharts option. */
async function trendChart(card) {
  const chart = card.locator('.chart');
  await chart.waitFor();
  await card.page().waitForFunction(el => el.chart, await chart.elementHandle());
  return chart.evaluate(el => {
    const o = el.chart.getOption();
    const r = el.getBoundingClientRect();
    return {
      width: r.width, right: r.right,
      legend: o.legend.map(l => ({ type: l.type || 'plain', bottom: l.bottom, top: l.top })),
      series: o.series.map(s => s.name),
      months: o.xAxis[0].data,
    };
  });
}

describe('indicators card', () => {
  test('county at 375 px: rates, the trend with its legend below, the ranking link', async () => {
    const want = JSON.parse(run(['report', 'indicators', '--db', server.db, '--format', 'json']));
    const page = await signedIn(browser, server.url, 'county', PHONE);
    await settled(page);
    const card = page.getByRole('region', { name: '控辍保学指标' });
    await card.scrollIntoViewIfNeeded();
    await card.locator('[data-key="enrollment_rate"] .indicator-value').waitFor();
    for (const key of ['enrollment_rate', 'retention_rate', 'dropout_rate']) {
      const shown = await card.locator(`[data-key="${key}"] .indicator-value`).textContent();
      assert.equal(shown.trim(), rate(want.county[key]), key);
    }
    // a rate is shown with the counts it is made of
    const sub = await card.locator('[data-key="enrollment_rate"] .small').textContent();
    assert.equal(sub.replace(/,/g, ''), `${want.county.enrolled}/${want.county.school_age}`);
    const c = await trendChart(card);
    assert.ok(c.legend.every(l => l.type === 'plain' && l.bottom === 0 && (l.top === undefined || l.top === null)), JSON.stringify(c.legend));
    assert.ok(c.series.includes('入学率') && c.series.includes('巩固率') && c.series.some(s => s.startsWith('辍学率')));
    assert.ok(c.months.length >= 2, 'the demo has months of history');
    assert.ok(c.months.every(m => /^\d{4}年\n\d{1,2}月$/.test(m)), c.months.join(','));
    assert.ok(c.right <= PHONE.width, `chart ends at ${c.right}px`);
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth));
    // the legend's words are drawn at a readable size and wrap inside the chart
    const legendBox = await card.locator('.chart').evaluate(el => {
      const view = el.chart.getZr().storage.getDisplayList().filter(d => d.style && d.style.text && /率/.test(d.style.text));
      return view.map(d => ({ text: d.style.text, x: d.getBoundingRect().x + (d.transform ? d.transform[4] : 0), size: d.style.fontSize }));
    });
    const legendTexts = legendBox.filter(d => ['入学率', '巩固率', '按时核查率', '劝返复学率', '辍学率（右轴）'].includes(d.text));
    assert.equal(legendTexts.length, 5, JSON.stringify(legendBox));
    assert.ok(legendTexts.every(d => d.x >= 0 && d.x < PHONE.width && (d.size || 12) >= 12), JSON.stringify(legendTexts));
    await shoot(page, 'indicators-county');
    await card.getByRole('link', { name: /排名/ }).click();
    await page.waitForURL(/#\/ranking/);
    await settled(page);
    const rows = page.locator('table.table tbody tr');
    assert.equal(await rows.count(), want.townships.length);
    assert.match(await page.locator('h1').textContent(), /排名/);
    await shoot(page, 'ranking-county');
    await page.context().close();
  });

  test('a township account sees its own township, without the ranking link', async () => {
    const page = await signedIn(browser, server.url, 'township', PHONE);
    await settled(page);
    const card = page.getByRole('region', { name: '控辍保学指标' });
    await card.locator('[data-key="enrollment_rate"] .indicator-value').waitFor();
    const want = JSON.parse(run(['report', 'indicators', '--db', server.db, '--format', 'json',
      '--township', TOWNSHIP]));
    assert.match(await card.locator('h2').textContent(), new RegExp(want.townships[0].name));
    assert.equal((await card.locator('[data-key="enrollment_rate"] .indicator-value').textContent()).trim(),
      rate(want.townships[0].enrollment_rate));
    assert.equal(await card.getByRole('link', { name: /排名/ }).count(), 0);
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth));
    await page.context().close();
  });
});

