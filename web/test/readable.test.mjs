// Issue 14, what a user reads: the dashboard's charts answer a question (the townships' rates,
// the change since last month) and are readable at 375 px (no paged legend); a timeline entry
// reads on one or two lines at a desk and fits a phone; a cross-check's progress follows the job
// to 完成 within seconds of its end, even when polls fail on the way.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DESKTOP, PHONE, settled, shoot, signedIn, sql, startAll, stopAll } from './harness.mjs';

let server, browser;
before(async () => ({ server, browser } = await startAll()));
after(() => stopAll(server, browser));

/** What each chart on the page draws, from its ECharts option (the element keeps its chart). */
async function charts(page) {
  await page.waitForFunction(() => [...document.querySelectorAll('.chart')].every(el => el.chart));
  return page.locator('.chart').evaluateAll(els => els.map(el => {
    const o = el.chart.getOption();
    return {
      label: el.getAttribute('aria-label'),
      legends: (o.legend || []).map(l => ({ type: l.type || 'plain', show: l.show !== false })),
      x: o.xAxis.map(a => ({ type: a.type, max: a.max, data: a.data })),
      y: o.yAxis.map(a => ({ type: a.type, data: a.data })),
      series: o.series.map(s => ({ name: s.name, data: s.data.map(d => (d && typeof d === 'object' ? { value: d.value, rate: d.rate, tip: d.tip } : { value: d })) })),
    };
  }));
}

describe('dashboard charts', () => {
  for (const [viewport, name] of [[PHONE, '375'], [DESKTOP, '1440']]) {
    test(`county at ${name} px: the townships by rate, one point a month, no paged legend`, async () => {
      const page = await signedIn(browser, server.url, 'county', viewport);
      await settled(page);
      let [rates, trend] = await charts(page);
      for (const c of [rates, trend]) {
        assert.ok(c.legends.every(l => l.type !== 'scroll'), `a paged legend on ${c.label}`);
      }
      // a bar a township, its value a share (0..1) and its tooltip the counts behind it
      const towns = sql(server.db, "SELECT DISTINCT township FROM run_count WHERE run_id = (SELECT max(id) FROM match_run)").split('\n');
      assert.equal(rates.legends.filter(l => l.show).length, 0);
      assert.equal(rates.x[0].max, 1);
      assert.deepEqual([...rates.y[0].data].sort(), towns.sort());
      assert.equal(rates.series.length, 1);
      assert.equal(rates.series[0].name, '核查完成率');
      for (const d of rates.series[0].data) {
        assert.ok(d.value >= 0 && d.value <= 1, JSON.stringify(d));
        assert.match(d.tip, /^核查完成率 (\d+%|无)：已核查 \d+ 项，共 \d+ 项核查任务$/);
      }
      // the most behind on top (ECharts draws the first category at the bottom)
      const shown = rates.series[0].data.filter(d => d.rate !== null).map(d => d.rate);
      assert.deepEqual(shown, [...shown].sort((a, b) => b - a));
      // another rate
      await page.getByRole('button', { name: '逾期率' }).click();
      // the chart redraws after the click; read it once it has
      await page.waitForFunction(() => document.querySelector('.chart')?.chart?.getOption().series[0]?.name === '逾期率');
      [rates] = await charts(page);
      assert.equal(rates.series[0].name, '逾期率');
      assert.ok(rates.series[0].data.every(d => /^逾期率 .*：逾期 \d+ 项，在办 \d+ 项/.test(d.tip)));
      // the trend: one point a month, the months in Chinese
      const months = trend.x[0].data;
      assert.deepEqual(months, [...new Set(months)]);
      assert.ok(months.every(m => /^\d{4}年\n\d{1,2}月$/.test(m)), months.join(','));
      assert.ok(trend.legends.length <= 1 && trend.series.length <= 2);
      await page.getByText(/^\d{4}年\d{1,2}月疑似失学辍学 \d+ 人/).waitFor();
      // the rate chart fits the phone: no sideways scrolling
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth));
      await shoot(page, 'dashboard-rates');
      await page.context().close();
    });
  }

  test("township at 375 px: its own four rates", async () => {
    const page = await signedIn(browser, server.url, 'township', PHONE);
    await settled(page);
    const [rates] = await charts(page);
    assert.deepEqual([...rates.y[0].data].reverse(), ['核查完成率', '劝返率', '逾期率', '疑似失学辍学率']);
    assert.ok(rates.legends.every(l => l.type !== 'scroll'));
    await page.context().close();
  });
});

