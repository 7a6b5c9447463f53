// Plans that travel: save a scenario file, clear local data, open it again; autosave across a
// reload and a tab closed right after an edit; offline; the standalone page from file://;
// tampering after approval; CLI agreement.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launch, openStudio, startServer } from '../../scripts/browser.mjs';
import { runCli, tempDir } from './helpers.mjs';

let srv, browser, studio, dir, closing;
const ev = (fn, arg) => studio.page.evaluate(fn, arg);
const frames = (n = 2, page = studio.page) => page.evaluate((k) => window.terrane.frames(k), n);
const state = (page = studio.page) => page.evaluate(() => window.terrane.state());
const metrics = () => ev(() => window.terrane.metrics());

// Box-selects part of the map, as a user does: the box tool, a drag across the map.
async function boxSelect(page) {
  const st = await state(page);
  const [x, y, w, h] = st.map.rect.map((v) => v / st.pixel_ratio);
  await page.keyboard.press('b');
  await frames(1, page);
  const cx = x + w * 0.4, cy = y + h * 0.5;
  await page.mouse.move(cx - 50, cy - 50);
  await frames(1, page);
  await page.mouse.down();
  await frames(1, page);
  for (let i = 1; i <= 5; ++i) {
    await page.mouse.move(cx - 50 + 20 * i, cy - 50 + 20 * i);
    await frames(1, page);
  }
  await page.mouse.up();
  await frames(2, page);
  const selected = (await state(page)).selected_count;
  assert.ok(selected > 0, `the box selected accounts (review mode: ${st.review_mode}, tool: ${(await state(page)).map.tool})`);
}

// A small plan: box-select part of the map and move it to the first territory.
async function makeEdit(page) {
  const log0 = (await state(page)).log;
  await boxSelect(page);
  await page.keyboard.press('m');
  await frames(2, page);
  await page.keyboard.press('Enter');
  await frames(3, page);
  await page.keyboard.press('Escape');
  await page.keyboard.press('v');
  await frames(1, page);
  assert.equal((await state(page)).log, log0 + 1, `the move was applied (status: ${(await state(page)).status})`);
}

// Moves the selection to the first territory (M, Enter) and returns as soon as the move lands:
// the page's state, metrics and whether it asks before closing, well within autosave's pause.
async function moveNow(page) {
  const log0 = (await state(page)).log;
  await page.keyboard.press('m');
  await frames(2, page);
  await page.keyboard.press('Enter');
  let now;
  for (let i = 0; i < 50; ++i) {
    now = await page.evaluate(() => ({ st: window.terrane.state(), metrics: window.terrane.metrics(), warns: window.terrane.warnsOnClose() }));
    if (now.st.log === log0 + 1) break;
    await frames(1, page);
  }
  assert.equal(now.st.log, log0 + 1, `the move was applied (status: ${now.st.status})`);
  assert.equal(now.st.autosave.pending, true, 'autosave has not stored the edit yet');
  return now;
}

// Waits until autosave has stored everything and no write is in flight.
async function untilStored(page) {
  for (let i = 0; i < 300; ++i) {
    const [st, warns] = await page.evaluate(() => [window.terrane.state(), window.terrane.warnsOnClose()]);
    if (!st.autosave.pending && !warns) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail('autosave did not store the workspace');
}

before(async () => {
  srv = await startServer();
  browser = await launch();
  studio = await openStudio(browser, srv.url);
  dir = tempDir();
});

after(async () => {
  await closing?.context.close();
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

test('close the tab right after an edit and find the edit when the page opens again', async () => {
  // A fresh browser profile; autosave stores the sample a moment after the page opens.
  closing = await openStudio(browser, srv.url);
  let page = closing.page;
  await untilStored(page);
  assert.equal(await page.evaluate(() => window.terrane.warnsOnClose()), false, 'nothing to warn about once stored');
  await boxSelect(page);
  // Close the tab as soon as the move lands, well within autosave's pause of 1.5 s.
  const edited = await moveNow(page);
  assert.equal(edited.warns, true, 'the browser is asked to warn before closing');
  await page.close({ runBeforeUnload: false });

  page = await closing.context.newPage();
  await page.goto(srv.url);
  await page.waitForFunction(() => window.terrane && window.terrane.ready && window.terrane.restored, null, { timeout: 120000 });
  await frames(3, page);
  const st = await state(page);
  assert.equal(st.scenario, edited.st.scenario);
  assert.equal(st.log, edited.st.log, 'the edit is back');
  assert.deepEqual(await page.evaluate(() => window.terrane.metrics()), edited.metrics);
  closing.page = page;
});

test('the browser warns before closing while an edit is not stored, and not once it is', async () => {
  const page = closing.page;
  assert.equal(await page.evaluate(() => window.terrane.warnsOnClose()), false, 'a restored workspace is stored');
  await boxSelect(page);
  assert.equal((await moveNow(page)).warns, true, 'armed after the edit');
  const dialogs = [];
  page.on('dialog', (d) => { dialogs.push(d.type()); d.dismiss().catch(() => {}); });
  await page.close({ runBeforeUnload: true });
  for (let i = 0; i < 100 && dialogs.length === 0; ++i) await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(dialogs, ['beforeunload'], 'closing asks first');
  assert.equal(page.isClosed(), false, 'staying on the page keeps it open');
  await untilStored(page);
  assert.equal(await page.evaluate(() => window.terrane.warnsOnClose()), false, 'disarmed once stored');
  const closed = page.waitForEvent('close', { timeout: 30000 });
  await page.close({ runBeforeUnload: true });
  await closed;
  assert.equal(page.isClosed(), true);
  assert.deepEqual(dialogs, ['beforeunload'], 'no question once the edit is stored');
  await closing.context.close();
  closing = null;
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
  // As text: a 10 MB page crosses the DevTools protocol in a second that way, not in a minute as
  // an array of numbers.
  const html = await ev(() => window.terrane.downloads[window.terrane.downloads.length - 1].text());
  const file = path.join(dir, 'plan.html');
  fs.writeFileSync(file, html);
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
