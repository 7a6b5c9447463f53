// Plans that travel: save a scenario file, clear local data, open it again; autosave across a
// reload; offline; the standalone page from file://; tampering after approval; CLI agreement.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launch, openStudio, startServer } from '../../scripts/browser.mjs';
import { runCli, tempDir } from './helpers.mjs';

let srv, browser, studio, dir;
const ev = (fn, arg) => studio.page.evaluate(fn, arg);
const frames = (n = 2) => ev((k) => window.terrane.frames(k), n);
const state = () => ev(() => window.terrane.state());
const metrics = () => ev(() => window.terrane.metrics());

// A small plan: box-select part of the map and move it to the first territory.
async function makeEdit(page) {
  const st = await state();
  const log0 = st.log;
  const [x, y, w, h] = st.map.rect.map((v) => v / st.pixel_ratio);
  await page.keyboard.press('b');
  await frames(1);
  const cx = x + w * 0.4, cy = y + h * 0.5;
  await page.mouse.move(cx - 50, cy - 50);
  await frames(1);
  await page.mouse.down();
  await frames(1);
  for (let i = 1; i <= 5; ++i) {
    await page.mouse.move(cx - 50 + 20 * i, cy - 50 + 20 * i);
    await frames(1);
  }
  await page.mouse.up();
  await frames(2);
  const selected = (await state()).selected_count;
  assert.ok(selected > 0, `the box selected accounts (review mode: ${st.review_mode}, tool: ${(await state()).map.tool})`);
  await page.keyboard.press('m');
  await frames(2);
  await page.keyboard.press('Enter');
  await frames(3);
  await page.keyboard.press('Escape');
  await page.keyboard.press('v');
  await frames(1);
  assert.equal((await state()).log, log0 + 1, `the move was applied (status: ${(await state()).status})`);
}

before(async () => {
  srv = await startServer();
  browser = await launch();
  studio = await openStudio(browser, srv.url);
  dir = tempDir();
});

after(async () => {
  await browser?.close();
  await srv?.close();
});

test('save a scenario file, clear local data, open the file: identical figures', async () => {
  await makeEdit(studio.page);
  const edited = await state();
  assert.equal(edited.log, 1, 'one edit was made');
  const before = await metrics();
  assert.ok(before.disruption.accounts_moved > 0);
  const text = await ev(() => window.terrane.scenarioText());
  fs.writeFileSync(path.join(dir, 'plan.terrane'), text);
  await ev(() => window.terrane.clearLocalData());
  await frames(3);
  const cleared = await state();
  assert.equal(cleared.scenarios, 1, 'clearing local data opens the sample');
  assert.equal((await metrics()).disruption.accounts_moved, 0);
  assert.ok(await ev((t) => window.terrane.openScenarioText('plan.terrane', t), text));
  await frames(3);
  const st = await state();
  assert.equal(st.review_mode, true, 'an opened file starts in review mode');
  assert.equal(st.scenario, edited.scenario);
  assert.equal(st.file.tampered, false);
  assert.deepEqual(await metrics(), before);
});

test('`terrane scenario summary` agrees with the page on the same file', async () => {
  const file = path.join(dir, 'plan.terrane');
  const cli = JSON.parse(runCli(['scenario', 'summary', file, '--json']));
  const page = await ev(() => window.terrane.scenarioSummary());
  assert.deepEqual(page.workspace.summary, cli.workspace.summary);
  assert.deepEqual(page.scenarios, cli.scenarios);
  assert.equal(page.content_sha256, cli.content_sha256);
});