describe('timeline', () => {
  /** Each entry's height in lines of its sentence. */
  const lines = page => page.locator('.timeline li').evaluateAll(lis => lis.map(li => {
    const text = li.querySelector('.tl-text');
    const lh = parseFloat(getComputedStyle(text).lineHeight);
    const pad = parseFloat(getComputedStyle(li).paddingTop) + parseFloat(getComputedStyle(li).paddingBottom);
    return Math.round((li.getBoundingClientRect().height - pad) / lh * 10) / 10;
  }));

  test('an entry reads on one or two lines at a desk, and fits a phone', async () => {
    const id = sql(server.db, 'SELECT min(id) FROM case_file');
    const record = sql(server.db, `SELECT c.last_record FROM case_file f JOIN child c ON c.id = f.child_id WHERE f.id = ${id}`);
    const page = await signedIn(browser, server.url, 'county', DESKTOP);
    for (const hash of [`#/cases/${id}`, `#/children/${record}`]) {
      await page.goto(server.url + '/' + hash);
      await settled(page);
      // a hash change renders after its request: on a loaded machine, later than settled saw
      await page.locator('.timeline li').nth(2).waitFor();
      await page.setViewportSize(DESKTOP);
      const desk = await lines(page);
      assert.ok(desk.length >= 3, `${hash}: ${desk.length} entries`);
      assert.ok(desk.every(n => n <= 2.2), `${hash} at 1440 px: entries of ${desk.join(', ')} lines`);
      await page.setViewportSize(PHONE);
      await page.waitForTimeout(100);
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `${hash} scrolls sideways at 375 px`);
      // on a phone: the date and the kind on a line, the sentence under them
      const rows = await page.locator('.timeline li').evaluateAll(lis => lis.map(li => {
        const [d, k, t] = ['.tl-date', '.tl-kind', '.tl-text'].map(s => li.querySelector(s).getBoundingClientRect());
        return Math.abs(d.top - k.top) < 8 && t.top >= d.bottom - 2 && t.right <= window.innerWidth;
      }));
      assert.ok(rows.every(Boolean), `${hash} at 375 px: ${rows}`);
    }
    await page.setViewportSize(DESKTOP);
    await page.goto(server.url + `/#/cases/${id}`);
    await settled(page);
    await shoot(page, 'case-timeline');
    await page.context().close();
  });
});

describe('progress', () => {
  test('a cross-check shows 完成 within seconds of its end, though polls fail on the way', async () => {
    // page.route sees no request a service worker answers (the offline shell's worker): this
    // test plays the network, so the page runs without one
    const page = await signedIn(browser, server.url, 'county', PHONE, { serviceWorkers: 'block' });
    // the server busy for the first two polls of the job (503), as a loaded server can be
    let polls = 0;
    await page.route(/\/api\/v1\/jobs\/\d+$/, route => (++polls <= 2
      ? route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'unavailable', message: '服务器暂时不可用，请稍后再试' } }) })
      : route.continue()));
    await page.goto(server.url + '/#/runs');
    await settled(page);
    await page.getByLabel('比对截止日期（默认今天）').fill('2026-11-20');
    await page.getByRole('button', { name: '开始比对' }).click();
    await page.waitForURL(/job=\d+/);
    const job = /job=(\d+)/.exec(page.url())[1];
    // the job's end, as the server records it
    const deadline = Date.now() + 120000;
    while (!['done', 'failed'].includes(sql(server.db, `SELECT state FROM job WHERE id = ${job}`))) {
      assert.ok(Date.now() < deadline, 'the cross-check did not end');
      await new Promise(r => setTimeout(r, 100));
    }
    assert.equal(sql(server.db, `SELECT state FROM job WHERE id = ${job}`), 'done');
    const ended = Date.now();
    await page.getByText(/比对完成（第 \d+ 次）/).waitFor({ timeout: 5000 });
    assert.ok(Date.now() - ended < 5000);
    assert.ok(polls >= 3, `${polls} polls`);
    await page.context().close();
  });
});
