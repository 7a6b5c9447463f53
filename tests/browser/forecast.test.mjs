// The Forecast workspace in headless Chromium, driven like a user: Analyse > Forecast on the
// sample workspace shows the same headline P10/P50/P90 as `terrane forecast` on the same files
// (`terrane demo` writes what the page opens) for the same as-of date, period and seed, and the
// same flag counts as `terrane pipeline`; every method shows a human name; clicking
// a flag and a flagged deal selects their accounts on the map; the forecast saved into the
// scenario travels in the .terrane file and review mode shows it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { click as clickControl, launch, openStudio, startServer } from '../../scripts/browser.mjs';
import { runCli, tempDir } from './helpers.mjs';

let srv, browser, studio, page, dataDir;

const state = () => page.evaluate(() => window.terrane.state());
const forecastState = async () => (await state()).forecast;
const frames = (n = 2) => page.evaluate((k) => window.terrane.frames(k), n);
const click = (name) => clickControl(page, name);

async function settled() {
  for (let i = 0; i < 3000; ++i) {
    const f = await forecastState();
    if (f.fresh && f.valid && !f.running) return f;
    await frames(2);
  }
  throw new Error('the forecast did not finish');
}

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

test('Analyse > Forecast matches terrane forecast; flags and deals select their accounts; the saved forecast reaches review mode', async () => {
  await click('menu.analyse');
  await click('menu.forecast');
  const f = await settled();
  assert.equal(f.open, true);
  assert.ok(f.periods.length >= 1);

  // The same numbers as the CLI on the same files, as-of date, period, trials and seed.
  const d = (name) => path.join(dataDir, name);
  const args = ['forecast', '--opportunities', d('opportunities.csv')];
  for (const [flag, file] of [['--stage-history', 'stage_history.csv'], ['--accounts', 'accounts.csv'], ['--reps', 'reps.csv']])
    if (fs.existsSync(d(file))) args.push(flag, d(file));
  args.push('--as-of', f.as_of, '--period', f.period, '--periods', String(f.periods.length), '--trials', String(f.trials),
    '--seed', String(f.seed), '--json');
  const cli = JSON.parse(runCli(args));
  assert.equal(cli.periods.length, f.periods.length);
  for (let i = 0; i < f.periods.length; ++i) {
    const [p, c] = [f.periods[i], cli.periods[i]];
    assert.equal(p.start, c.start);
    for (const k of ['closed_won', 'p10', 'p50', 'p90']) assert.equal(p[k], c[k], `period ${p.label} ${k}: page ${p[k]}, CLI ${c[k]}`);
  }
  assert.ok(f.periods[0].p10 <= f.periods[0].p50 && f.periods[0].p50 <= f.periods[0].p90);
  for (const [key, m] of Object.entries(f.periods[0].methods)) assert.ok(m.name !== key && !m.name.includes('_'), `method ${key} shows a name`);

  // The flags' counts are `terrane pipeline`'s on the same files and date (the rules that need no
  // model), and "far larger than usual" picks out a few outliers, not a third of the pipeline.
  const pargs = ['pipeline', '--opportunities', d('opportunities.csv')];
  for (const [flag, file] of [['--stage-history', 'stage_history.csv'], ['--accounts', 'accounts.csv'], ['--reps', 'reps.csv']])
    if (fs.existsSync(d(file))) pargs.push(flag, d(file));
  const pipe = JSON.parse(runCli([...pargs, '--as-of', f.as_of, '--json']));
  assert.equal(pipe.flags.length, 4);
  for (const c of pipe.flags) {
    const shown = f.flags.find((x) => x.id === c.id);
    assert.equal(shown.deals + shown.unscored, c.count, `${c.id}: page ${shown.deals} + ${shown.unscored}, CLI ${c.count}`);
  }
  const oversized = f.flags.find((x) => x.id === 'oversized');
  assert.ok(oversized.deals > 0 && oversized.deals <= f.deals / 10, `far larger than usual: ${oversized.deals} of ${f.deals}`);
  assert.ok(f.backtest.periods > 0, 'the sample backtests itself');

  // A risk flag: its deals' accounts are selected on the map.
  await click('forecast.tab2');
  const flagIndex = f.flags.findIndex((x) => x.deals > 0 && x.account_rows.some((r) => r >= 0));
  assert.ok(flagIndex >= 0, 'the sample has a flag with deals on the map');
  await click(`forecast.flag${flagIndex}`);
  let s = await state();
  const rows = new Set(s.forecast.flags[flagIndex].account_rows.filter((r) => r >= 0));
  assert.equal(s.forecast.flag_filter, flagIndex);
  assert.equal(s.selected_count, rows.size);

  // A flagged deal (the table now lists the flag's deals): its account alone.
  await click('forecast.deal0');
  s = await state();
  assert.ok(s.forecast.selected_deal >= 0);
  assert.equal(s.selected_account, s.forecast.selected_deal_account_row);
  assert.ok(rows.has(s.selected_account), 'the deal clicked is one of the flag\'s');
  assert.equal(s.selected_count, 1);

  // Save into the scenario (an undoable edit), then open the file as leadership does.
  await click('forecast.save');
  s = await state();
  assert.ok(s.forecast.saved, 'the scenario holds the forecast');
  assert.equal(s.forecast.saved.seed, f.seed);
  assert.equal(s.forecast.saved.periods[0].p50, Math.round(f.periods[0].p50 * 100));
  assert.equal(s.can_undo, true);
  const text = await page.evaluate(() => window.terrane.scenarioText());
  assert.ok(text.includes('"save_forecast"'));
  assert.equal(await page.evaluate((t) => window.terrane.openScenarioText('forecast.terrane', t), text), true);
  await frames(3);
  s = await state();
  assert.equal(s.review_mode, true);
  assert.ok(s.targets['review.forecast'], 'review mode shows the saved forecast');
  assert.equal(s.forecast.saved.periods[0].p50, Math.round(f.periods[0].p50 * 100));
  assert.deepEqual(studio.consoleErrors, []);
});
