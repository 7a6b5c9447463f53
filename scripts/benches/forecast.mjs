// Forecast and backtest (terrane forecast / terrane backtest): the engine against a
// straightforward baseline, natively and as WebAssembly under node (the page runs the same wasm
// code as a sliced job), on ~100k generated opportunities.
//  * forecast: one quarter, 10,000 Monte Carlo trials. Fast: the deals carrying most of the
//    variance drawn one by one, the rest summed per owner/team/segment cell; baseline: every
//    deal drawn in every trial.
//  * backtest: 24 months. Fast: the forecast as of each past period start computed once and
//    shared between the periods whose headline needs it; baseline: every period from scratch.
// Prints the compute times (from --timings), the ratios, and whether native and wasm agree.
// Nothing here asserts a time.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fmtMs, nativeCli, nodeCli, requireFile, tempDir } from './_util.mjs';

function runJson(cmd, pre, args) {
  const out = execFileSync(cmd, [...pre, ...args, '--json', '--timings'], { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'pipe'] });
  return JSON.parse(out);
}

export async function run({ quick }) {
  requireFile(nativeCli, 'run scripts/build.sh native');
  requireFile(nodeCli, 'run scripts/build.sh web');
  const accounts = quick ? 33000 : 165000, reps = quick ? 200 : 1000, trials = quick ? 2000 : 10000, months = quick ? 6 : 24;
  const dir = tempDir();
  execFileSync(nativeCli, ['demo', '--out', dir, '--accounts', String(accounts), '--reps', String(reps), '--seed', '7'], { stdio: 'ignore' });
  const data = ['--opportunities', path.join(dir, 'opportunities.csv'), '--accounts', path.join(dir, 'accounts.csv'), '--reps', path.join(dir, 'reps.csv')];
  for (const f of ['stage_history.csv', 'opportunity_history.csv'])
    if (fs.existsSync(path.join(dir, f))) data.push('--stage-history', path.join(dir, f));
  const opps = fs.readFileSync(path.join(dir, 'opportunities.csv'), 'utf8').split('\n').length - 2;
  // The backtest ends with the last complete month of the data; the forecast is made as of the
  // data's end (the CLI's default).
  const probe = runJson(nativeCli, [], ['backtest', ...data, '--period', 'month', '--history', '1']);
  const lastStart = probe.periods.length ? probe.periods[probe.periods.length - 1].start : null;
  const from = (() => {
    if (!lastStart) return null;
    const d = new Date(lastStart + 'T00:00:00Z');
    d.setUTCMonth(d.getUTCMonth() - (months - 1));
    return d.toISOString().slice(0, 10);
  })();
  console.log(`${opps} opportunities, ${reps} reps; forecast: 1 quarter x ${trials} trials; backtest: ${months} months from ${from}`);
  const res = { opportunities: opps, trials, months };
  for (const [label, cmd, pre] of [['native', nativeCli, []], ['wasm (node)', process.execPath, [nodeCli]]]) {
    const key = label === 'native' ? 'native' : 'wasm';
    for (const engine of ['fast', 'naive']) {
      const f = runJson(cmd, pre, ['forecast', ...data, '--period', 'quarter', '--trials', String(trials), '--seed', '1', '--engine', engine, '--deals', '0']);
      const p = f.periods[0];
      console.log(`${label.padEnd(12)} forecast ${engine.padEnd(6)} ${fmtMs(f.timings_ms.forecast).padStart(11)}   P10/P50/P90 ${p.p10.toFixed(0)} / ${p.p50.toFixed(0)} / ${p.p90.toFixed(0)}   MC P50 ${p.methods.monte_carlo.value.toFixed(0)}`);
      res[`${key}_forecast_${engine}_ms`] = f.timings_ms.forecast;
      res[`${key}_forecast_${engine}_p50`] = p.p50;
      if (engine === 'fast') res[`${key}_fingerprint`] = f.fingerprint;
    }
    for (const engine of ['fast', 'naive']) {
      if (engine === 'naive' && quick && key === 'wasm') continue;
      const b = runJson(cmd, pre, ['backtest', ...data, '--period', 'month', '--from', from, '--to', lastStart, '--engine', engine]);
      console.log(`${label.padEnd(12)} backtest ${engine.padEnd(6)} ${fmtMs(b.timings_ms.backtest).padStart(11)}   ${b.periods.length} months, median abs error ${(b.median_abs_error * 100).toFixed(1)}%, P10-P90 coverage ${(b.coverage_p10_p90 * 100).toFixed(0)}%`);
      res[`${key}_backtest_${engine}_ms`] = b.timings_ms.backtest;
      if (engine === 'fast') res[`${key}_backtest_mdape`] = b.median_abs_error;
    }
  }
  const r = (a, b) => (res[a] && res[b] ? res[b] / res[a] : null);
  res.forecast_speedup_native = r('native_forecast_fast_ms', 'native_forecast_naive_ms');
  res.forecast_speedup_wasm = r('wasm_forecast_fast_ms', 'wasm_forecast_naive_ms');
  res.backtest_speedup_native = r('native_backtest_fast_ms', 'native_backtest_naive_ms');
  res.backtest_speedup_wasm = r('wasm_backtest_fast_ms', 'wasm_backtest_naive_ms');
  res.wasm_over_native_forecast = r('native_forecast_fast_ms', 'wasm_forecast_fast_ms');
  res.wasm_over_native_backtest = r('native_backtest_fast_ms', 'wasm_backtest_fast_ms');
  res.same_numbers = res.native_forecast_fast_p50 === res.wasm_forecast_fast_p50;
  const x = (v) => (v ? `${v.toFixed(2)}x` : 'n/a');
  console.log(`fast vs naive: forecast ${x(res.forecast_speedup_native)} native, ${x(res.forecast_speedup_wasm)} wasm; ` +
    `backtest ${x(res.backtest_speedup_native)} native, ${x(res.backtest_speedup_wasm)} wasm`);
  console.log(`wasm/native (fast): forecast ${x(res.wasm_over_native_forecast)}, backtest ${x(res.wasm_over_native_backtest)}`);
  console.log(`native and wasm headline P50 equal: ${res.same_numbers ? 'yes' : 'NO'} (fingerprints ${res.native_fingerprint === res.wasm_fingerprint ? 'equal' : 'differ'})`);
  fs.rmSync(dir, { recursive: true, force: true });
  return res;
}
