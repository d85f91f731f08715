// 人工复核: the queue of a 4,000-child demo (its cross-check leaves a few pairs for a clerk), one
// pair side by side with the differing fields highlighted, accept one pair and reject another by
// keyboard (A, R), move with J/K, progress n of m; then change a decision with the buttons.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DESKTOP, PHONE, settled, shoot, signedIn, sql, startAll, stopAll } from './harness.mjs';

let server, browser;
before(async () => ({ server, browser } = await startAll({ children: 4000 })));
after(() => stopAll(server, browser));

describe('人工复核', () => {
  test('accept one pair and reject another by keyboard; progress through the queue', async () => {
    const total = Number(sql(server.db, "SELECT count(*) FROM candidate WHERE decision = 'review'"));
    assert.ok(total >= 2, `the demo has ${total} review pairs`);
    const page = await signedIn(browser, server.url, 'county', DESKTOP);
    await page.goto(server.url + '/#/review');
    await settled(page);
    await page.getByText(`已复核 0 / ${total} 对`).waitFor();
    await page.getByRole('heading', { name: new RegExp(`第 1 / ${total} 对`) }).waitFor();
    assert.ok(await page.locator('table.compare tr.differs').count() > 0);
    await page.getByText('A 同一人，R 不是同一人，J 下一对，K 上一对').waitFor();
    await shoot(page, 'review');

    // J / K move without deciding
    await page.keyboard.press('j');
    await page.getByRole('heading', { name: new RegExp(`第 2 / ${total} 对`) }).waitFor();
    await page.keyboard.press('k');
    await page.getByRole('heading', { name: new RegExp(`第 1 / ${total} 对`) }).waitFor();
    await settled(page);

    // A: the first is the same child; on to the next waiting pair
    await page.keyboard.press('a');
    await page.getByText(/是同一人/).first().waitFor();
    await page.getByText(`已复核 1 / ${total} 对`).waitFor();
    await page.getByRole('heading', { name: new RegExp(`第 2 / ${total} 对`) }).waitFor();
    await settled(page);
    // R: the second is not
    await page.getByLabel('备注（可不填）').fill('出生日期和学校都对不上');
    await page.getByLabel('备注（可不填）').press('r');  // typing in the field is not a shortcut
    assert.equal(await page.getByText(`已复核 1 / ${total} 对`).count(), 1);
    await page.locator('h2').first().click();
    await page.keyboard.press('r');
    await page.getByText(`已复核 2 / ${total} 对`).waitFor();
    assert.equal(sql(server.db, 'SELECT group_concat(decision, \',\') FROM (SELECT decision FROM review_decision ORDER BY decided_at, rowid)'), 'accept,reject');
    assert.equal(sql(server.db, "SELECT note FROM review_decision WHERE decision = 'reject'"), '出生日期和学校都对不上r');

    // change the first decision with the button
    await page.locator('.review-queue a').first().click();
    await settled(page);
    await page.getByText(/已判定：同一人/).waitFor();
    await page.getByRole('button', { name: /不是同一人/ }).click();
    await page.getByText(/已改变先前的结论/).waitFor();
    assert.equal(sql(server.db, "SELECT count(*) FROM review_decision WHERE decision = 'reject'"), '2');
    await page.context().close();
  });

  test('the pair on a phone', async () => {
    const page = await signedIn(browser, server.url, 'county', PHONE);
    await page.goto(server.url + '/#/review');
    await settled(page);
    await page.locator('table.compare').waitFor();
    await shoot(page, 'review-phone');
    await page.context().close();
  });

  test('a supervisor reads the queue and decides nothing', async () => {
    const page = await signedIn(browser, server.url, 'supervisor', DESKTOP);
    await page.goto(server.url + '/#/review');
    await settled(page);
    await page.getByText('本账号只能查看复核队列，不能判定。').waitFor();
    assert.equal(await page.getByRole('button', { name: /同一人/ }).count(), 0);
    const before = sql(server.db, 'SELECT count(*) FROM review_decision');
    await page.locator('.review-queue a').first().click();
    await page.getByRole('heading', { name: /第 1 \/ \d+ 对/ }).waitFor();
    await settled(page);
    await page.keyboard.press('a');
    await page.keyboard.press('j');
    await page.getByRole('heading', { name: /第 2 \/ \d+ 对/ }).waitFor();
    assert.equal(sql(server.db, 'SELECT count(*) FROM review_decision'), before);
    await page.context().close();
  });
});