test('tampering with an approved file shows a warning', async () => {
  await ev(() => window.terrane.addReview({ approval: true, author: 'Alex CRO', decision: 'approved', text: 'Go ahead' }));
  await frames(2);
  const approved = await ev(() => window.terrane.scenarioText());
  // Unchanged: opens clean.
  assert.ok(await ev((t) => window.terrane.openScenarioText('approved.terrane', t), approved));
  await frames(2);
  let st = await state();
  assert.equal(st.file.review_entries, 1);
  assert.equal(st.file.changed_after_approval, false);
  assert.equal(st.file.tampered, false);
  // Someone edits the plan in a text editor: move an account in the recorded command.
  const doc = JSON.parse(approved);
  const sc = doc.scenarios.find((s) => s.commands.length > 0);
  sc.commands[0].accounts[0] = (sc.commands[0].accounts[0] + 1) % 5000;
  assert.ok(await ev((t) => window.terrane.openScenarioText('tampered.terrane', t), JSON.stringify(doc)));
  await frames(2);
  st = await state();
  assert.equal(st.file.tampered, true);
  assert.match(st.status, /WARNING/);
  const cli = path.join(dir, 'tampered.terrane');
  fs.writeFileSync(cli, JSON.stringify(doc));
  assert.throws(() => runCli(['scenario', 'validate', cli]), 'the CLI refuses it as well');
  // A damaged file leaves the open workspace untouched.
  const keep = await metrics();
  assert.equal(await ev(() => window.terrane.openScenarioText('broken.terrane', '{"format": "terrane-scenario", "schema_version": 2')), false);
  assert.deepEqual(await metrics(), keep);
  assert.match((await state()).status, /was not opened/);
});

test('reload mid-edit and find everything', async () => {
  await ev(() => window.terrane.clearLocalData());
  await frames(2);
  const saves0 = await ev(() => window.terrane.saves);
  await makeEdit(studio.page);
  const edited = await state();
  const before = await metrics();
  // Wait until autosave has written the edit (it waits for a 1.5 s pause after the last change).
  for (let i = 0; i < 300; ++i) {
    const st = await state();
    if (!st.autosave.pending && (await ev(() => window.terrane.saves)) > saves0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal((await state()).autosave.pending, false, 'autosave wrote the edit');
  await studio.page.reload();
  await studio.page.waitForFunction(() => window.terrane && window.terrane.ready && window.terrane.restored, null, { timeout: 120000 });
  await frames(3);
  const st = await state();
  assert.equal(st.scenario, edited.scenario);
  assert.equal(st.log, edited.log);
  assert.equal(st.scenarios, edited.scenarios);
  assert.deepEqual(await metrics(), before);
  assert.ok(st.can_undo, 'the undo history survives the reload');
});

test('offline: after one visit the page loads with the network off', async () => {
  const page = studio.page;
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  // The first visit is not controlled by the worker; a reload is.
  await page.reload();
  await page.waitForFunction(() => window.terrane && window.terrane.ready, null, { timeout: 120000 });
  await page.waitForFunction(() => !!navigator.serviceWorker.controller, null, { timeout: 30000 });
  await studio.context.setOffline(true);
  try {
    await page.reload();
    await page.waitForFunction(() => window.terrane && window.terrane.ready, null, { timeout: 120000 });
    await frames(2);
    assert.equal((await state()).summary.accounts, 5000);
  } finally {
    await studio.context.setOffline(false);
  }
});

test('the standalone page opens from file:// with the plan', async () => {
  const expected = await metrics();
  const name = await ev(async () => {
    const text = window.terrane.scenarioText();
    return window.terrane.exportStandalone('plan.html', text);
  });
  assert.equal(name, 'plan.html');
  const bytes = await ev(() => Array.from(window.terrane.downloads[window.terrane.downloads.length - 1].bytes));
  const file = path.join(dir, 'plan.html');
  fs.writeFileSync(file, Buffer.from(bytes));
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto('file://' + file);
  await page.waitForFunction(() => window.terrane && window.terrane.ready, null, { timeout: 120000 });
  await page.evaluate(() => window.terrane.frames(3));
  const st = await page.evaluate(() => window.terrane.state());
  assert.equal(st.review_mode, true);
  assert.equal(await page.evaluate(() => window.terrane.standalone), true);
  assert.deepEqual(await page.evaluate(() => window.terrane.metrics()), expected);
  assert.deepEqual(errors, []);
  await ctx.close();
});
