// Commission payouts (terrane comp): the payout engine on 10,000 reps and 1,000,000 deals, and the
// plan's cost under uncertainty (10,000 trials x 1,000 reps of the attainment Monte Carlo fed
// through the plan), natively, as WebAssembly under node (terrane_node.wasm) and in the page
// (headless Chromium: the Compensation panel's job), each against a straightforward baseline in
// the same run (the page against the baseline's wasm run) (payouts: owners' deals in a
// std::map, long double tiers; cost: all bookings kept, every rep-trial through the exact
// per-line engine, sorting for percentiles). Then the XLSX statements are recalculated by
// LibreOffice (headless) and checked against the JSON. Nothing here asserts a time.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { click as clickControl, launch, openStudio, startServer } from '../browser.mjs';
import { fmtMs, nativeCli, nodeCli, requireFile, root, startPageSimulation, tempDir } from './_util.mjs';

const PLAN = {
  format: 'terrane-comp-plan', version: 1, name: 'AE plan 2026', currency: 'USD',
  period: { start: '2026-01-01', end: '2026-12-31' },
  credit: { measure: 'amount', date: 'close_date', to: 'owner', won_only: true },
  commission: {
    method: 'marginal',
    tiers: [{ from_attainment: 0.0, multiplier: 0.5 }, { from_attainment: 0.5, multiplier: 1.0 },
      { from_attainment: 1.0, multiplier: 1.5 }, { from_attainment: 1.5, multiplier: 2.0 }],
    cap_of_target_incentive: 2.5,
  },
  spiffs: [{ name: 'Pro Suite push', product: 'Pro Suite', from: '2026-07-01', to: '2026-09-30', per_deal: 250.0 }],
};

// Deterministic CRM-like files: reps R00001.., deals with an owner, amount, close date, product.
function writeData(dir, reps, deals) {
  let seed = 12345;
  const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
  const q = ['rep_id,quota,target_incentive'];
  for (let r = 0; r < reps; ++r) q.push(`R${String(r + 1).padStart(5, '0')},${800000 + 1000 * Math.floor(rnd() * 400)},${80000 + 100 * Math.floor(rnd() * 400)}`);
  fs.writeFileSync(path.join(dir, 'quotas.csv'), q.join('\n') + '\n');
  const products = ['Core Platform', 'Pro Suite', 'Analytics', 'Services'];
  const fd = fs.openSync(path.join(dir, 'opportunities.csv'), 'w');
  fs.writeSync(fd, 'Opportunity ID,Owner ID,Stage,Amount,Close Date,Product\n');
  let buf = [];
  for (let d = 0; d < deals; ++d) {
    const won = rnd() < 0.7;
    const day = 1 + Math.floor(rnd() * 365);
    const date = new Date(Date.UTC(2026, 0, day)).toISOString().slice(0, 10);
    buf.push(`O${d + 1},R${String(1 + Math.floor(rnd() * reps)).padStart(5, '0')},${won ? 'Closed Won' : 'Closed Lost'},${(1000 + Math.floor(rnd() * 2000000)) / 100},${date},${products[Math.floor(rnd() * 4)]}`);
    if (buf.length === 10000) { fs.writeSync(fd, buf.join('\n') + '\n'); buf = []; }
  }
  if (buf.length) fs.writeSync(fd, buf.join('\n') + '\n');
  fs.closeSync(fd);
  fs.writeFileSync(path.join(dir, 'plan.json'), JSON.stringify(PLAN, null, 1));
}

// The cost simulation in the page (headless Chromium, wasm): the same sample loaded, the quota
// target and trials set through the Quotas panel, then Plan > Compensation > Cost simulation with
// the starting plan; the job's compute time (all its slices: the attainment simulation streamed
// through the plan) read from the test hook. Wall time depends on the headless frame rate.
export async function pageRun(accounts, reps, trials) {
  const srv = await startServer();
  const browser = await launch();
  try {
    const { page } = await openStudio(browser, srv.url, { width: 1440, height: 900 });
    const frames = (n) => page.evaluate((k) => window.terrane.frames(k), n);
    const state = () => page.evaluate(() => window.terrane.state());
    const click = (name) => clickControl(page, name);
    await startPageSimulation(page, accounts, reps, trials);
    await click('menu.plan');
    await click('menu.comp');
    for (let i = 0; i < 5 && (await state()).comp.tab !== 3; ++i) await click('comp.tab.3');
    const t0 = Date.now();
    for (;;) {
      const c = (await state()).comp;
      if (c.fresh && c.simulation.complete && c.simulation.trials === trials) {
        return { ms: c.simulation.compute_ms, wall_ms: Date.now() - t0, reps: c.simulation.reps,
          payout_p50: c.simulation.payout_p50, expected_cost_of_sales: c.simulation.expected_cost_of_sales };
      }
      if (Date.now() - t0 > 600000) throw new Error('the page cost simulation did not finish in 10 minutes');
      await frames(4);
    }
  } finally {
    await browser.close();
    await srv.close();
  }
}

