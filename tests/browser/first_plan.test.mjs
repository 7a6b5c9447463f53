// From an import to a first plan, as a new user does it with the mouse: the sample says it is a
// sample; importing an accounts sheet and a reps sheet (no territories) replaces it; the Optimise
// window offers one territory per rep and, with one click, creates them (one undoable edit) and
// balances them — the same plan `terrane balance --by-rep` makes from the same files; the metrics
// bar shows the run's figures; the Territories sidebar makes one territory per value of a column.
// Also: Help's guide and glossary, the capacity plan's warning, and the save dialog's file name.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { click as clickControl, launch, openStudio, root, startServer } from '../../scripts/browser.mjs';
import Papa from 'papaparse';
import { runCli, tempDir, dropFiles as dropFilesOn } from './helpers.mjs';

const shots = process.env.TERRANE_SHOTS || path.join(root, 'build', 'screenshots');
const accountsFile = path.join(root, 'tests', 'data', 'crm', 'sheet_accounts.csv');
const repsFile = path.join(root, 'tests', 'data', 'crm', 'sheet_reps.csv');
let srv, browser, page, dir;

const state = () => page.evaluate(() => window.terrane.state());
const frames = (n = 2) => page.evaluate((k) => window.terrane.frames(k), n);
const click = (name) => clickControl(page, name);

async function until(pred, what, limit = 3000) {
  let s;
  for (let i = 0; i < limit; ++i) {
    s = await state();
    if (pred(s)) return s;
    await frames(2);
  }
  throw new Error(`timed out waiting for ${what} (status: ${s.status})`);
}

const dropFiles = (files) => dropFilesOn(page, files);

async function importFile(file, kind) {
  const before = (await state()).import.records.length;
  await dropFiles([file]);
  const st = await until((s) => s.import.pending && !s.job, `the mapping dialog for ${path.basename(file)}`);
  assert.equal(st.import.pending.kind, kind);
  await click('import-confirm');
  await until((s) => s.import.records.length === before + 1 && !s.job && !s.preparing, `the import of ${path.basename(file)}`);
}

before(async () => {
  fs.mkdirSync(shots, { recursive: true });
  dir = tempDir();
  srv = await startServer();
  browser = await launch();
  ({ page } = await openStudio(browser, srv.url));
});

after(async () => {
  await browser?.close();
  await srv?.close();
});

test('the first screen says the data is a sample; Help has a guide and a glossary', async () => {
  const s = await state();
  assert.equal(s.import.sample_workspace, true);
  await click('sidebar.guide');
  await click('help.glossary');
  await frames(3);
  await page.screenshot({ path: path.join(shots, 'help-glossary.png') });
  await click('help.close');
  await frames(2);
});

