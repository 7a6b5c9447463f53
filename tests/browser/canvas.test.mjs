// The territory canvas: lasso a known group, move it, compare the metrics panel with
// `terrane metrics` on the exported assignment, undo and redo, and compare screenshots.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launch, openStudio, startServer } from '../../scripts/browser.mjs';
import { capture, pixelDiff, runCli, tempDir } from './helpers.mjs';

let srv, browser, studio, dir;
const frames = (n = 2) => studio.page.evaluate((k) => window.terrane.frames(k), n);
const state = () => studio.page.evaluate(() => window.terrane.state());
const metrics = () => studio.page.evaluate(() => window.terrane.metrics());

before(async () => {
  srv = await startServer();
  browser = await launch();
  studio = await openStudio(browser, srv.url);
  dir = tempDir();
  runCli(['demo', '--out', dir, '--accounts', '5000', '--reps', '40', '--seed', '42']);
});

after(async () => {
  await browser?.close();
  await srv?.close();
});

function cliMetrics(assignment) {
  const args = ['metrics', '--accounts', path.join(dir, 'accounts.csv'), '--reps', path.join(dir, 'reps.csv'),
    '--territories', path.join(dir, 'territories.csv'), '--opportunities', path.join(dir, 'opportunities.csv'), '--json'];
  if (assignment) args.push('--assignment', assignment);
  return JSON.parse(runCli(args));
}

function mapRect(st) {
  const [x, y, w, h] = st.map.rect.map((v) => v / st.pixel_ratio);
  return { x: Math.round(x), y: Math.round(y), w: Math.round(w), h: Math.round(h) };
}

test('the baseline metrics in the page equal `terrane metrics` on the demo files', async () => {
  const page = await metrics();
  const cli = cliMetrics();
  assert.deepEqual(page.territories, cli.territories);
  assert.deepEqual(page.balance, cli.balance);
  assert.equal(page.territories.length, 40);
});

