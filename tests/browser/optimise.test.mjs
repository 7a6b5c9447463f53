// The territory optimiser window in headless Chromium, driven like a user (Plan menu, clicks):
// the new scenario's figures and assignment match `terrane balance --scenario` with the same seed
// on the same plan; rebalance proposes moves that are previewed, then applied and undone; the
// trade-off chart opens a clicked point as a scenario; sizing answers with a count; the diameter
// objective improves on "Keep improving" and its chart never rises; a seed and an iteration budget
// give the same (pinned) plan natively and in WebAssembly.
// Runs on a smaller sample than the default so the sweep stays quick.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { click as clickControl, clickAt as clickPoint, launch, openStudio, root, startServer } from '../../scripts/browser.mjs';
import Papa from 'papaparse';
import { cli as nativeCli, runCli, tempDir } from './helpers.mjs';

let srv, browser, page, dir;
const shots = process.env.TERRANE_SHOTS; // a folder: save screenshots there

const state = () => page.evaluate(() => window.terrane.state());
const frames = (n = 2) => page.evaluate((k) => window.terrane.frames(k), n);

const click = (name) => clickControl(page, name);
const clickAt = (p) => clickPoint(page, p);

async function until(pred, what, limit = 3000) {
  let s;
  for (let i = 0; i < limit; ++i) {
    s = await state();
    if (pred(s)) return s;
    await frames(2);
  }
  throw new Error(`timed out waiting for ${what} (status: ${s.status})`);
}

async function openTab(t) {
  await click('menu.plan');
  await click(`menu.optimise${t}`);
  return until((s) => s.optimise.show && s.optimise.tab === t, `optimiser tab ${t}`);
}

before(async () => {
  srv = await startServer();
  browser = await launch();
  ({ page } = await openStudio(browser, srv.url));
  await page.evaluate(() => window.terrane.loadSample(1500, 15, 7));
  await frames(4);
  dir = tempDir();
});

after(async () => {
  await browser?.close();
  await srv?.close();
});

