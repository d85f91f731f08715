// 个案: the list, one case with its overdue first visit standing out, an attempt, the legal
// ladder (step 1, then step 2 with a deadline) and its notices as PDF downloads, the outcome,
// three follow-ups, closing (销号, approved by a county account: the township is not offered it)
// and reopening; another township's case by URL.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DESKTOP, OTHER_TOWNSHIP, PHONE, TOWNSHIP, addUser, launch, settled, shoot, signedIn, sql, startServer } from './harness.mjs';

let server, browser;
before(async () => {
  server = await startServer();
  addUser(server.db, 'township2', ['--role', 'township', '--township', OTHER_TOWNSHIP]);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

async function saved(page, re) {
  await page.locator('.banner-ok').getByText(re).waitFor();
  await settled(page);
}

describe('个案', () => {
  test('the whole case on a desktop: attempt, ladder, notices, outcome, follow-ups, 销号, reopen', async () => {
    // the demo's case 2 waits for its first visit (its only attempt a phone call): make it overdue
    const id = sql(server.db, `SELECT max(id) FROM case_file WHERE township_code = '${TOWNSHIP}'`);
    sql(server.db, `UPDATE case_file SET first_visit_due = '2026-11-17' WHERE id = ${id}`);
    const page = await signedIn(browser, server.url, 'township', DESKTOP);
    await page.goto(server.url + '/#/cases');
    await settled(page);
    assert.ok(await page.locator('table.table tbody tr').count() >= 2);
    await shoot(page, 'cases');
    await page.locator(`a[href="#/cases/${id}"]`).click();
    await settled(page);
    await page.getByText('立案后首次走访已逾期：截止 2026年11月17日，逾期 3 天').waitFor();
    await shoot(page, 'case-overdue');

    // a pairing teacher
    const teacher = sql(server.db, `SELECT min(id) FROM person WHERE township_code = '${TOWNSHIP}' AND org_kind = 'school' AND active = 1`);
    await page.getByRole('button', { name: '调整责任人' }).click();
    await page.getByLabel('结对教师').selectOption(teacher);
    await page.getByLabel('调整原因').fill('结对帮扶');
    await page.getByRole('button', { name: '保存指派' }).click();
    await saved(page, /结对教师|指派/);
    assert.equal(sql(server.db, `SELECT person_id FROM assignment WHERE case_id = ${id} AND role = 'teacher' ORDER BY id DESC LIMIT 1`), teacher);

    // an attempt
    await page.getByRole('button', { name: '记录一次劝返' }).click();
    await page.getByLabel('入户走访（当面）').check();
    await page.getByLabel('参加人员').fill('包保干部、村干部、家长');
    await page.getByLabel('谈话内容').fill('宣讲义务教育法，讲明监护人送子女入学的义务');
    await page.locator('#at-result').fill('家长同意考虑，孩子暂不愿返校');
    await shoot(page, 'case-attempt-form');
    await page.getByRole('button', { name: '保存劝返记录' }).click();
    await saved(page, /已记录案件 \d+ 的劝返记录/);
    assert.equal(await page.getByText('立案后首次走访已逾期').count(), 0);
    assert.equal(sql(server.db, `SELECT count(*) FROM attempt WHERE case_id = ${id}`), '2');  // the demo's phone call and this visit

    // the ladder: 2 before 1 is refused by the form's choices; step 1, then 2 with a deadline
    await page.getByRole('button', { name: '启动依法控辍' }).click();
    assert.equal(await page.getByLabel(/第 2 步/).count(), 0);
    await page.getByLabel(/第 1 步 宣传教育/).check();
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await saved(page, /宣传教育/);
    await page.getByRole('button', { name: '记录下一步或结果' }).click();
    await page.getByLabel(/第 2 步/).check();
    await page.getByLabel('限期', { exact: true }).fill('2026-12-05');
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await saved(page, /书面通知/);
    assert.equal(sql(server.db, `SELECT ladder || '/' || ladder_deadline FROM case_file WHERE id = ${id}`), '2/2026-12-05');
    await page.locator('.ladder-step.current').getByText('书面通知/责令限期改正').waitFor();
    await shoot(page, 'case-ladder');

    // the notices
    for (const [name, file] of [['责令限期改正通知书', `责令限期改正通知书-案件${id}.pdf`], ['劝返复学通知书', `劝返复学通知书-案件${id}.pdf`]]) {
      const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name }).click()]);
      assert.equal(dl.suggestedFilename(), file);
      assert.equal(readFileSync(await dl.path()).subarray(0, 4).toString(), '%PDF');
    }

    // the outcome: 复学 needs school and grade
    await page.getByRole('button', { name: '记录劝返结果' }).click();
    await page.getByLabel('复学').check();
    await page.locator('#rs-school').fill('龙港镇中心小学');
    await page.getByLabel('年级').fill('五年级');
    await page.getByRole('button', { name: '保存劝返结果' }).click();
    await saved(page, /劝返结果/);
    assert.equal(sql(server.db, `SELECT state FROM case_file WHERE id = ${id}`), 'returned');

    // follow-ups a month apart after an outcome moved back to August, then 销号
    sql(server.db, `UPDATE case_file SET outcome_on = '2026-08-01' WHERE id = ${id}`);
    for (const day of ['2026-09-01', '2026-10-01', '2026-11-01']) {
      await page.reload();
      await settled(page);
      await page.getByRole('button', { name: '记录回访' }).click();
      await page.getByLabel('在校', { exact: true }).check();
      await page.getByLabel('回访日期').fill(day);
      await page.getByRole('button', { name: '保存回访' }).click();
      await saved(page, /回访/);
    }
    // 销号 is the county's to approve: the township sees no button, and why
    await page.getByText('回访已满，可申请销号').waitFor();
    assert.equal(await page.getByRole('button', { name: '销号' }).count(), 0);
    await page.getByText('销号由县教育局的账号审批').waitFor();
    const county = await signedIn(browser, server.url, 'county', DESKTOP);
    await county.goto(server.url + '/#/cases/' + id);
    await settled(county);
    await county.getByRole('button', { name: '销号' }).click();
    await county.getByText('审批人记为您的账号').waitFor();
    await county.getByLabel('销号理由').fill('返校后三次回访均在校');
    await shoot(county, 'case-close-form');
    await county.getByRole('button', { name: '批准销号' }).click();
    await saved(county, /已销号/);
    assert.equal(sql(server.db, `SELECT state FROM case_file WHERE id = ${id}`), 'closed');
    assert.equal(sql(server.db, `SELECT u.name FROM case_file c JOIN app_user u ON u.id = c.closed_by_user WHERE c.id = ${id}`), 'county');
    await county.locator('dd', { hasText: '账号 county（县教育局）' }).waitFor();
    await shoot(county, 'case-closed');
    await county.context().close();
    await page.reload();
    await settled(page);

    await page.getByRole('button', { name: '重新打开案件' }).click();
    await page.getByLabel('重新打开的原因').fill('村干部反映孩子再次离校');
    await page.getByRole('button', { name: '重新打开', exact: true }).click();
    await saved(page, /重新打开/);
    assert.equal(sql(server.db, `SELECT state FROM case_file WHERE id = ${id}`), 'open');
    await page.context().close();
  });

  test('the case on a phone', async () => {
    const id = sql(server.db, `SELECT min(id) FROM case_file WHERE township_code = '${TOWNSHIP}'`);
    const page = await signedIn(browser, server.url, 'township', PHONE);
    await page.goto(server.url + '/#/cases/' + id);
    await settled(page);
    await page.getByRole('heading', { name: '劝返复学记录（3）' }).waitFor();  // the demo's call, home visit and interview
    await shoot(page, 'case');
    await page.context().close();
  });

  test("another township's case by URL: not found or not in your area", async () => {
    const id = sql(server.db, `SELECT min(id) FROM case_file WHERE township_code = '${TOWNSHIP}'`);
    const page = await signedIn(browser, server.url, 'township2', PHONE);
    await page.goto(server.url + '/#/cases/' + id);
    await settled(page);
    await page.getByRole('alert').getByText('没有找到这个案件，或它不在您的管辖范围内。').waitFor();
    await shoot(page, 'case-not-found');
    await page.context().close();
  });
});