test('import accounts and reps, then one click in the Optimise window makes a balanced plan by rep', async () => {
  await importFile(accountsFile, 'accounts');
  await importFile(repsFile, 'reps');
  let s = await state();
  assert.equal(s.import.sample_workspace, false);
  assert.equal(s.summary.accounts, 240);
  assert.equal(s.summary.reps, 8);
  assert.equal(s.summary.territories, 0, 'nothing but accounts and reps');

  await click('menu.plan');
  await click('menu.optimise0');
  s = await until((x) => x.optimise.show && x.optimise.tab === 0, 'the Optimise window');
  assert.equal(s.optimise.start.needed, true);
  assert.equal(s.optimise.start.from, 'reps', 'with reps, one territory per rep is offered first');
  await frames(3);
  await page.screenshot({ path: path.join(shots, 'optimise-no-territories.png') });

  await click('optimise.run');
  s = await until((x) => !x.optimise.running && x.optimise.outcome.valid, 'the run');
  const out = s.optimise.outcome;
  assert.match(out.created, /Created 8 territories \(one per rep\)/);
  assert.ok(out.scenario.startsWith('Optimised'), out.scenario);
  assert.equal(s.scenario, out.scenario);
  assert.equal(s.summary.territories, 8);
  assert.equal(out.inside_tolerance, true, out.reason);
  await frames(3);
  await page.screenshot({ path: path.join(shots, 'optimise-first-plan.png') });

  // The same plan as the CLI's by-rep balance of the same files with the window's settings.
  const o = s.optimise.options;
  const args = ['balance', '--accounts', accountsFile, '--reps', repsFile, '--by-rep', '--seed', String(o.seed),
    '--out', path.join(dir, 'cli.csv'), '--json'];
  for (const m of o.metrics) args.push('--balance', `${m.metric}:${m.tolerance}`);
  if (o.contiguous) args.push('--contiguous');
  if (o.move_customers) args.push('--move-customers');
  const cli = JSON.parse(runCli(args));
  assert.equal(cli.feasible, out.feasible);
  for (const m of o.metrics)
    assert.ok(Math.abs(cli.max_deviation[m.metric] - out.max_deviation[m.metric]) < 1e-9, `${m.metric}: CLI ${cli.max_deviation[m.metric]} vs page ${out.max_deviation[m.metric]}`);
  const csv = await page.evaluate(() => window.terrane.exportAssignment().text());
  const pageRows = new Map(Papa.parse(csv.trim(), { header: true }).data.map((r) => [r.account_id, r.territory]));
  const cliRows = fs.readFileSync(path.join(dir, 'cli.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
  assert.equal(cliRows.filter(([id, t]) => pageRows.get(id) === t).length, cliRows.length, 'account by account');

  // The metrics bar shows the run's balance figures, and draws them.
  const m = await page.evaluate(() => window.terrane.metrics());
  assert.equal(m.territories.length, 8);
  for (const k of ['potential', 'workload'])
    assert.ok(Math.abs(m.balance[k].max_deviation - out.max_deviation[k]) < 1e-9, k);
  assert.ok(s.targets['metrics.max.potential'], 'the balance figures are on screen');

  // The territories came from one undoable edit in a copy of the imported baseline.
  assert.equal(s.scenarios, 3, 'baseline, the copy with the new territories, the optimised plan');
});

test('the Territories sidebar creates one territory per value of a column, undoably', async () => {
  // Into the optimised plan, beside its 8 territories by rep.
  let s = await state();
  await click('sidebar.createFrom');
  await click('sidebar.fromColumn.Sales Region');
  s = await until((x) => /Created 4 territories \(one per Sales Region\)/.test(x.status), 'the territories from the column');
  assert.equal(s.summary.territories, 12, '8 from the reps and 4 regions in the optimised plan');
  assert.equal(s.can_undo, true);
  await click('sidebar.createFrom');
  await click('sidebar.fromColumn.Sales Region');
  s = await until((x) => /Not done: territory id 'Central' is already used/.test(x.status), 'the second try refused');
  // Undo (Edit menu) removes all four at once.
  await click('menu.edit');
  await click('menu.undo');
  s = await until((x) => x.summary.territories === 8, 'the undo');
  assert.match(s.status, /Undid: Create 4 territories/);
});

test('the capacity plan warns when the hiring plan is implausible', async () => {
  // Eight reps today; a target far above their capacity makes the plan hire most of a team at once.
  await click('menu.plan');
  await click('menu.capacity');
  await until((x) => x.quota.capacity_open, 'the capacity window');
  for (const [name, value] of [['capacity.target', '60000000'], ['capacity.productivity', '1000000']]) {
    await click(name);
    await page.keyboard.type(value);
    await page.keyboard.press('Enter');
    await frames(3);
  }
  const s = await until((x) => x.quota.capacity && x.quota.capacity.warnings && x.quota.capacity.warnings.length > 0, 'the capacity warning', 400);
  assert.match(s.quota.capacity.warnings.join(' '), /more than half of today's team|more than doubles the team|no reps today/);
  assert.ok(s.targets['capacity.warning'], 'the warning is on screen');
  await frames(3);
  await page.screenshot({ path: path.join(shots, 'capacity-warning.png') });
});

test('the save dialog names the file as the user types it', async () => {
  await page.evaluate(() => { window.terrane.downloads.length = 0; });
  await click('menu.file');
  await click('menu.save');
  await click('save.fileName');
  await page.keyboard.type('Q1 plan for review');
  await click('save.confirm');
  await frames(4);
  const names = await page.evaluate(() => window.terrane.downloads.map((d) => d.name));
  assert.deepEqual(names, ['Q1 plan for review.terrane']);
});