test('lasso a group, move it to another territory, check the figures against the CLI, undo and redo', async () => {
  const page = studio.page;
  const st0 = await state();
  const rect = mapRect(st0);
  // A known group: the accounts drawn inside a square around the map centre.
  const cx = rect.x + rect.w * 0.55, cy = rect.y + rect.h * 0.45, half = 45;
  const inside = await page.evaluate(({ cx, cy, half }) => {
    const rows = [];
    for (let r = 0; r < 5000; ++r) {
      const p = window.terrane.accountScreen(r);
      if (p.visible && Math.abs(p.x - cx) < half && Math.abs(p.y - cy) < half) rows.push(r);
    }
    return rows;
  }, { cx, cy, half });
  assert.ok(inside.length >= 5, `expected a group of accounts under the lasso, got ${inside.length}`);
  // Screenshots are taken with the cursor off the map, so no tooltip covers it.
  const offMap = async () => { await page.mouse.move(2, rect.y + rect.h + 40); await frames(2); };
  await offMap();
  const shotBefore = await capture(page, rect);
  const coloursBefore = await page.evaluate(() => window.terrane.territoryColors());
  assert.equal(Object.keys(coloursBefore).length, 40);

  await page.keyboard.press('l'); // lasso tool
  await frames();
  // A person's drag spans many frames: move in steps and let the app draw between them.
  await page.mouse.move(cx - half, cy - half);
  await frames(1);
  await page.mouse.down();
  await frames(1);
  for (const [x, y] of [[cx + half, cy - half], [cx + half, cy + half], [cx - half, cy + half], [cx - half, cy - half + 1]]) {
    for (let i = 1; i <= 4; ++i) {
      await page.mouse.move(x, y, { steps: 1 });
      await frames(1);
    }
  }
  await page.mouse.up();
  await frames(3);
  let st = await state();
  // Points exactly on the lasso edge may fall either way: allow the outline's width.
  assert.ok(Math.abs(st.selected_count - inside.length) <= Math.max(2, inside.length * 0.05),
    `lasso selected ${st.selected_count}, expected about ${inside.length}`);

  // Move them to a territory chosen through the move dialog (M, type, Enter).
  const target = (await metrics()).territories.find((t) => t.name === 'Chicago') || (await metrics()).territories[0];
  await page.keyboard.press('m');
  await frames(3);
  await page.keyboard.type(target.name);
  await frames(2);
  await page.keyboard.press('Enter');
  await frames(3);
  st = await state();
  assert.equal(st.scenario, 'Scenario 1', 'edits go to a copy of the baseline');
  assert.equal(st.log, 1);
  assert.ok(st.can_undo);
  const moved = await metrics();
  assert.ok(moved.disruption.accounts_moved > 0);
  // Every territory keeps its colour through the edit, and the points redrawn for the moved
  // accounts alone (the selection still shown) give the same image as colouring all afresh.
  assert.deepEqual(await page.evaluate(() => window.terrane.territoryColors()), coloursBefore);
  await offMap();
  const shotEdited = await capture(page, rect);
  await page.evaluate(() => window.terrane.setLayout({ layers: { coloring: 1 } }));
  await frames(2);
  await page.evaluate(() => window.terrane.setLayout({ layers: { coloring: 0 } }));
  await frames(2);
  const redrawn = Math.round(pixelDiff(shotEdited, await capture(page, rect)) * rect.w * rect.h);
  assert.equal(redrawn, 0, `the same image coloured afresh (${redrawn} pixels differ)`);

  // The exported assignment reproduces the panel's figures in the CLI.
  const dl = await page.evaluate(() => {
    const d = window.terrane.exportAssignment();
    return { name: d.name, text: d.text() };
  });
  assert.match(dl.name, /assignment\.csv$/);
  assert.ok(dl.text.startsWith('account_id,account_name,owner_id,owner_name,territory,territory_name,district,region,changed,'));
  const file = path.join(dir, 'assignment.csv');
  fs.writeFileSync(file, dl.text);
  const cli = cliMetrics(file);
  assert.deepEqual(moved.territories, cli.territories);
  assert.deepEqual(moved.disruption, cli.disruption);
  assert.deepEqual(moved.balance, cli.balance);
  const changedRows = dl.text.trim().split('\n').filter((l) => l.includes(',true,')).length;
  assert.equal(changedRows, moved.disruption.accounts_moved);

  await page.keyboard.press('Escape');
  await offMap();
  const shotMoved = await capture(page, rect);
  await page.keyboard.press('Control+z');
  await frames(3);
  st = await state();
  assert.equal(st.log, 0);
  assert.ok(st.can_redo);
  const undone = await metrics();
  assert.equal(undone.disruption.accounts_moved, 0);
  assert.deepEqual(undone.territories.map((t) => t.accounts), cliMetrics().territories.map((t) => t.accounts));
  await offMap();
  const shotUndone = await capture(page, rect);

  await page.keyboard.press('Control+Shift+z');
  await frames(3);
  const redone = await metrics();
  assert.deepEqual(redone.territories, moved.territories);

  // Screenshots: moving accounts recolours the map; undoing restores the original picture.
  const changed = pixelDiff(shotBefore, shotMoved), restored = pixelDiff(shotBefore, shotUndone);
  assert.ok(changed > 0.0005, `the move shows on the map (${(changed * 100).toFixed(3)}% of pixels changed)`);
  assert.ok(restored < changed / 5, `undo restores the map (${(restored * 100).toFixed(3)}% vs ${(changed * 100).toFixed(3)}%)`);
});

