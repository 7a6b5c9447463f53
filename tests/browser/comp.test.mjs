// The Compensation panel in headless Chromium, driven like a user (menu, clicks, typing): the
// starting plan on the sample's quotas, a tier multiplier edited in the table, payouts checked to
// the cent against `terrane comp` on the same files (the page's plan JSON and quotas CSV, the
// sample's data from `terrane demo`), the drill-down, a duplicated plan compared, the cost
// simulation run as a job, solving for the plan in the page against `terrane comp --solve`, its
// Apply and undo, and the plans surviving the scenario file.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { click as clickControl, launch, openStudio, startServer } from '../../scripts/browser.mjs';
import { runCli, tempDir } from './helpers.mjs';

let srv, browser, studio, page, dataDir;

const comp = async () => (await page.evaluate(() => window.terrane.state())).comp;
const frames = (n = 2) => page.evaluate((k) => window.terrane.frames(k), n);
const click = (name) => clickControl(page, name);

async function until(check, what, limit = 400) {
  let c;
  for (let i = 0; i < limit; ++i) {
    c = await comp();
    if (c.fresh && check(c)) return c;
    await frames(2);
  }
  throw new Error(`${what} (last state: ${JSON.stringify(c).slice(0, 400)})`);
}

async function downloads(names) {
  await page.evaluate(() => { window.terrane.downloads.length = 0; });
  for (const n of names) await click(n);
  return page.evaluate(() => window.terrane.downloads.map((x) => ({ name: x.name, text: x.text() })));
}

const cents = (x) => Math.round(x * 100);

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

