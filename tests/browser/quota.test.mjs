// The Quotas and Capacity panels in headless Chromium, driven like a user (menu, typing, clicks),
// checked against `terrane quota` / `terrane capacity` on the same sample (`terrane demo`, which
// is what the page opens): same quotas to the cent, same simulation bit for bit (wasm vs native).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { click as clickControl, launch, openStudio, startServer, targetCentre } from '../../scripts/browser.mjs';
import { runCli, tempDir } from './helpers.mjs';

let srv, browser, studio, page, dataDir;

const state = async () => (await page.evaluate(() => window.terrane.state())).quota;
const frames = (n = 2) => page.evaluate((k) => window.terrane.frames(k), n);

const widget = (name) => targetCentre(page, name);
const click = (name) => clickControl(page, name);

async function typeInto(name, text) {
  await click(name);
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
  await frames(3);
}

async function settled() {
  for (let i = 0; i < 400; ++i) {
    const q = await state();
    if (q.fresh && q.simulation.complete && !q.simulation.running) return q;
    await frames(2);
  }
  throw new Error('the quota plan and its simulation did not settle');
}

function cliQuota(extra) {
  const d = (f) => path.join(dataDir, f);
  return JSON.parse(runCli(['quota', '--accounts', d('accounts.csv'), '--reps', d('reps.csv'), '--territories', d('territories.csv'),
    '--opportunities', d('opportunities.csv'), '--stage-history', d('stage_history.csv'), '--json', ...extra]));
}

const byRep = (reps) => Object.fromEntries(reps.map((r) => [`${r.rep_id}|${r.territories.join(';')}`, r.quota]));

before(async () => {
  srv = await startServer();
  browser = await launch();
  studio = await openStudio(browser, srv.url);
  page = studio.page;
  dataDir = tempDir();
  runCli(['demo', '--out', dataDir, '--accounts', '5000', '--reps', '40', '--seed', '42']);
});

after(async () => {
  await browser?.close();
  await srv?.close();
});

test('set a target, switch method, override one rep: the panel matches terrane quota to the cent and bit for bit', async () => {
  await click('menu.plan');
  await click('menu.quota');
  assert.equal((await state()).open, true, 'the Quotas panel opens from the Plan menu');

  await typeInto('target', '6000000');
  let q = await settled();
  assert.equal(q.target, 6000000);
  assert.equal(q.totals.reps, 6000000);
  assert.equal(q.totals.reconciled, true);
  assert.equal(q.method, 'potential');

  await click('method.equal');
  q = await settled();
  assert.equal(q.method, 'equal');

  // Override the first rep listed (its territory row is at the top of the table).
  const rep = q.reps.find((r) => r.rep_id && r.territories.length === 1);
  const territory = rep.territories[0];
  await click(`row.${territory}`);
  assert.equal((await state()).selected_node, territory);
  // Let the panel's layout settle (the selection adds the override row) before typing into it;
  // under a loaded machine a click can land on the row's old place, so a lost entry is retried.
  await frames(5);
  for (let attempt = 0; attempt < 3; ++attempt) {
    await typeInto('override.input', '250000');
    // An entry can apply a few frames late: wait for it before typing again (a second entry
    // would record a second override command, and one undo would then leave an override).
    for (let i = 0; i < 10; ++i) {
      q = await settled();
      if (q.overrides.length) break;
      await frames(3);
    }
    if (q.overrides.length) break;
  }
  assert.deepEqual(q.overrides, [{ node: territory, amount: 250000 }]);
  assert.equal(q.reps.find((r) => r.rep_id === rep.rep_id).quota, 250000);
  assert.equal(q.totals.reps, 6000000, 'the others re-flow: the total is unchanged');
  assert.equal(q.totals.reconciled, true);

  const cli = cliQuota(['--target', '6000000', '--method', 'equal', '--rounding', '1000', '--remainder', 'largest',
    '--override', `${territory}=250000`, '--seed', String(q.simulation.seed), '--trials', String(q.simulation.trials)]);
  assert.deepEqual(byRep(q.reps), byRep(cli.reps), 'every rep quota equals the CLI figure');
  assert.equal(cli.totals.reps, q.totals.reps);
  for (const r of cli.reps) assert.equal(r.basis, q.reps.find((x) => x.rep_id === r.rep_id && x.territories[0] === r.territories[0]).basis);
  // The simulation ran in the page (wasm) and in the CLI (native): the same draws, bit for bit.
  assert.equal(q.simulation.fingerprint, cli.simulation.fingerprint);
  assert.equal(q.simulation.share_reps_at_or_above_100, cli.simulation.share_reps_at_or_above_100);
  assert.deepEqual(studio.consoleErrors, []);
});