test('select by filter and lock; a move leaves locked accounts where they are', async () => {
  const page = studio.page;
  // Ctrl+A selects everything; then lock (K) and try to move (M): nothing is left to move.
  await page.keyboard.press('Escape');
  await page.mouse.move(mapRect(await state()).x + 200, mapRect(await state()).y + 200);
  await page.keyboard.press('Control+a');
  await frames(2);
  assert.equal((await state()).selected_count, 5000);
  await page.keyboard.press('k');
  await frames(2);
  let st = await state();
  assert.match(st.status, /Lock 5000 accounts/);
  const log = st.log;
  await page.keyboard.press('m');
  await frames(2);
  await page.keyboard.press('Enter');
  await frames(3);
  st = await state();
  assert.equal(st.log, log, 'no command was recorded');
  assert.match(st.status, /locked/);
  await page.keyboard.press('Control+z');
  await frames(2);
  assert.equal((await state()).log, log - 1);

  // A selection that holds some locked accounts: the others move, the locked ones stay.
  const rect = mapRect(await state());
  const cx = rect.x + rect.w / 2, cy = rect.y + rect.h / 2;
  await page.keyboard.press('Escape');
  await page.keyboard.press('b');
  await frames(2);
  await page.mouse.move(cx - 50, cy - 50);
  await page.mouse.down();
  await frames(1);
  for (let i = 1; i <= 4; ++i) {
    await page.mouse.move(cx - 50 + 25 * i, cy - 50 + 25 * i);
    await frames(1);
  }
  await page.mouse.up();
  await frames(2);
  const locked = (await state()).selected_count;
  assert.ok(locked > 0 && locked < 5000, `a box of accounts to lock (${locked})`);
  // Waits (in frames) until the audit log holds `n` edits.
  const logReaches = async (n) => {
    for (let i = 0; i < 20 && (await state()).log !== n; ++i) await frames(1);
    return state();
  };
  await page.keyboard.press('k');
  st = await logReaches(log);
  assert.equal(st.log, log, `the box was locked (${st.status})`);
  await page.keyboard.press('v');
  await page.keyboard.press('Control+a');
  await frames(2);
  assert.equal((await state()).selected_count, 5000);
  const before = await metrics();
  const target = before.territories[0];
  assert.equal(before.territories.reduce((s, t) => s + t.accounts, 0), 5000);
  await page.keyboard.press('m');
  await frames(3);
  await page.keyboard.type(target.name);
  await frames(2);
  await page.keyboard.press('Enter');
  st = await logReaches(log + 1);
  assert.equal(st.log, log + 1, `the move was recorded (${st.status})`);
  const stayed = Number((st.status.match(/(\d+) locked accounts? stayed/) || [])[1]);
  assert.ok(stayed >= locked, `the locked accounts stayed: ${st.status}`);
  const after = await metrics();
  const others = after.territories.filter((t) => t.name !== target.name).reduce((s, t) => s + t.accounts, 0);
  assert.ok(others > 0 && others <= stayed, `only locked accounts stay outside ${target.name} (${others} of ${stayed} locked)`);
  assert.equal(after.territories.find((t) => t.name === target.name).accounts, 5000 - others);
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+z'); // the move
  await frames(2);
  await page.keyboard.press('Control+z'); // the lock
  await frames(2);
  assert.equal((await state()).log, log - 1);
  assert.deepEqual((await metrics()).territories, before.territories);
});

test('without a GPU a pan moves the last image, and the map is drawn in full once the camera rests', async () => {
  const page = studio.page;
  await page.keyboard.press('Escape');
  await frames(2);
  // Without the area layer: its raster is laid out afresh by the redraw below and would differ.
  const area = (await state()).map.area;
  await page.evaluate(() => window.terrane.setLayout({ layers: { area: 0 } }));
  await frames(3);
  const st0 = await state();
  assert.equal(st0.map.software_rendering, true, 'the test browser draws WebGL in software (SwiftShader)');
  const rect = mapRect(st0);
  // A drag with the middle button, one mouse move per animation frame, as a hand moves.
  await page.evaluate(async ({ x, y, w, h }) => {
    const cv = document.querySelector('#canvas');
    const cx = x + w / 2, cy = y + h / 2;
    const ev = (type, px, py, buttons) =>
      (type === 'mousedown' ? cv : window).dispatchEvent(new MouseEvent(type, { clientX: px, clientY: py, button: 1, buttons, bubbles: true }));
    ev('mousemove', cx, cy, 0);
    ev('mousedown', cx, cy, 4);
    for (let i = 1; i <= 20; ++i) {
      await new Promise((r) => requestAnimationFrame(r));
      ev('mousemove', cx - 4 * i, cy - 2 * i, 4);
    }
    await new Promise((r) => requestAnimationFrame(r));
    ev('mouseup', cx - 80, cy - 40, 0);
  }, rect);
  const st1 = await state();
  const interim = st1.map.interim_draws - st0.map.interim_draws, full = st1.map.full_draws - st0.map.full_draws;
  assert.ok(interim >= 10, `frames during the drag showed the moved image (${interim})`);
  assert.ok(full <= 3, `few full draws during the drag (${full})`);
  await frames(3);
  const st2 = await state();
  assert.ok(st2.map.full_draws > st1.map.full_draws, 'drawn in full once the camera rests');
  // The view moved by the drag: 80 x 40 CSS pixels.
  const dx = (st2.map.center[0] - st0.map.center[0]) * st0.map.scale / st0.pixel_ratio;
  const dy = (st2.map.center[1] - st0.map.center[1]) * st0.map.scale / st0.pixel_ratio;
  assert.ok(Math.abs(dx - 80) < 2 && Math.abs(dy - 40) < 2, `the view moved by the drag (${dx.toFixed(1)}, ${dy.toFixed(1)})`);
  // The image at rest is the full drawing at that camera: drawing it afresh changes no pixel.
  await page.mouse.move(2, rect.y + rect.h + 40);
  await frames(2);
  const rest = await capture(page, rect);
  await page.evaluate(() => window.terrane.setLayout({ point_scale: 1.5 }));
  await frames(2);
  await page.evaluate(() => window.terrane.setLayout({ point_scale: 1 }));
  await frames(2);
  const diff = pixelDiff(rest, await capture(page, rect));
  assert.ok(diff < 0.001, `redrawn: ${diff}`);
  await page.evaluate((a) => window.terrane.setLayout({ layers: { area: a } }), area);
  await page.keyboard.press('f');
  await frames(2);
});