test('edit a tier multiplier in the page: payouts equal terrane comp to the cent; drill-down, compare, simulation, undo, file', async () => {
  await click('menu.plan');
  await click('menu.comp');
  let c = await until((x) => x.open, 'the Compensation panel opens from the Plan menu');
  assert.equal(c.starter, true, 'a starting plan is offered at once');
  assert.equal(c.no_quotas, true, 'the sample has no quota target yet');
  await click('comp.set_quotas');
  c = await until((x) => !x.no_quotas && x.reps.length > 0 && x.total_payout > 0, 'payouts appear once the quotas are set');
  assert.equal(c.draft.commission.tiers[1].multiplier, 1.5);

  // Tier 2 (from 100%): 1.5x -> 1.8x, typed into the table.
  for (let attempt = 0; attempt < 3 && !(c.plans === 1 && c.saved.commission.tiers[1].multiplier === 1.8); ++attempt) {
    await click('comp.tier.1.multiplier');
    await page.keyboard.type('1.8');
    await page.keyboard.press('Enter');
    await frames(3);
    c = await until((x) => !x.editing, 'the edit is applied');
  }
  assert.equal(c.plans, 1, 'the first edit adds the plan to the scenario');
  assert.equal(c.saved.commission.tiers[1].multiplier, 1.8);
  assert.equal(c.starter, false);
  const st = await page.evaluate(() => window.terrane.state());
  assert.match(st.status, /tier 2 multiplier 1\.5x -> 1\.8x|Add the commission plan/);

  // The same files through the CLI.
  const files = await downloads(['comp.export.plan', 'comp.export.quotas']);
  assert.equal(files.length, 2);
  assert.match(files[0].name, /\.json$/);
  const planFile = path.join(dataDir, 'plan.json'), quotasFile = path.join(dataDir, 'quotas.csv');
  fs.writeFileSync(planFile, files[0].text);
  fs.writeFileSync(quotasFile, files[1].text);
  const d = (f) => path.join(dataDir, f);
  const cli = JSON.parse(runCli(['comp', '--plan', planFile, '--opportunities', d('opportunities.csv'), '--quotas', quotasFile,
    '--reps', d('reps.csv'), '--accounts', d('accounts.csv'), '--json']));
  assert.equal(cents(cli.total_payout), cents(c.total_payout), 'the total payout equals terrane comp to the cent');
  const cliRep = Object.fromEntries(cli.reps.map((r) => [r.rep_id, r]));
  for (const r of c.reps) {
    assert.equal(cents(cliRep[r.rep_id].payout), cents(r.payout), `${r.rep_id}'s payout equals terrane comp`);
    assert.equal(cents(cliRep[r.rep_id].credited), cents(r.credited));
  }
  const top = [...c.reps].sort((a, b) => b.payout - a.payout)[0];
  assert.ok(top.payout > 0 && top.lines > 0);

  // Drill-down: the top earner's statement lines.
  await click('comp.tab.1');
  await click(`comp.rep.${top.rep_id}`);
  c = await until((x) => x.selected_rep >= 0, 'a rep is selected');
  assert.equal(c.reps[c.selected_rep].rep_id, top.rep_id);
  await click('comp.line.0');

  // A second version, compared with the first.
  await click('comp.duplicate');
  c = await until((x) => x.plans === 2, 'the plan is duplicated');
  await click('comp.tab.2');
  c = await until((x) => x.comparison && x.comparison.a === 0 && x.comparison.b === 1, 'the two plans are compared');
  assert.equal(c.comparison.total_a, c.comparison.total_b, 'a copy pays the same');

  // The cost simulation runs as a job with progress.
  await click('comp.tab.3');
  c = await until((x) => x.simulation.complete, 'the cost simulation completes', 800);
  assert.ok(c.simulation.trials > 0 && c.simulation.payout_p50 > 0);
  assert.ok(c.simulation.share_at_ote >= 0 && c.simulation.share_at_ote <= 1);

  // What the simulation assumes is said next to the chart; the starting plan's SPIFF is costed.
  assert.match(c.simulation.assumptions, /SPIFFs scale with each rep's simulated bookings/);
  assert.ok(c.simulation.spiffs_mean > 0, 'the SPIFF is part of the simulated cost');

  // Solve for the plan: the accelerators that bring the expected cost of sales to 5% above
  // today's, in the page (typed, clicked) and by terrane comp --solve on the saved file.
  const targetPct = (c.simulation.expected_cost_of_sales * 105).toFixed(2);
  await click('comp.solve.target');
  await page.keyboard.type(targetPct);
  await page.keyboard.press('Enter');
  await click('comp.solve.param.0');
  await frames(2);
  assert.equal((await comp()).solve.target, Number(targetPct) / 100);
  await click('comp.solve.run');
  c = await until((x) => x.solve.complete && x.solve.fresh && !x.solve.running, 'the solve completes', 800);
  assert.equal(c.solve.ok, true, c.solve.message);
  const scen = path.join(dataDir, 'solve.terrane');
  fs.writeFileSync(scen, await page.evaluate(() => window.terrane.scenarioText()));
  const solved = JSON.parse(runCli(['comp', '--scenario', scen, '--plan-name', c.saved.name, '--trials', String(c.simulation.trials),
    '--seed', String(c.simulation.seed), '--solve', 'accelerators', '--solve-cos', String(c.solve.target), '--json', '--no-deals']));
  assert.equal(solved.simulation.expected_cost_of_sales, c.simulation.expected_cost_of_sales, 'the same simulation as the CLI');
  assert.equal(solved.simulation.solve.value, c.solve.value, 'the same accelerator scale as terrane comp --solve');
  assert.equal(solved.simulation.solve.cost_of_sales, c.solve.cost_of_sales);
  assert.deepEqual(c.solve.plan.commission.tiers, solved.simulation.solve.plan.commission.tiers);
  assert.ok(Math.abs(c.solve.cost_of_sales - c.solve.target) < 1e-3 * c.solve.target);

  // Apply edits the plan by a command; the simulation reruns at the solved cost; undo restores.
  await click('comp.solve.apply');
  const solvedTiers = JSON.stringify(solved.simulation.solve.plan.commission.tiers);
  c = await until((x) => JSON.stringify(x.saved.commission.tiers) === solvedTiers && x.simulation.complete,
    'the solved plan is applied and simulated', 800);
  assert.notEqual(c.saved.commission.tiers[1].multiplier, 1.8, 'the accelerator changed');
  assert.equal(c.simulation.expected_cost_of_sales, solved.simulation.solve.cost_of_sales);
  await click('menu.edit');
  await click('menu.undo');
  c = await until((x) => x.saved.commission.tiers[1].multiplier === 1.8 && x.plans === 2, 'undo restores the plan before the solve');

  // Undo (Edit menu) removes the copy; the scenario file keeps the edited plan.
  await click('menu.edit');
  await click('menu.undo');
  c = await until((x) => x.plans === 1, 'undo removes the duplicated plan');
  const text = await page.evaluate(() => window.terrane.scenarioText());
  assert.ok(await page.evaluate((t) => window.terrane.openScenarioText('comp.terrane', t), text), 'the saved file opens');
  c = await until((x) => x.plans === 1 && !x.starter, 'the opened file has its plan');
  assert.equal(c.saved.commission.tiers[1].multiplier, 1.8);
  assert.equal(cents(c.total_payout), cents(cli.total_payout), 'leadership opening the file sees the same total');
  assert.deepEqual(studio.consoleErrors, []);
});
