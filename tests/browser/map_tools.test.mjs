// The map answers the mouse: every toolbar button changes the tool or opens its popup when
// clicked; the tooltip and the inspector name the same two owners; labels keep clear of each other
// and of the legend. A country-only CRM export (Zoho-style, ~10 countries) is spread on the map,
// the legend counts accounts by precision, a misspelt country gets a fix that undo takes back,
// and zooming in shows place names and county borders.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { click, launch, openStudio, root, startServer } from '../../scripts/browser.mjs';
import { capture, pixelDiff } from './helpers.mjs';

const shots = process.env.TERRANE_SHOTS || path.join(root, 'build', 'screenshots');
const zoho = path.join(root, 'tests', 'data', 'crm', 'zoho_accounts_countries.csv');
let srv, browser, studio;
const frames = (n = 2) => studio.page.evaluate((k) => window.terrane.frames(k), n);
const state = () => studio.page.evaluate(() => window.terrane.state());
const metrics = () => studio.page.evaluate(() => window.terrane.metrics());

before(async () => {
  fs.mkdirSync(shots, { recursive: true });
  srv = await startServer();
  browser = await launch();
  studio = await openStudio(browser, srv.url);
});

after(async () => {
  await browser?.close();
  await srv?.close();
});

async function until(pred, what, limit = 400) {
  for (let i = 0; i < limit; ++i) {
    const st = await state();
    if (pred(st)) return st;
    await frames(2);
  }
  throw new Error(`timed out waiting for ${what}`);
}

function mapRect(st) {
  const [x, y, w, h] = st.map.rect.map((v) => v / st.pixel_ratio);
  return { x, y, w, h };
}

const overlaps = (a, b) => !(a[2] <= b[0] || a[0] >= b[2] || a[3] <= b[1] || a[1] >= b[3]);

test('every toolbar button works by mouse: tools, filter and layers', async () => {
  const page = studio.page;
  assert.equal((await state()).map.tool, 0, 'the pan tool at first');
  await click(page, 'map.box');
  assert.equal((await state()).map.tool, 1, 'Box');
  await click(page, 'map.lasso');
  assert.equal((await state()).map.tool, 2, 'Lasso');
  await click(page, 'map.pan');
  assert.equal((await state()).map.tool, 0, 'Pan');

  await click(page, 'map.filter');
  let st = await until((s) => s.targets['filter.column'], 'the filter dialog');
  await page.screenshot({ path: path.join(shots, 'map-toolbar-filter.png') });
  await page.keyboard.press('Escape');
  st = await until((s) => !s.targets['filter.column'], 'the filter dialog to close');

  await click(page, 'map.layers');
  st = await until((s) => s.targets['layers.coloring'], 'the layers popup');
  await page.screenshot({ path: path.join(shots, 'map-toolbar-layers.png') });
  // The popup's own controls answer too: untick and tick the territory labels.
  const labels = st.map.labels;
  await click(page, 'layers.labels');
  assert.equal((await state()).map.labels, !labels, 'the labels checkbox toggled');
  await click(page, 'layers.labels');
  assert.equal((await state()).map.labels, labels);
  await page.keyboard.press('Escape');
  await until((s) => !s.targets['layers.coloring'], 'the layers popup to close');
  assert.deepEqual(studio.consoleErrors, []);
});

test('the tooltip and the inspector name the CRM owner and the territory owner alike', async () => {
  const page = studio.page;
  const st = await state();
  const rect = mapRect(st);
  // An account well inside the map, away from the toolbar and legend.
  const p = await page.evaluate(({ x, y, w, h }) => {
    for (let r = 0; r < 5000; ++r) {
      const s = window.terrane.accountScreen(r);
      if (s.visible && s.x > x + w * 0.3 && s.x < x + w * 0.7 && s.y > y + h * 0.3 && s.y < y + h * 0.6) return s;
    }
    return null;
  }, rect);
  assert.ok(p, 'an account in the middle of the map');
  await page.mouse.move(p.x, p.y);
  const hovered = await until((s) => s.hovered_account >= 0 && s.account_owners, 'an account under the cursor');
  const o = hovered.account_owners;
  assert.equal(o.account, hovered.hovered_account);
  assert.ok(o['Account owner (CRM)'], 'the CRM owner is named as such');
  assert.ok(o['Territory owner (plan)'], 'the territory owner is named as such');
  const territory = (await metrics()).territories.find((t) => t.name === o.territory);
  assert.ok(territory, `the account's territory ${o.territory} is in the metrics`);
  assert.equal(o['Territory owner (plan)'], territory.owner_name, 'the plan owner is the territory owner');
  await page.screenshot({ path: path.join(shots, 'map-tooltip-owners.png') });
  await page.mouse.move(2, rect.y + rect.h + 40);
  await frames(2);
});

