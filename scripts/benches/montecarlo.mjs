// Attainment Monte Carlo (terrane quota --trials): the fast engine against the naive baseline,
// natively and as WebAssembly under node (a fair proxy for the page), on the same sample.
// Prints times of the simulation alone (from --timings), ratios, and whether native and wasm
// produced bit-identical results (same fingerprint). Goal: 10,000 trials x 1,000 reps <= 1 s in
// the page. Nothing here asserts a time.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { launch, openStudio, startServer } from '../browser.mjs';
import { fmtMs, nativeCli, nodeCli, requireFile, root, startPageSimulation, tempDir } from './_util.mjs';

// The same simulation in the page (headless Chromium, wasm): load the sample, set the target and
// the trials through the Quotas panel, and read the job's compute time (all slices) from the
// test hook. The page runs the job in 10 ms slices per frame, so wall time depends on the frame
// rate; compute time is what the goal is about.
export async function pageRun(accounts, reps, trials) {
  const srv = await startServer();
  const browser = await launch();
  try {
    const { page } = await openStudio(browser, srv.url, { width: 1280, height: 800 });
    const frames = (n) => page.evaluate((k) => window.terrane.frames(k), n);
    const quota = async () => (await page.evaluate(() => window.terrane.state())).quota;
    await startPageSimulation(page, accounts, reps, trials);
    const t0 = Date.now();
    for (;;) {
      const q = await quota();
      if (q.fresh && q.simulation.complete && q.simulation.trials === trials) {
        return { ms: q.simulation.compute_ms, wall_ms: Date.now() - t0, reps: q.simulation.reps, fingerprint: q.simulation.fingerprint };
      }
      if (Date.now() - t0 > 600000) throw new Error('the page simulation did not finish in 10 minutes');
      await frames(4);
    }
  } finally {
    await browser.close();
    await srv.close();
  }
}

function simulate(cmd, pre, data, trials, engine) {
  // The page's defaults: $1,000 rounding with the remainder on the largest quota, seed 1.
  const out = execFileSync(cmd, [...pre, 'quota', ...data, '--target', '60000000', '--rounding', '1000', '--remainder', 'largest',
    '--trials', String(trials), '--seed', '1', '--engine', engine, '--json', '--timings'], { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'pipe'] });
  const j = JSON.parse(out);
  return { ms: j.timings_ms.simulation, fingerprint: j.simulation.fingerprint, share: j.simulation.share_reps_at_or_above_100 };
}

export async function run({ quick }) {
  requireFile(nativeCli, 'run scripts/build.sh native');
  requireFile(nodeCli, 'run scripts/build.sh web');
  const reps = quick ? 200 : 1000, accounts = quick ? 20000 : 100000, trials = quick ? 2000 : 10000, rounds = quick ? 1 : 3;
  const dir = tempDir();
  execFileSync(nativeCli, ['demo', '--out', dir, '--accounts', String(accounts), '--reps', String(reps), '--seed', '7'], { stdio: 'ignore' });
  const data = ['--accounts', 'accounts.csv', '--reps', 'reps.csv', '--territories', 'territories.csv', '--opportunities', 'opportunities.csv']
    .map((a) => (a.endsWith('.csv') ? path.join(dir, a) : a));
  console.log(`${trials} trials x ${reps} reps (sample: ${accounts} accounts), median of ${rounds}`);
  const out = {};
  for (const [label, cmd, pre] of [['native', nativeCli, []], ['wasm (node)', process.execPath, [nodeCli]]]) {
    out[label] = {};
    for (const engine of ['fast', 'naive']) {
      const runs = [];
      for (let i = 0; i < rounds; ++i) runs.push(simulate(cmd, pre, data, trials, engine));
      runs.sort((a, b) => a.ms - b.ms);
      const m = runs[Math.floor(runs.length / 2)];
      out[label][engine] = m;
      console.log(`${label.padEnd(12)} ${engine.padEnd(6)} ${fmtMs(m.ms).padStart(11)}   reps at 100%+: ${(m.share * 100).toFixed(1)}%   fingerprint ${m.fingerprint}`);
    }
  }
  try {
    const p = await pageRun(accounts, reps, trials);
    out.page = p;
    console.log(`${'page (wasm)'.padEnd(12)} fast   ${fmtMs(p.ms).padStart(11)}   compute time of the job (${p.reps} reps; wall ${fmtMs(p.wall_ms)} in 10 ms slices at the headless frame rate)   fingerprint ${p.fingerprint}`);
  } catch (e) {
    console.log(`page run skipped: ${e.message}`);
  }
  const n = out.native, w = out['wasm (node)'];
  const res = {
    trials, reps, accounts,
    native_fast_ms: n.fast.ms, native_naive_ms: n.naive.ms, wasm_fast_ms: w.fast.ms, wasm_naive_ms: w.naive.ms,
    speedup_native: n.naive.ms / n.fast.ms, speedup_wasm: w.naive.ms / w.fast.ms,
    wasm_over_native_fast: w.fast.ms / n.fast.ms, wasm_over_native_naive: w.naive.ms / n.naive.ms,
    bit_identical: n.fast.fingerprint === w.fast.fingerprint && n.naive.fingerprint === w.naive.fingerprint,
    page_fast_ms: out.page ? out.page.ms : null,
    page_wall_ms: out.page ? out.page.wall_ms : null,
  };
  console.log(`fast vs naive: ${res.speedup_native.toFixed(2)}x native, ${res.speedup_wasm.toFixed(2)}x wasm;` +
    ` wasm/native: fast ${res.wasm_over_native_fast.toFixed(2)}x, naive ${res.wasm_over_native_naive.toFixed(2)}x`);
  console.log(`native and wasm bit-identical (fingerprints): ${res.bit_identical ? 'yes' : 'NO'}`);
  if (out.page) console.log(`page and native bit-identical (fingerprints): ${out.page.fingerprint === n.fast.fingerprint ? 'yes' : 'NO'}`);
  if (!quick) {
    const pg = out.page ? out.page.ms : w.fast.ms;
    console.log(`page goal (10,000 trials x 1,000 reps <= 1000 ms of compute): ${pg <= 1000 ? 'met' : 'not met'} (${fmtMs(pg)}${out.page ? ' in the page' : ' wasm under node'})`);
  }
  // The workbook of the same plan, read by an independent XLSX reader when Debian's openpyxl is there.
  const xlsx = path.join(dir, 'plan.xlsx');
  execFileSync(nativeCli, ['quota', ...data, '--target', '60000000', '--trials', '200', '--xlsx', xlsx], { stdio: 'ignore' });
  try {
    console.log(execFileSync(path.join(root, 'scripts', 'check_xlsx.py'), [xlsx], { encoding: 'utf8' }).trim());
    res.xlsx_check = 'ok';
  } catch (e) {
    res.xlsx_check = e.status === 3 ? 'skipped (no openpyxl)' : 'failed';
    console.log(`xlsx check: ${res.xlsx_check}`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  return res;
}
