// Forecast accuracy on generated CRM histories with known behaviour (crm_generator.py): the
// backtest's median absolute error and P10-P90 coverage per dataset, monthly and quarterly,
// for the headline, the model and the baselines. Accuracy, not time: the baselines are the
// comparison. Error falls with volume (which deals land in a month is itself random).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { nativeCli, requireFile, root, tempDir } from './_util.mjs';

const datasets = [
  ['20 a day, growing, seasonal', ['per_day=20', 'seed=2', 'growth=0.3', 'season=0.2']],
  ['2 a day', ['per_day=2', 'seed=3']],
  ['heavy-tailed amounts', ['per_day=4', 'seed=5', 'sigma=1.4', 'growth=0.2']],
  ['no close dates, no categories', ['per_day=10', 'seed=4', 'close_dates=0', 'categories=0', 'quarter_end_pull=0.5']],
  ['no stage history', ['per_day=10', 'seed=6', 'history=0']],
];

export async function run({ quick }) {
  requireFile(nativeCli, 'run scripts/build.sh native');
  const dir = tempDir();
  const res = {};
  const pct = (v) => (v === null || v === undefined ? '   n/a' : `${(v * 100).toFixed(1).padStart(5)}%`);
  console.log('dataset                          period   headline  cover    model  stage-w.  seasonal-naive  trailing-mean  plain-stage-w.');
  for (const [name, args] of quick ? datasets.slice(0, 2) : datasets) {
    const d = path.join(dir, name.replace(/[^a-z0-9]+/gi, '-'));
    execFileSync('python3', [path.join(root, 'scripts', 'benches', 'crm_generator.py'), d, ...args]);
    const files = ['--opportunities', path.join(d, 'opportunities.csv')];
    if (fs.existsSync(path.join(d, 'stage_history.csv'))) files.push('--stage-history', path.join(d, 'stage_history.csv'));
    for (const [period, from, to] of [['month', '2022-01-01', '2025-11-01'], ['quarter', '2022-01-01', '2025-07-01']]) {
      const out = execFileSync(nativeCli, ['backtest', ...files, '--period', period, '--from', from, '--to', to, '--json'], { encoding: 'utf8', maxBuffer: 1 << 28 });
      const b = JSON.parse(out);
      const m = b.methods, base = b.baselines;
      console.log(`${name.padEnd(32)} ${period.padEnd(8)} ${pct(b.median_abs_error)}   ${pct(b.coverage_p10_p90)}  ${pct(m.model?.median_abs_error)}  ${pct(m.stage_weighted?.median_abs_error)}          ${pct(base.seasonal_naive?.median_abs_error)}         ${pct(base.trailing_mean?.median_abs_error)}          ${pct(base.stage_weighted?.median_abs_error)}`);
      res[`${name} ${period}`] = { periods: b.periods_scored, mdape: b.median_abs_error, coverage: b.coverage_p10_p90, model: m.model?.median_abs_error,
        seasonal_naive: base.seasonal_naive?.median_abs_error, trailing_mean: base.trailing_mean?.median_abs_error };
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
  return res;
}