test('labels overlap neither each other nor the legend or the toolbar', async () => {
  const st = await state();
  const boxes = st.map.label_boxes;
  assert.ok(boxes.length >= 5, `territory labels drawn (${boxes.length})`);
  for (let i = 0; i < boxes.length; ++i) {
    assert.ok(!overlaps(boxes[i], st.map.legend_box), `label ${i} clear of the legend`);
    assert.ok(!overlaps(boxes[i], st.map.toolbar_box), `label ${i} clear of the toolbar`);
    for (let j = i + 1; j < boxes.length; ++j) assert.ok(!overlaps(boxes[i], boxes[j]), `labels ${i} and ${j} apart`);
  }
});

test('a country-only export is spread on the map, counted in the legend, and a misspelt country fixed and undone', async () => {
  const page = studio.page;
  const bytes = Array.from(fs.readFileSync(zoho));
  await page.evaluate((b) => window.terrane.importBytes('zoho_accounts_countries.csv', new Uint8Array(b)), bytes);
  await until((s) => s.import.pending, 'the mapping dialog');
  await click(page, 'import-confirm');
  let st = await until((s) => s.summary.accounts === 56 && !s.job && !s.preparing, 'the import');
  st = await until((s) => s.map.placed.country === 55, 'the map data');
  assert.deepEqual(st.map.placed, { none: 1, country: 55 });
  assert.equal(st.map.points, 55);
  // 24 accounts at "United States" (rows 0-23): 24 distinct points, spread over a small disc.
  const us = await page.evaluate(() => Array.from({ length: 24 }, (_, r) => window.terrane.accountScreen(r)));
  assert.ok(us.every((p) => p.visible), 'the US accounts are on screen');
  const keys = new Set(us.map((p) => `${p.x.toFixed(2)},${p.y.toFixed(2)}`));
  assert.equal(keys.size, 24, 'every US account has a point of its own');
  const xs = us.map((p) => p.x), ys = us.map((p) => p.y);
  const spreadPx = Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys));
  assert.ok(spreadPx > 3 && spreadPx < 200, `spread over a small disc (${spreadPx.toFixed(1)} px)`);
  await page.mouse.move(2, mapRect(st).y + mapRect(st).h + 40);
  await frames(3);
  await page.screenshot({ path: path.join(shots, 'map-world-countries.png') });

  // "Untied States": the toolbar offers a fix; applying it places the account; undo takes it back.
  await click(page, 'map.places');
  st = await until((s) => s.targets['locations.apply0'], 'the fix-places dialog');
  await page.screenshot({ path: path.join(shots, 'map-fix-places.png') });
  await click(page, 'locations.apply0');
  st = await until((s) => s.map.placed.country === 56, 'the fix applied');
  assert.deepEqual(st.map.placed, { country: 56 });
  assert.ok(st.can_undo);
  assert.match(st.status, /Set country 'Untied States' to 'United States/);
  await click(page, 'locations.close');
  await until((s) => !s.targets['locations.close'], 'the dialog to close');
  await page.keyboard.press('Control+z');
  st = await until((s) => s.map.placed.none === 1, 'the fix undone');
  assert.equal(st.map.placed.country, 55);
  assert.ok(st.can_redo);
  await page.keyboard.press('Control+Shift+z');
  st = await until((s) => s.map.placed.country === 56, 'the fix redone');
  assert.deepEqual(studio.consoleErrors, []);
});

test('zoomed in over the US: place names without overlaps, and county borders', async () => {
  const page = studio.page;
  let st = await state();
  const rect = mapRect(st);
  const us = await page.evaluate(() => window.terrane.accountScreen(0));
  await page.mouse.move(us.x, us.y);
  for (let i = 0; i < 40 && (await state()).map.scale < 26000 * st.pixel_ratio; ++i) {
    await page.mouse.wheel(0, -300);
    await frames(1);
  }
  await frames(3);
  st = await state();
  assert.ok(st.map.scale >= 20000 * st.pixel_ratio, `zoomed in (${st.map.scale})`);
  assert.ok(st.map.place_labels >= 5, `place names shown (${st.map.place_labels})`);
  const boxes = st.map.label_boxes;
  for (let i = 0; i < boxes.length; ++i) {
    assert.ok(!overlaps(boxes[i], st.map.legend_box), `name ${i} clear of the legend`);
    for (let j = i + 1; j < boxes.length; ++j) assert.ok(!overlaps(boxes[i], boxes[j]), `names ${i} and ${j} apart`);
  }
  await page.mouse.move(2, rect.y + rect.h + 40);
  await frames(3);
  await page.screenshot({ path: path.join(shots, 'map-zoomed-places.png') });
  // Place names and county borders go with the layers checkbox: the picture changes without them.
  const withDetail = await capture(page, rect);
  await click(page, 'map.layers');
  await until((s) => s.targets['layers.places'], 'the layers popup');
  await click(page, 'layers.places');
  await page.keyboard.press('Escape');
  await page.mouse.move(2, rect.y + rect.h + 40);
  await frames(3);
  st = await state();
  assert.equal(st.map.place_names, false);
  assert.equal(st.map.place_labels, 0);
  const without = await capture(page, rect);
  assert.ok(pixelDiff(withDetail, without) > 0.002, `names and borders drawn (${(pixelDiff(withDetail, without) * 100).toFixed(2)}% of pixels)`);
  assert.deepEqual(studio.consoleErrors, []);
});
