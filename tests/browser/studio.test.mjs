// The studio page in headless Chromium: loads cleanly, draws the map, agrees with the CLI.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launch, openStudio, startServer } from '../../scripts/browser.mjs';
import { runCli, samplePixels, tempDir } from './helpers.mjs';

let srv, browser, studio;

before(async () => {
  srv = await startServer();
  browser = await launch();
  studio = await openStudio(browser, srv.url);
});

after(async () => {
  await browser?.close();
  await srv?.close();
});

test('the page loads without console errors and makes no request outside its origin', async () => {
  assert.deepEqual(studio.consoleErrors, []);
  assert.deepEqual(studio.foreignRequests, []);
  assert.deepEqual(await studio.page.evaluate(() => window.terrane.errors), []);
});

test('the map canvas is not blank: coloured account points are drawn', async () => {
  const st = await studio.page.evaluate(() => window.terrane.state());
  const [x, y, w, h] = st.map.rect.map((v) => Math.round(v / st.pixel_ratio));
  const s = await samplePixels(studio.page, { x: x + 10, y: y + 10, w: w - 20, h: h - 20 });
  assert.ok(s.colours > 50, `expected many colours on the map, got ${s.colours}`);
  assert.ok(s.differing > s.total * 0.05, `expected drawn land and points, got ${s.differing}/${s.total}`);
  assert.ok(s.saturated > 500, `expected territory-coloured points, got ${s.saturated} saturated pixels`);
});

test('the sample workspace in the page has the figures `terrane summary` gives on `terrane demo` output', async () => {
  const dir = tempDir();
  runCli(['demo', '--out', dir, '--accounts', '5000', '--reps', '40', '--seed', '42']);
  const cliSummary = JSON.parse(runCli(['summary', '--accounts', path.join(dir, 'accounts.csv'), '--reps', path.join(dir, 'reps.csv'),
    '--territories', path.join(dir, 'territories.csv'), '--opportunities', path.join(dir, 'opportunities.csv'), '--json']));
  const st = await studio.page.evaluate(() => window.terrane.state());
  assert.equal(st.summary.accounts, 5000);
  assert.equal(st.summary.reps, 40);
  assert.deepEqual(st.summary, cliSummary);
  // Not only the totals: the generated data is byte-identical in the page and natively.
  for (const kind of ['accounts', 'reps', 'territories', 'opportunities']) {
    const pageCsv = await studio.page.evaluate((k) => window.terrane.datasetCsv(k), kind);
    assert.equal(pageCsv, fs.readFileSync(path.join(dir, `${kind}.csv`), 'utf8'), `${kind}.csv differs between page and CLI`);
  }
});

test('hovering an account shows it; clicking selects it; Escape clears', async () => {
  const page = studio.page;
  let pos = null, row = -1;
  for (row = 0; row < 200; ++row) {
    pos = await page.evaluate((r) => window.terrane.accountScreen(r), row);
    if (pos.visible) break;
  }
  assert.ok(pos && pos.visible, 'an account should be visible on the map');
  await page.mouse.move(pos.x, pos.y);
  await page.evaluate(() => window.terrane.frames(2));
  const hovered = (await page.evaluate(() => window.terrane.state())).hovered_account;
  assert.ok(hovered >= 0, 'an account is hovered');
  // Several accounts can share a ZIP centroid: the hovered one must be drawn at the cursor.
  const hp = await page.evaluate((r) => window.terrane.accountScreen(r), hovered);
  assert.ok(Math.hypot(hp.x - pos.x, hp.y - pos.y) < 8);
  await page.mouse.down();
  await page.mouse.up();
  await page.evaluate(() => window.terrane.frames(2));
  assert.equal((await page.evaluate(() => window.terrane.state())).selected_account, hovered);
  await page.keyboard.press('Escape');
  await page.evaluate(() => window.terrane.frames(2));
  assert.equal((await page.evaluate(() => window.terrane.state())).selected_account, -1);
});

test('the wheel zooms at the cursor and a drag pans the map', async () => {
  const page = studio.page;
  const st0 = await page.evaluate(() => window.terrane.state());
  const [x, y, w, h] = st0.map.rect.map((v) => v / st0.pixel_ratio);
  const cx = x + w / 2 + 40, cy = y + h / 2 + 20;
  await page.mouse.move(cx, cy);
  await page.mouse.wheel(0, -300);
  await page.evaluate(() => window.terrane.frames(2));
  const st1 = await page.evaluate(() => window.terrane.state());
  assert.ok(st1.map.scale > st0.map.scale * 1.3, `zoomed in: ${st0.map.scale} -> ${st1.map.scale}`);
  await page.mouse.move(cx, cy);
  await page.mouse.down();
  await page.mouse.move(cx - 120, cy - 60, { steps: 6 });
  await page.mouse.up();
  await page.evaluate(() => window.terrane.frames(2));
  const st2 = await page.evaluate(() => window.terrane.state());
  assert.ok(st2.map.center[0] > st1.map.center[0], 'dragging left moves the view east');
  await page.keyboard.press('f');
  await page.evaluate(() => window.terrane.frames(2));
  const st3 = await page.evaluate(() => window.terrane.state());
  assert.ok(Math.abs(st3.map.scale - st0.map.scale) / st0.map.scale < 0.01, 'F fits the map again');
});