test('undo removes the override; the audit log describes each quota edit', async () => {
  const before = await state();
  await page.keyboard.press('Control+z');
  await frames(3);
  const q = await settled();
  assert.deepEqual(q.overrides, []);
  assert.notEqual(byRep(q.reps)[Object.keys(byRep(before.reps))[0]], undefined);
  const st = await page.evaluate(() => window.terrane.state());
  assert.ok(st.can_redo);
  assert.match(st.status, /^Undid: Lock the quota of .+ at \$250,000$/);
  await page.keyboard.press('Control+Shift+z');
  await frames(3);
  assert.equal((await settled()).overrides.length, 1);
  assert.match((await page.evaluate(() => window.terrane.state())).status, /^Redid: Lock the quota of/);
});

test('exports: quotas CSV by rep and the XLSX workbook download', async () => {
  await page.evaluate(() => { window.terrane.downloads.length = 0; });
  await click('export.csv');
  await click('export.xlsx');
  const d = await page.evaluate(() => window.terrane.downloads.map((x) => ({ name: x.name, size: x.size, text: x.text() })));
  assert.equal(d.length, 2);
  assert.match(d[0].name, /quotas-2027\.csv$/);
  const rows = d[0].text.trim().split('\n');
  assert.equal(rows[0].split(',')[0], 'rep_id');
  const qcol = rows[0].split(',').indexOf('quota');
  const total = rows.slice(1).reduce((s, r) => s + Math.round(Number(r.split(',')[qcol]) * 100), 0);
  assert.equal(total, 600000000);
  assert.match(d[1].name, /\.xlsx$/);
  assert.ok(d[1].text.startsWith('PK'), 'the workbook is a ZIP archive');
  assert.ok(d[1].size > 5000);
});

test('the capacity panel: what-if attrition updates live; saved figures match terrane capacity', async () => {
  await click('menu.plan');
  await click('menu.capacity');
  await frames(3);
  let c = (await state()).capacity;
  assert.ok(c && c.reps_needed > 0, 'reps needed is shown');
  const before = c.reps_needed;
  // Drag the attrition slider to the right: more attrition needs more reps, before saving.
  const p = await widget('capacity.attrition');
  await page.mouse.move(p.x, p.y);
  await frames(2);
  await page.mouse.down();
  await page.mouse.move(p.x + 60, p.y, { steps: 4 });
  await page.mouse.up();
  await frames(3);
  c = (await state()).capacity;
  assert.ok(c.attrition > 0.15, `attrition went up (${c.attrition})`);
  assert.ok(c.reps_needed >= before, 'more attrition never needs fewer reps');
  assert.equal(c.saved, false);
  await click('capacity.save');
  c = (await state()).capacity;
  assert.equal(c.saved, true);
  const d = (f) => path.join(dataDir, f);
  const cli = JSON.parse(runCli(['capacity', '--target', String(c.target), '--productivity', String(c.productivity), '--ramp', c.ramp.join(','),
    '--attrition', String(c.attrition), '--time-to-hire', String(c.time_to_hire_months), '--reps', d('reps.csv'), '--plan-year', '2027', '--json']));
  assert.equal(cli.reps_needed, c.reps_needed);
  assert.equal(cli.starting_headcount, c.starting_headcount);
  assert.equal(cli.annual_capacity, c.annual_capacity);
});