function comp(cmd, pre, args) {
  const out = execFileSync(cmd, [...pre, 'comp', ...args, '--json', '--timings', '--no-deals'],
    { encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'] });
  return JSON.parse(out);
}

function median(runs, key) {
  const v = runs.map(key).sort((a, b) => a - b);
  return v[Math.floor(v.length / 2)];
}

// LibreOffice recalculation of the statements: a fresh profile that recalculates on load, a
// conversion to XLSX (which stores the recalculated values), then the independent reader.
function libreoffice(dir, statements, jsonPath) {
  const has = () => { try { execFileSync('soffice', ['--version'], { stdio: 'ignore' }); return true; } catch { return false; } };
  if (!has()) {
    try {
      execFileSync(path.join(root, 'scripts', 'setup.sh'), ['libreoffice'], { stdio: 'ignore', timeout: 900000 });
    } catch (e) { /* reported below */ }
  }
  if (!has()) return 'skipped: LibreOffice (libreoffice-calc-nogui) could not be installed by scripts/setup.sh libreoffice';
  const profile = path.join(dir, 'lo-profile');
  fs.mkdirSync(path.join(profile, 'user'), { recursive: true });
  fs.writeFileSync(path.join(profile, 'user', 'registrymodifications.xcu'),
    '<?xml version="1.0" encoding="UTF-8"?>\n<oor:items xmlns:oor="http://openoffice.org/2001/registry" ' +
    'xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n' +
    '<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>\n' +
    '</oor:items>\n');
  const out = path.join(dir, 'recalculated');
  fs.mkdirSync(out, { recursive: true });
  const files = fs.readdirSync(statements).filter((f) => f.endsWith('.xlsx')).map((f) => path.join(statements, f));
  execFileSync('soffice', [`-env:UserInstallation=file://${profile}`, '--headless', '--calc', '--convert-to', 'xlsx', '--outdir', out, ...files],
    { stdio: 'ignore', timeout: 600000 });
  try {
    return execFileSync(path.join(root, 'scripts', 'check_statements.py'), [out, jsonPath], { encoding: 'utf8' }).trim() +
      ' (values recalculated by LibreOffice)';
  } catch (e) {
    return `FAILED: ${(e.stdout || '').toString().trim()}`;
  }
}

export async function run({ quick }) {
  requireFile(nativeCli, 'run scripts/build.sh native');
  requireFile(nodeCli, 'run scripts/build.sh web');
  const reps = quick ? 1000 : 10000, deals = quick ? 100000 : 1000000, rounds = 1; // runs of seconds: one round
  const dir = tempDir();
  writeData(dir, reps, deals);
  const files = ['--plan', path.join(dir, 'plan.json'), '--opportunities', path.join(dir, 'opportunities.csv'),
    '--quotas', path.join(dir, 'quotas.csv')];
  const res = { reps, deals };
  console.log(`payouts: ${reps} reps, ${deals} deals (median of ${rounds}; engine vs straightforward baseline, same run)`);
  for (const [label, cmd, pre] of [['native', nativeCli, []], ['wasm (node)', process.execPath, [nodeCli]]]) {
    const runs = [];
    for (let i = 0; i < rounds; ++i) runs.push(comp(cmd, pre, files));
    const fast = median(runs, (r) => r.timings_ms.payouts), naive = median(runs, (r) => r.timings_ms.payouts_naive);
    const load = median(runs, (r) => r.timings_ms.load);
    const r0 = runs[0];
    const same = r0.total_payout === r0.timings_ms.naive_total_payout;
    console.log(`${label.padEnd(12)} engine ${fmtMs(fast).padStart(10)}  baseline ${fmtMs(naive).padStart(10)}  ratio ${(naive / fast).toFixed(2)}x` +
      `   (CSV import ${fmtMs(load)}; total ${r0.total_payout.toFixed(2)}, baseline total ${r0.timings_ms.naive_total_payout.toFixed(2)}${same ? ', equal' : ''})`);
    res[label === 'native' ? 'native' : 'wasm'] = { payouts_ms: fast, baseline_ms: naive, ratio: naive / fast, load_ms: load, total: r0.total_payout, baseline_total: r0.timings_ms.naive_total_payout };
  }
  res.wasm_over_native = res.wasm.payouts_ms / res.native.payouts_ms;
  console.log(`wasm/native (engine): ${res.wasm_over_native.toFixed(2)}x`);

  // Cost simulation on the demo sample (quotas from a 60M target; target incentive 10% of quota).
  const simReps = quick ? 200 : 1000, accounts = quick ? 20000 : 100000, trials = quick ? 2000 : 10000;
  const sdir = path.join(dir, 'sample');
  execFileSync(nativeCli, ['demo', '--out', sdir, '--accounts', String(accounts), '--reps', String(simReps), '--seed', '7'], { stdio: 'ignore' });
  const data = ['accounts', 'reps', 'territories', 'opportunities'].flatMap((k) => [`--${k}`, path.join(sdir, `${k}.csv`)]);
  const simArgs = ['--plan', path.join(dir, 'plan.json'), ...data, '--target', '60000000', '--default-ti-share', '0.1',
    '--trials', String(trials), '--budget', '6500000'];
  console.log(`cost simulation: ${trials} trials x ${simReps} reps (sample: ${accounts} accounts), median of ${rounds}`);
  for (const [label, cmd, pre] of [['native', nativeCli, []], ['wasm (node)', process.execPath, [nodeCli]]]) {
    const out = {};
    for (const engine of ['fast', 'naive']) {
      const runs = [];
      for (let i = 0; i < rounds; ++i) runs.push(comp(cmd, pre, [...simArgs, '--engine', engine]));
      out[engine] = { ms: median(runs, (r) => r.timings_ms.simulation), sim: runs[0].simulation };
    }
    const s = out.fast.sim;
    console.log(`${label.padEnd(12)} fast ${fmtMs(out.fast.ms).padStart(10)}  baseline ${fmtMs(out.naive.ms).padStart(10)}  ratio ${(out.naive.ms / out.fast.ms).toFixed(2)}x` +
      `   payout P10/P50/P90 ${s.payout_p10}/${s.payout_p50}/${s.payout_p90}, cost of sales P50 ${(100 * s.cost_of_sales_p50).toFixed(2)}%,` +
      ` P(> budget) ${(100 * s.prob_exceed_budget).toFixed(1)}%, reps at OTE ${(100 * s.share_reps_at_ote).toFixed(1)}%` +
      `${out.fast.sim.payout_p50 === out.naive.sim.payout_p50 ? '; baseline P50 equal' : '; baseline P50 ' + out.naive.sim.payout_p50}`);
    res[label === 'native' ? 'sim_native' : 'sim_wasm'] = { fast_ms: out.fast.ms, naive_ms: out.naive.ms, ratio: out.naive.ms / out.fast.ms, ...s };
  }
  try {
    const p = await pageRun(accounts, simReps, trials);
    res.sim_page = { ...p, baseline_ms: res.sim_wasm.naive_ms, ratio: res.sim_wasm.naive_ms / p.ms };
    console.log(`${'page (wasm)'.padEnd(12)} fast ${fmtMs(p.ms).padStart(10)}  baseline ${fmtMs(res.sim_wasm.naive_ms).padStart(10)}  ratio ${res.sim_page.ratio.toFixed(2)}x` +
      `   (compute time of the page's job, ${p.reps} reps, starting plan; wall ${fmtMs(p.wall_ms)} in 10 ms slices; baseline: the wasm above)`);
  } catch (e) {
    console.log(`page run skipped: ${e.message}`);
  }
  const pageMs = res.sim_page ? res.sim_page.ms : res.sim_wasm.fast_ms;
  if (!quick) console.log(`page goal (10,000 trials x 1,000 reps <= 1000 ms): ${pageMs <= 1000 ? 'met' : 'not met'} (${fmtMs(pageMs)} ${res.sim_page ? 'in the page' : 'wasm under node'}, attainment simulation included)`);

  // Statements: openpyxl on Terrane's cached values, then LibreOffice's recalculation.
  const st = path.join(dir, 'statements');
  const small = ['--plan', path.join(dir, 'plan.json'), '--opportunities', path.join(dir, 'opportunities.csv'), '--quotas', path.join(dir, 'quotas.csv')];
  const json = execFileSync(nativeCli, ['comp', ...small, '--statements', st, '--json', '--no-deals'], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const jsonPath = path.join(dir, 'payouts.json');
  fs.writeFileSync(jsonPath, json);
  // Keep 20 statements for the spreadsheet engines.
  fs.readdirSync(st).sort().slice(20).forEach((f) => fs.rmSync(path.join(st, f)));
  try {
    res.openpyxl = execFileSync(path.join(root, 'scripts', 'check_statements.py'), [st, jsonPath], { encoding: 'utf8' }).trim();
  } catch (e) {
    res.openpyxl = `FAILED (${e.status}): ${(e.stdout || '').toString().trim()}`;
  }
  console.log(res.openpyxl);
  res.libreoffice = libreoffice(dir, st, jsonPath);
  console.log(`LibreOffice: ${res.libreoffice}`);
  fs.rmSync(dir, { recursive: true, force: true });
  return res;
}