test('the map exports as a PNG at twice the resolution, with the legend drawn in', async () => {
  const page = studio.page;
  const st = await state();
  const info = await page.evaluate(async () => {
    const d = await window.terrane.exportMapPng();
    if (!d) return null;
    const blob = new Blob([d.bytes], { type: 'image/png' });
    const bmp = await createImageBitmap(blob);
    const c = document.createElement('canvas');
    c.width = bmp.width;
    c.height = bmp.height;
    const g = c.getContext('2d');
    g.drawImage(bmp, 0, 0);
    const px = g.getImageData(0, 0, c.width, c.height).data;
    const colours = new Set();
    for (let i = 0; i < px.length; i += 4 * 7) colours.add((px[i] << 16) | (px[i + 1] << 8) | px[i + 2]);
    return { name: d.name, width: bmp.width, height: bmp.height, colours: colours.size, dataUrl: c.toDataURL('image/png') };
  });
  assert.ok(info, 'a PNG was offered for download');
  assert.match(info.name, /map\.png$/);
  assert.equal(info.width, Math.floor(st.map.rect[2] * 2));
  assert.equal(info.height, Math.floor(st.map.rect[3] * 2));
  assert.ok(info.colours > 100, `the image has content (${info.colours} colours)`);
  if (process.env.TERRANE_SAVE_PNG) fs.writeFileSync(process.env.TERRANE_SAVE_PNG, Buffer.from(info.dataUrl.split(',')[1], 'base64'));
});

test('area layers: territory areas, heat map, state and county choropleths each change the map', async () => {
  const page = studio.page;
  const rect = mapRect(await state());
  await page.mouse.move(2, rect.y + rect.h + 40);
  const shots = [];
  for (const area of [0, 1, 2, 3, 4]) {
    await page.evaluate((a) => window.terrane.setLayout({ layers: { area: a, area_opacity: 0.8 } }), area);
    await frames(3);
    assert.equal((await state()).map.area, area);
    shots.push(await capture(page, rect));
  }
  for (let i = 1; i < shots.length; ++i)
    assert.ok(pixelDiff(shots[0], shots[i]) > 0.02, `layer ${i} draws something (${(pixelDiff(shots[0], shots[i]) * 100).toFixed(1)}% of pixels)`);
  assert.ok(pixelDiff(shots[3], shots[4]) > 0.01, 'county and state choropleths differ');
  assert.deepEqual(studio.consoleErrors, []);
});

test('without a GPU, a workspace over 20,000 accounts is drawn in groups at low zoom', async () => {
  const page = studio.page;
  await page.evaluate(() => window.terrane.loadSample(30000, 60, 42));
  await frames(3);
  const st = await state();
  assert.equal(st.map.points, 30000);
  assert.ok(st.map.drawn > 1000 && st.map.drawn < st.map.points * 0.6, `grouped: ${st.map.drawn} discs for ${st.map.points} accounts`);
  // Zoomed in, fewer accounts overlap: more discs, each for fewer accounts.
  const rect = mapRect(st);
  await page.mouse.move(rect.x + rect.w / 2, rect.y + rect.h / 2);
  for (let i = 0; i < 8; ++i) {
    await page.mouse.wheel(0, -300);
    await frames(1);
  }
  await frames(3);
  const zoomed = await state();
  assert.ok(zoomed.map.scale > st.map.scale * 20, `zoomed in (${st.map.scale} -> ${zoomed.map.scale})`);
  assert.ok(zoomed.map.drawn > st.map.drawn * 1.5, `${st.map.drawn} -> ${zoomed.map.drawn} discs`);
  assert.deepEqual(studio.consoleErrors, []);
});
