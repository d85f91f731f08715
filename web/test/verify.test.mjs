// 核查 on a phone: a township user opens their tasks, opens one, records an outcome with the
// fields that outcome needs (a claim of schooling needs school and evidence; 确认失学辍学 needs a
// reason and opens a case); another township's task by URL is "not found or not in your area".
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { OTHER_TOWNSHIP, PHONE, TOWNSHIP, addUser, launch, settled, shoot, signedIn, sql, startServer } from './harness.mjs';

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

describe('核查', () => {
  test('township user on a phone: list, one task, record 已在校注册学籍 then 确认失学辍学', async () => {
    // one task overdue, so that it stands out
    const [late] = sql(server.db, `SELECT min(id) FROM verify_task WHERE state = 'open' AND township_code = '${TOWNSHIP}'`).split('\n');
    sql(server.db, `UPDATE verify_task SET deadline = '2026-11-10' WHERE id = ${late}`);
    const page = await signedIn(browser, server.url, 'township', PHONE);
    await page.goto(server.url + '/#/verify');
    await settled(page);
    const rows = page.locator('table.table tbody tr');
    assert.ok(await rows.count() > 0);
    const towns = await page.locator('table.table tbody td[data-label="户籍地"]').allTextContents();
    assert.ok(towns.every(t => t.startsWith('龙港镇')), towns.join());
    const lateRow = page.locator('table.table tbody tr', { has: page.locator(`a[href="#/verify/${late}"]`) });
    await lateRow.getByText('逾期', { exact: true }).waitFor();
    await shoot(page, 'verify-list');

    await lateRow.locator('td.primary a').click();
    await settled(page);
    await page.getByRole('heading', { name: '记录核查结论' }).waitFor();
    await page.locator('.due-late').getByText('逾期 10 天').waitFor();
    await shoot(page, 'verify-task');
    // a claim of schooling asks for school and evidence; the server's sentence on a gap
    await page.getByLabel('已在校注册学籍').check();
    assert.equal(await page.getByLabel('就读学校').isVisible(), true);
    assert.equal(await page.getByLabel('证明材料').isVisible(), true);
    assert.equal(await page.getByLabel('主要原因').count(), 0);
    await shoot(page, 'verify-outcome-school');
    // 确认失学辍学: reasons instead of school and evidence
    await page.getByLabel('确认失学辍学').check();
    assert.equal(await page.getByLabel('就读学校').count(), 0);
    await page.getByLabel('主要原因').selectOption({ label: '外出打工' });
    await page.getByRole('checkbox', { name: '家庭经济困难' }).check();
    assert.notEqual(await page.getByLabel('核查人').inputValue(), '');
    await page.getByLabel('情况说明').fill('入户核实：孩子随亲戚在县城打零工，未在任何学校就读');
    await shoot(page, 'verify-outcome-case');
    await page.getByRole('button', { name: '保存核查结论' }).click();
    await page.getByText(/已记录核查任务 \d+ 的结论：确认失学辍学/).waitFor();
    await settled(page);
    await page.getByRole('link', { name: /查看案件 \d+/ }).waitFor();
    assert.equal(sql(server.db, `SELECT state || '/' || outcome FROM verify_task WHERE id = ${late}`), 'closed/out_of_school');
    assert.equal(sql(server.db, `SELECT reason || '/' || other_reasons FROM case_file WHERE task_id = ${late}`), 'work/poverty');
    await shoot(page, 'verify-recorded');
    await page.context().close();
  });

  test('户籍问题 needs its kind; a claim of schooling is recorded with school and evidence', async () => {
    const ids = sql(server.db, `SELECT id FROM verify_task WHERE state = 'open' AND township_code = '${TOWNSHIP}' ORDER BY id`).split('\n');
    const page = await signedIn(browser, server.url, 'township', PHONE);
    await page.goto(server.url + '/#/verify/' + ids[0]);
    await settled(page);
    await page.getByLabel('户籍问题').check();
    await page.getByLabel('空挂户').check();
    await page.getByRole('button', { name: '保存核查结论' }).click();
    await page.getByText(/结论：户籍问题/).first().waitFor();
    assert.equal(sql(server.db, `SELECT outcome || '/' || outcome_sub FROM verify_task WHERE id = ${ids[0]}`), 'registration/hollow');

    await page.goto(server.url + '/#/verify/' + ids[1]);
    await settled(page);
    await page.getByLabel('省外就读').check();
    await page.getByLabel('就读学校').fill('郑州市第二实验小学 五年级');
    await page.getByLabel('证明材料').fill('在读证明（学校盖章）');
    await page.getByRole('button', { name: '保存核查结论' }).click();
    await page.getByText(/下次比对时将核对该儿童是否确实在校/).waitFor();
    assert.equal(sql(server.db, `SELECT outcome || '/' || school FROM verify_task WHERE id = ${ids[1]}`), 'out_of_province/郑州市第二实验小学 五年级');
    await page.context().close();
  });

  test('调整责任人: another village cadre of the township', async () => {
    const id = sql(server.db, `SELECT max(v.id) FROM verify_task v JOIN assignment a ON a.task_id = v.id WHERE v.state <> 'closed' AND v.township_code = '${TOWNSHIP}' AND a.role = 'village'`);
    const before = sql(server.db, `SELECT person_id FROM assignment WHERE task_id = ${id} AND role = 'village' ORDER BY id DESC LIMIT 1`);
    const other = sql(server.db, `SELECT min(id) FROM person WHERE township_code = '${TOWNSHIP}' AND org_kind = 'village' AND active = 1 AND id <> ${before}`);
    const page = await signedIn(browser, server.url, 'township', PHONE);
    await page.goto(server.url + '/#/verify/' + id);
    await settled(page);
    await page.getByRole('button', { name: '调整责任人' }).click();
    await page.getByLabel('村干部').selectOption(other);
    await page.getByLabel('调整原因').fill('原村干部外出培训');
    await shoot(page, 'verify-assign');
    await page.getByRole('button', { name: '保存指派' }).click();
    await page.locator('.banner-ok').waitFor();
    assert.equal(sql(server.db, `SELECT person_id FROM assignment WHERE task_id = ${id} AND role = 'village' ORDER BY id DESC LIMIT 1`), other);
    await page.context().close();
  });

  test("another township's task by URL: a clear message, not a blank page", async () => {
    const id = sql(server.db, `SELECT min(id) FROM verify_task WHERE township_code = '${TOWNSHIP}'`);
    const page = await signedIn(browser, server.url, 'township2', PHONE);
    await page.goto(server.url + '/#/verify/' + id);
    await settled(page);
    await page.getByRole('alert').getByText('没有找到这个核查任务，或它不在您的管辖范围内。').waitFor();
    await shoot(page, 'verify-not-found');
    await page.context().close();
  });
});