test('the Optimise dialog makes a new scenario that matches `terrane balance` with the same seed', async () => {
  let s = await openTab(0);
  assert.deepEqual(s.optimise.options.metrics.map((m) => m.metric), ['potential', 'workload']);
  const activeBefore = s.scenario_index;
  const scenariosBefore = s.scenarios;
  // The plan the dialog starts from, as a file for the CLI.
  const file = path.join(dir, 'start.terrane');
  fs.writeFileSync(file, await page.evaluate(() => window.terrane.scenarioText()));
  const before = (await page.evaluate(() => window.terrane.metrics()));

  await click('optimise.run');
  const progress = [];
  for (let i = 0; i < 3000; ++i) {
    s = await state();
    if (s.optimise.running) progress.push(s.optimise.progress);
    if (!s.optimise.running && s.optimise.outcome.valid) break;
    await frames(1);
  }
  assert.ok(s.optimise.outcome.valid && !s.optimise.outcome.cancelled, 'the run finished');
  // The run spans frames: the window showed its progress bar and the map its preview.
  assert.ok(s.optimise.progress_frames >= 1, `progress shown in ${s.optimise.progress_frames} frames`);
  assert.ok(s.optimise.preview_updates >= 1, `map preview drawn ${s.optimise.preview_updates} times`);
  for (const p of progress) assert.ok(p >= 0 && p <= 1);
  if (shots) await page.screenshot({ path: path.join(shots, 'optimise.png') });
  const out = s.optimise.outcome;
  assert.ok(out.scenario.startsWith('Optimised'), out.scenario);

  const o = s.optimise.options;
  const args = ['balance', '--scenario', file, '--seed', String(o.seed), '--out', path.join(dir, 'cli.csv'), '--json'];
  for (const m of o.metrics) args.push('--balance', `${m.metric}:${m.tolerance}`);
  if (o.contiguous) args.push('--contiguous');
  if (o.move_customers) args.push('--move-customers');
  // The window starts with a disruption budget (20% of accounts): the CLI gets the same.
  assert.ok(o.max_moved_accounts < 1, 'a first run has a disruption budget');
  if (o.max_moved_accounts < 1) args.push('--max-disruption', `accounts:${o.max_moved_accounts}`);
  if (o.max_moved_value < 1) args.push('--max-disruption', `arr:${o.max_moved_value}`);
  const cli = JSON.parse(runCli(args));
  assert.equal(out.feasible, cli.feasible);
  for (const m of o.metrics) {
    assert.ok(Math.abs(out.max_deviation[m.metric] - cli.max_deviation[m.metric]) < 1e-9,
      `${m.metric}: page ${out.max_deviation[m.metric]} vs CLI ${cli.max_deviation[m.metric]}`);
  }
  assert.ok(Math.abs(out.moved_accounts_share - cli.moved_accounts_share) < 1e-12);
  assert.ok(Math.abs(out.weighted_mean_distance - cli.weighted_mean_distance) < 1e-6);
  assert.ok(out.moved_accounts_share <= o.max_moved_accounts + 1e-9, 'the budget holds');
  // The metrics bar shows the run's figures for the new scenario.
  const m = await page.evaluate(() => window.terrane.metrics());
  for (const k of ['potential', 'workload'])
    assert.ok(Math.abs(m.balance[k].max_deviation - out.max_deviation[k]) < 1e-9, `${k}: metrics ${m.balance[k].max_deviation} vs run ${out.max_deviation[k]}`);

  // Account by account: the new scenario's assignment is the CLI's.
  const csv = await page.evaluate(() => window.terrane.exportAssignment().text());
  const rows = Papa.parse(csv.trim(), { header: true }).data;
  const page_ = new Map(rows.map((r) => [r.account_id, r.territory]));
  const cliRows = fs.readFileSync(path.join(dir, 'cli.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
  assert.equal(cliRows.length, page_.size);
  let same = 0;
  for (const [id, t] of cliRows) same += page_.get(id) === t ? 1 : 0;
  assert.equal(same, cliRows.length, 'every account is in the territory the CLI gives it');

  // A new scenario is active; the one it started from is untouched.
  assert.equal(s.scenarios, scenariosBefore + 1);
  assert.notEqual(s.scenario_index, activeBefore);
  const now = await page.evaluate(() => window.terrane.metrics());
  assert.notEqual(JSON.stringify(now.territories), JSON.stringify(before.territories));
});

test('diameter: run, keep improving, and the objective shown falls or stays', async () => {
  let s = await openTab(0);
  await click('optimise.compactness');
  await click('optimise.compactnessdiameter');
  s = await until((x) => x.optimise.options.compactness === 'diameter', 'diameter chosen', 100);
  await click('optimise.run');
  s = await until((x) => !x.optimise.running && x.optimise.outcome.valid && x.optimise.outcome.compactness === 'diameter', 'the run');
  const first = s.optimise.outcome;
  assert.ok(first.objective > 0 && Math.abs(first.objective - first.max_diameter) < 1e-9, 'the objective is the max diameter');
  assert.ok(first.lower_bound > 0 && first.lower_bound <= first.objective + 1e-9, `bound ${first.lower_bound} <= ${first.objective}`);
  await click('optimise.keepImproving');
  // The run lasts 5 s; it may end between two looks, so wait for its notice.
  s = await until((x) => !x.improving && /Improved diameter|No better plan/.test(x.status), 'improving finished', 3000);
  const out = s.optimise.outcome;
  assert.ok(out.objective <= first.objective + 1e-9, `${out.objective} <= ${first.objective}`);
  assert.ok(out.history.length >= 2, 'the chart has points');
  for (let i = 1; i < out.history.length; ++i) assert.ok(out.history[i][1] <= out.history[i - 1][1] + 1e-9, 'the best never rises');
  assert.ok(out.improve_iterations > 0);
  await frames(3);
  if (shots) await page.screenshot({ path: path.join(shots, 'optimise-diameter.png') });
});

// The wasm CLI (build/web/terrane_node.js) runs the page's core under node. Building it costs CI
// minutes, so scripts/test.sh does not: this runs where scripts/bench (or
// `cmake --build build/web --target terrane_node`) has built it; the native half of the pin is
// checked by tests/unit/test_improve.cpp in every run.
const wasmCli = path.join(root, 'build', 'web', 'terrane_node.js');
const siteWasm = path.join(root, 'build', 'web', 'site', 'terrane.wasm');
const wasmCliCurrent = fs.existsSync(wasmCli) && fs.existsSync(siteWasm) && fs.statSync(wasmCli).mtimeMs >= fs.statSync(siteWasm).mtimeMs;
test('diameter: a seed and an iteration budget give the same pinned plan natively and in wasm',
  { skip: !wasmCliCurrent && 'build/web/terrane_node.js missing or older than the page (scripts/bench builds it)' }, () => {
  const wasm = wasmCli;
  const run = (kind, args) =>
    kind === 'wasm' ? execFileSync(process.execPath, [wasm, ...args], { encoding: 'utf8' }) : execFileSync(nativeCli, args, { encoding: 'utf8' });
  // FNV-1a (32 bits) over the "account_id,territory" lines, as tests/unit/test_improve.cpp pins it.
  const planHash = (file) => {
    let h = 0x811c9dc5;
    for (const line of fs.readFileSync(file, 'utf8').split('\n').slice(1).filter((l) => l))
      for (const c of Buffer.from(`${line}\n`)) h = Math.imul(h ^ c, 16777619) >>> 0;
    return h;
  };
  const pinned = 0xa2802ba0;
  const inst = {};
  for (const kind of ['native', 'wasm']) {
    inst[kind] = path.join(dir, `design-${kind}`);
    run(kind, ['instance', '--out', inst[kind], '--units', '200', '--seed', '4']);
  }
  for (const f of ['accounts.csv', 'edges.csv'])
    assert.equal(fs.readFileSync(path.join(inst.wasm, f), 'utf8'), fs.readFileSync(path.join(inst.native, f), 'utf8'), `the same ${f}`);
  for (const kind of ['native', 'wasm']) {
    const out = path.join(dir, `pinned-${kind}.csv`);
    const j = JSON.parse(run(kind, ['balance', '--accounts', path.join(inst.native, 'accounts.csv'), '--edges', path.join(inst.native, 'edges.csv'),
      '--coords', 'xy', '--territories', '5', '--contiguous', '--compactness', 'diameter', '--balance', 'a1:0.05', '--balance', 'a2:0.05',
      '--balance', 'a3:0.05', '--seed', '5', '--iterations', '30000', '--out', out, '--json']));
    assert.ok(j.feasible && j.objective < j.first_objective, `${kind}: feasible and improved`);
    assert.equal(planHash(out).toString(16), pinned.toString(16), `${kind}: the pinned plan`);
  }
});

test('rebalance proposes moves, previews them, applies them as one undoable edit', async () => {
  // Start again from the baseline: its historical plan is out of tolerance.
  await page.evaluate(() => window.terrane.loadSample(1500, 15, 7));
  await frames(4);
  let s = await openTab(1);
  await click('optimise.propose');
  s = await until((x) => x.optimise.proposal, 'a proposal');
  const p = s.optimise.proposal;
  assert.ok(p.moves > 0, 'the historical plan needs moves');
  for (const m of Object.keys(p.after)) assert.ok(p.after[m] <= p.before[m] + 1e-12, `${m} does not get worse`);
  assert.equal(s.import.highlighted, p.moves, 'the proposed moves are ringed on the map');
  if (shots) await page.screenshot({ path: path.join(shots, 'rebalance.png') });
  await click('optimise.apply');
  s = await until((x) => !x.optimise.proposal, 'the moves applied');
  assert.match(s.status, /Applied \d+ rebalance moves/);
  await page.keyboard.down('Control');
  await page.keyboard.press('z');
  await page.keyboard.up('Control');
  await frames(3);
  assert.match((await state()).status, /Undid/);
});

test('the trade-off chart: a sweep of plans, and a click on a point opens it as a scenario', async () => {
  let s = await openTab(2);
  await click('optimise.sweep');
  s = await until((x) => !x.optimise.sweep.running && x.optimise.sweep.points.length > 0, 'the sweep', 6000);
  const pts = s.optimise.sweep.points;
  assert.ok(pts.length >= 6, `${pts.length} plans`);
  // More budget never moves fewer accounts than the budget allows, and zero budget moves none.
  const zero = pts.find((p) => p.budget === 0 && p.tolerance_scale === 1);
  assert.equal(zero.moved_accounts_share, 0);
  for (const p of pts) assert.ok(p.moved_accounts_share <= p.budget + 1e-9, `budget ${p.budget}: moved ${p.moved_accounts_share}`);
  await frames(3);
  s = await state();
  if (shots) await page.screenshot({ path: path.join(shots, 'tradeoff.png') });
  const scr = s.optimise.sweep.screen;
  const k = pts.length - 1;
  await clickAt({ x: scr[k][0], y: scr[k][1] });
  s = await until((x) => /Opened the trade-off plan/.test(x.status), 'the point opened', 100);
});

test('sizing: how many territories keep every territory under an account limit', async () => {
  let s = await openTab(3);
  await click('optimise.size');
  s = await until((x) => x.optimise.sizing.territories !== undefined, 'the sizing answer', 6000);
  assert.equal(s.optimise.sizing.feasible, true, s.optimise.sizing.reason);
  assert.ok(s.optimise.sizing.territories >= s.optimise.sizing.lower_bound);
  assert.ok(s.optimise.sizing.lower_bound >= Math.ceil(1500 / 150));
  if (shots) await page.screenshot({ path: path.join(shots, 'sizing.png') });
  await click('optimise.openSizing');
  s = await until((x) => /Opened the sized plan/.test(x.status), 'the sized plan opened', 100);
});
