// The territory optimiser: quality against a weighted k-means baseline and against exact optima,
// and speed natively vs WebAssembly under node (the page runs the same wasm core; node's V8 runs
// wasm like Chromium's, so it is a fair proxy for the page's speed). Everything is measured in
// this run; nothing asserts a wall-clock time.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { nativeCli, nodeCli, requireFile, tempDir } from './_util.mjs';

// [SECTION] instances
// Deterministic PRNG (mulberry32) so every run builds the same instances.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function normal(r) {
  let u = 0;
  while (u === 0) u = r();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r());
}

// Planar accounts: 70% in clusters (metro areas), 30% spread out; lognormal potential, workload
// that follows size loosely, 20% customers with ARR.
export function writeSynthetic(file, n, seed, { clusters = 12, sigma = 0.6 } = {}) {
  const r = rng(seed);
  const cx = [], cy = [], cw = [];
  for (let c = 0; c < clusters; ++c) cx.push(100 + 800 * r()), cy.push(100 + 800 * r()), cw.push(30 + 80 * r());
  const lines = ['account_id,x,y,potential,workload,arr'];
  for (let i = 0; i < n; ++i) {
    let x, y;
    if (r() < 0.3) {
      x = 1000 * r();
      y = 1000 * r();
    } else {
      const c = Math.floor(r() * clusters);
      x = cx[c] + cw[c] * normal(r);
      y = cy[c] + cw[c] * normal(r);
    }
    const pot = Math.floor(20000 * Math.exp(sigma * normal(r)));
    const work = Math.floor(10 + 20 * r() + pot / 4000);
    const arr = r() < 0.2 ? Math.floor(pot * 0.3) : 0;
    lines.push(`A${String(i + 1).padStart(7, '0')},${x.toFixed(3)},${y.toFixed(3)},${pot},${work},${arr}`);
  }
  fs.writeFileSync(file, lines.join('\n') + '\n');
}

// [SECTION] running the CLI
function cli(kind, args) {
  const [cmd, pre] = kind === 'wasm' ? [process.execPath, [nodeCli]] : [nativeCli, []];
  const t0 = process.hrtime.bigint();
  const out = execFileSync(cmd, [...pre, ...args], { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 30 });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  return { json: JSON.parse(out.toString()), wallMs };
}

function balance(kind, accounts, k, metrics, extra = [], out) {
  const args = ['balance', '--accounts', accounts, '--territories', String(k), '--out', out, '--json'];
  for (const m of metrics) args.push('--balance', m);
  return cli(kind, [...args, ...extra]);
}

const pct = (x) => `${(100 * x).toFixed(2)}%`;
const devText = (md) => Object.entries(md).map(([m, d]) => `${m} ${pct(d)}`).join(', ');
const sha = (file) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex').slice(0, 16);

// [SECTION] quality against k-means
export function quality(dir, instances) {
  const rows = [];
  for (const inst of instances) {
    for (const [label, metrics] of [['1 metric at +-1%', inst.one], ['3 metrics at +-5%', inst.three]]) {
      const ours = balance('native', inst.file, inst.k, metrics, inst.extra, path.join(dir, 'plan.csv')).json;
      const km = balance('native', inst.file, inst.k, metrics, [...inst.extra, '--method', 'kmeans'], path.join(dir, 'km.csv')).json;
      const ratio = ours.weighted_mean_distance / km.weighted_mean_distance;
      // With accounts larger than any band (carved out, see problem.hpp) balance is judged on the rest.
      const dev = ours.oversize_accounts > 0 ? ours.max_deviation_excluding_oversize : ours.max_deviation;
      const within = Object.entries(dev).every(([m, d]) => d <= ours.tolerance[m] + 1e-9);
      rows.push({
        instance: inst.name, accounts: ours.accounts, territories: ours.territory_count, test: label, feasible: ours.feasible,
        within_tolerance: within, max_deviation: ours.max_deviation, oversize_accounts: ours.oversize_accounts,
        max_deviation_excluding_oversize: ours.max_deviation_excluding_oversize, kmeans_max_deviation: km.max_deviation,
        distance_ratio_vs_kmeans: ratio, inertia_ratio_vs_kmeans: ours.inertia / km.inertia, contiguous: ours.contiguous,
        runtime_ms: ours.runtime_ms, reason: ours.reason,
      });
      const carved = ours.oversize_accounts > 0 ? ` (${ours.oversize_accounts} oversize accounts carved out)` : '';
      console.log(`${inst.name.padEnd(26)} ${label.padEnd(18)} ${within ? 'within ' : 'OUTSIDE'} ${devText(dev).padEnd(52)} ` +
        `distance x${ratio.toFixed(3)} vs k-means (k-means: ${devText(km.max_deviation)})${carved}`);
      if (!within) console.log(`    reason: ${ours.reason}`);
    }
  }
  return rows;
}

// [SECTION] exact optima on small instances
export function exactGaps(dir) {
  const rows = [];
  const cases = [];
  for (const n of [12, 16, 20, 24]) for (const k of [2, 3]) for (const seed of [1, 2, 3]) cases.push({ n, k, seed });
  for (const c of cases) {
    const file = path.join(dir, `small-${c.n}-${c.k}-${c.seed}.csv`);
    writeSynthetic(file, c.n, 1000 + 31 * c.n + c.seed, { clusters: 3, sigma: 0.25 });
    const metrics = ['potential:0.1', 'accounts:0.25'];
    const ex = balance('native', file, c.k, metrics, ['--coords', 'xy', '--method', 'exact'], path.join(dir, 'ex.csv')).json;
    const ours = balance('native', file, c.k, metrics, ['--coords', 'xy'], path.join(dir, 'ours.csv')).json;
    if (!ex.feasible) continue; // no balanced plan exists for this draw
    const gap = ours.feasible ? ours.inertia / ex.inertia - 1 : null;
    rows.push({ ...c, exact_inertia: ex.inertia, ours_inertia: ours.inertia, ours_feasible: ours.feasible, gap });
  }
  const feasible = rows.filter((r) => r.gap !== null);
  const gaps = feasible.map((r) => r.gap).sort((a, b) => a - b);
  const mean = gaps.reduce((s, g) => s + g, 0) / Math.max(1, gaps.length);
  const optimalHits = gaps.filter((g) => g <= 1e-9).length;
  console.log(`exact (branch and bound) vs optimiser on ${rows.length} feasible instances of 12-24 accounts, 2-3 territories, ` +
    `potential +-10% and accounts +-25%:`);
  console.log(`  optimiser feasible on ${feasible.length}/${rows.length}; optimal on ${optimalHits}; inertia gap mean ${pct(mean)}, ` +
    `median ${pct(gaps[Math.floor(gaps.length / 2)] ?? 0)}, max ${pct(gaps[gaps.length - 1] ?? 0)}`);
  return { instances: rows, mean_gap: mean, optimal: optimalHits, feasible: feasible.length };
}

// [SECTION] speed native vs wasm
function speed(dir, sizes) {
  const rows = [];
  for (const s of sizes) {
    const demo = path.join(dir, `demo-${s.accounts}`);
    execFileSync(nativeCli, ['demo', '--out', demo, '--accounts', String(s.accounts), '--reps', String(s.k), '--seed', '7'], { stdio: 'ignore' });
    const accounts = path.join(demo, 'accounts.csv');
    const res = {};
    for (const kind of ['native', 'wasm']) {
      const out = path.join(dir, `plan-${s.accounts}-${kind}.csv`);
      const { json, wallMs } = balance(kind, accounts, s.k, s.metrics, [], out);
      res[kind] = { runtime_ms: json.runtime_ms, wall_ms: wallMs, max_deviation: json.max_deviation, feasible: json.feasible, plan_sha256: sha(out),
        timings_ms: json.timings_ms };
      console.log(`${(s.accounts / 1000).toFixed(0).padStart(5)}k accounts -> ${String(s.k).padStart(4)} territories, ${kind.padEnd(6)}: optimiser ` +
        `${(json.runtime_ms / 1000).toFixed(2).padStart(6)} s (whole CLI incl. CSV load ${(wallMs / 1000).toFixed(2)} s; triangulation ` +
        `${(json.timings_ms.triangulation / 1000).toFixed(2)} s, allocation ${(json.timings_ms.allocation / 1000).toFixed(2)} s, local search ` +
        `${(json.timings_ms.local_search / 1000).toFixed(2)} s) max deviation ${devText(json.max_deviation)}`);
    }
    const identical = res.native.plan_sha256 === res.wasm.plan_sha256;
    console.log(`      wasm/native ${(res.wasm.runtime_ms / res.native.runtime_ms).toFixed(2)}x; goal in the page ${s.goal} s; ` +
      `plans bit-identical native vs wasm: ${identical ? 'yes' : 'NO'}`);
    rows.push({ accounts: s.accounts, territories: s.k, metrics: s.metrics, goal_s: s.goal, ...res, ratio: res.wasm.runtime_ms / res.native.runtime_ms, identical });
  }
  return rows;
}

// [SECTION] diameter on design instances
// Planar territory-design instances like the published ones (`terrane instance`: units in a square,
// Delaunay edges, activities on [4,20], [15,400], [15,100]); 10 territories, three activities within
// +-5%, contiguous on the edge graph, minimise the largest diameter.
function designRun(kind, dir, units, seed, k, extra, out) {
  const inst = path.join(dir, `design-${units}-${seed}`);
  if (!fs.existsSync(inst)) execFileSync(nativeCli, ['instance', '--out', inst, '--units', String(units), '--seed', String(seed)], { stdio: 'ignore' });
  const args = ['balance', '--accounts', path.join(inst, 'accounts.csv'), '--edges', path.join(inst, 'edges.csv'), '--coords', 'xy',
    '--territories', String(k), '--contiguous', '--compactness', 'diameter', '--balance', 'a1:0.05', '--balance', 'a2:0.05',
    '--balance', 'a3:0.05', '--out', out, '--json', ...extra];
  return cli(kind, args).json;
}

export function diameterGaps(dir, { shortS, longS, cases }) {
  const rows = [];
  for (const [units, seed] of cases) {
    const a = designRun('native', dir, units, seed, 10, ['--time-limit', String(shortS)], path.join(dir, 'short.csv'));
    const b = designRun('native', dir, units, seed, 10, ['--time-limit', String(longS)], path.join(dir, 'long.csv'));
    const within = (j) => j.feasible && j.contiguous && Object.entries(j.max_deviation).every(([m, d]) => d <= j.tolerance[m] + 1e-9);
    const ref = Math.min(a.objective, b.objective);
    const row = { units, seed, short_s: shortS, long_s: longS, feasible_short: within(a), feasible_long: within(b),
      first: a.first_objective, short: a.objective, long: b.objective, lower_bound: a.lower_bound,
      gap_short_to_long: a.objective / ref - 1, gap_long_to_bound: b.objective / a.lower_bound - 1, iterations_short: a.improvement.iterations };
    rows.push(row);
    console.log(`design ${units} units seed ${seed}: first plan ${a.first_objective.toFixed(1)}, ${shortS} s ${a.objective.toFixed(1)} ` +
      `(${within(a) ? 'feasible' : 'NOT FEASIBLE'}), ${longS} s ${b.objective.toFixed(1)} (${within(b) ? 'feasible' : 'NOT FEASIBLE'}); ` +
      `gap ${pct(row.gap_short_to_long)}; bound ${a.lower_bound.toFixed(1)} (${longS} s plan ${pct(row.gap_long_to_bound)} above it)`);
  }
  const mean = rows.reduce((t, r) => t + r.gap_short_to_long, 0) / Math.max(1, rows.length);
  const feasible = rows.filter((r) => r.feasible_short && r.feasible_long).length;
  console.log(`  mean gap of ${shortS} s to ${longS} s: ${pct(mean)}; feasible ${feasible}/${rows.length}`);
  return { instances: rows, mean_gap: mean, feasible };
}

// Same seed and iteration budget: the same plan natively and in wasm.
export function diameterDeterminism(dir) {
  const plans = {};
  for (const kind of ['native', 'wasm']) {
    const out = path.join(dir, `det-${kind}.csv`);
    const j = designRun(kind, dir, 500, 7, 10, ['--iterations', '200000', '--seed', '3'], out);
    plans[kind] = { sha: sha(out), objective: j.objective, ms: j.runtime_ms };
  }
  const same = plans.native.sha === plans.wasm.sha;
  console.log(`  --iterations 200000 --seed 3: native ${plans.native.objective.toFixed(2)} in ${(plans.native.ms / 1000).toFixed(2)} s, wasm ` +
    `${plans.wasm.objective.toFixed(2)} in ${(plans.wasm.ms / 1000).toFixed(2)} s; plans identical: ${same ? 'yes' : 'NO'}`);
  return { ...plans, identical: same };
}

// Exact diameter optima (branch and bound, natively) on small instances against a short run.
export function exactDiameterGaps(dir) {
  const rows = [];
  for (const [units, k] of [[16, 2], [20, 2], [24, 3], [30, 3]])
    for (const seed of [1, 2, 3]) {
      const inst = path.join(dir, `design-${units}-${seed}`);
      execFileSync(nativeCli, ['instance', '--out', inst, '--units', String(units), '--seed', String(seed)], { stdio: 'ignore' });
      const base = ['balance', '--accounts', path.join(inst, 'accounts.csv'), '--edges', path.join(inst, 'edges.csv'), '--coords', 'xy',
        '--territories', String(k), '--contiguous', '--compactness', 'diameter', '--balance', 'a1:0.1', '--balance', 'a2:0.1',
        '--balance', 'a3:0.1', '--json'];
      const t0 = Date.now();
      const ex = cli('native', [...base, '--method', 'exact', '--out', path.join(dir, 'ex.csv')]).json;
      const exMs = Date.now() - t0;
      const ours = cli('native', [...base, '--iterations', '100000', '--out', path.join(dir, 'ours.csv')]).json;
      if (!ex.feasible) continue;
      const optimal = !ex.warnings.some((w) => w.includes('node limit'));
      rows.push({ units, k, seed, exact: ex.objective, ours: ours.objective, ours_feasible: ours.feasible, optimal, exact_ms: exMs,
        gap: ours.feasible ? ours.objective / ex.objective - 1 : null });
    }
  const g = rows.filter((r) => r.gap !== null).map((r) => r.gap);
  const mean = g.reduce((t, x) => t + x, 0) / Math.max(1, g.length);
  console.log(`exact diameter (branch and bound) vs 100k improvement moves on ${rows.length} feasible instances of 16-30 units, ` +
    `2-3 territories, three activities +-10%: optimiser feasible on ${g.length}/${rows.length}, optimal on ` +
    `${g.filter((x) => x <= 1e-9).length}; gap mean ${pct(mean)}, max ${pct(Math.max(0, ...g))}; exact proved optimal on ` +
    `${rows.filter((r) => r.optimal).length}/${rows.length}`);
  return { instances: rows, mean_gap: mean };
}

// By-rep plans on `terrane demo` data: weighted distance and diameter of the first plan and after
// improving each objective for `seconds`.
export function byRepImprovement(dir, accounts, reps, seconds) {
  const demo = path.join(dir, `demo-byrep-${accounts}`);
  execFileSync(nativeCli, ['demo', '--out', demo, '--accounts', String(accounts), '--reps', String(reps), '--seed', '7'], { stdio: 'ignore' });
  const base = ['balance', '--accounts', path.join(demo, 'accounts.csv'), '--reps', path.join(demo, 'reps.csv'), '--by-rep',
    '--balance', 'potential:0.05', '--balance', 'workload:0.1', '--json', '--out', path.join(dir, 'byrep.csv')];
  const rows = [];
  const first = cli('native', base).json;
  rows.push({ run: 'first plan', weighted_mean_distance: first.weighted_mean_distance, max_diameter: first.max_diameter, feasible: first.feasible,
    runtime_ms: first.runtime_ms });
  for (const c of ['distance', 'diameter']) {
    const j = cli('native', [...base, '--compactness', c, '--time-limit', String(seconds)]).json;
    rows.push({ run: `${seconds} s improving ${c}`, weighted_mean_distance: j.weighted_mean_distance, max_diameter: j.max_diameter,
      feasible: j.feasible, runtime_ms: j.runtime_ms, iterations: j.improvement.iterations });
  }
  for (const r of rows)
    console.log(`  by rep ${accounts / 1000}k/${reps}: ${r.run.padEnd(26)} weighted mean distance ${r.weighted_mean_distance.toFixed(2)} km, ` +
      `max diameter ${r.max_diameter.toFixed(1)} km, ${r.feasible ? 'feasible' : 'NOT FEASIBLE'}` +
      (r.iterations ? ` (${r.iterations} moves tried)` : ''));
  return rows;
}

// [SECTION] in the page
// The Optimise window in headless Chromium on the page's own sample (`terrane demo` data generated
// in the page), with the window's default settings (potential +-5%, workload +-10%, contiguous):
// wall time from the click to the new scenario (the job runs in 40 ms slices between frames),
// and the optimiser's own compute time. The page runs the same wasm as the node CLI above.
export async function pageRuns(sizes) {
  const { click: clickControl, launch, openStudio, startServer } = await import('../browser.mjs');
  const srv = await startServer();
  const browser = await launch();
  const rows = [];
  try {
    for (const s of sizes) {
      const { page } = await openStudio(browser, srv.url);
      const state = () => page.evaluate(() => window.terrane.state());
      const frames = (n) => page.evaluate((k) => window.terrane.frames(k), n);
      await page.evaluate(([a, r]) => window.terrane.loadSample(a, r, 7), [s.accounts, s.k]);
      await frames(3);
      const clickTarget = (name) => clickControl(page, name);
      await clickTarget('menu.plan');
      await clickTarget('menu.optimise0');
      const t0 = Date.now();
      await clickTarget('optimise.run');
      let st, maxFrameMs = 0, samples = 0;
      for (;;) {
        st = await state();
        if (st.optimise.running) { maxFrameMs = Math.max(maxFrameMs, st.frame_ms ?? st.last_frame_ms ?? 0); samples++; }
        if (!st.optimise.running && st.optimise.outcome.valid) break;
        if (Date.now() - t0 > 600000) throw new Error('the page run took over 10 minutes');
        await new Promise((r) => setTimeout(r, 100));
      }
      const wall = Date.now() - t0;
      const o = st.optimise.outcome;
      rows.push({ accounts: s.accounts, reps: s.k, territories: st.territories ?? null, wall_ms: wall, compute_ms: o.runtime_ms,
        feasible: o.feasible, max_deviation: o.max_deviation, max_deviation_balanceable: o.max_deviation_balanceable, goal_s: s.goal });
      console.log(`page ${(s.accounts / 1000).toFixed(0).padStart(5)}k accounts, ${s.k} reps: new scenario after ${(wall / 1000).toFixed(2)} s ` +
        `(optimiser compute ${(o.runtime_ms / 1000).toFixed(2)} s; goal ${s.goal} s) max deviation ${devText(o.max_deviation)}; ` +
        `around oversize accounts ${devText(o.max_deviation_balanceable)}`);
      await page.close();
    }
  } finally {
    await browser.close();
    await srv.close();
  }
  return rows;
}

export async function run({ quick }) {
  requireFile(nativeCli, 'run scripts/build.sh native');
  requireFile(nodeCli, 'run scripts/build.sh web');
  const dir = tempDir('terrane-optimiser-');
  // Quality instances: >= 50 accounts per territory.
  const instances = [];
  for (const [n, k, seed] of quick ? [[5000, 50, 1]] : [[5000, 50, 1], [20000, 200, 2], [20000, 100, 3]]) {
    const file = path.join(dir, `synthetic-${n}-${k}.csv`);
    writeSynthetic(file, n, seed);
    instances.push({ name: `synthetic xy ${n}/${k}`, file, k, extra: ['--coords', 'xy'], one: ['potential:0.01'],
      three: ['potential:0.05', 'workload:0.05', 'accounts:0.05'] });
  }
  {
    const n = quick ? 5000 : 10000, k = quick ? 50 : 100;
    const demo = path.join(dir, 'demo-quality');
    execFileSync(nativeCli, ['demo', '--out', demo, '--accounts', String(n), '--reps', String(k), '--seed', '5'], { stdio: 'ignore' });
    instances.push({ name: `terrane demo ${n}/${k}`, file: path.join(demo, 'accounts.csv'), k, extra: [], one: ['workload:0.01'],
      three: ['potential:0.05', 'workload:0.05', 'accounts:0.05'] });
  }
  console.log('-- quality against weighted k-means (same instances, compactness = potential-weighted mean distance to the centre)');
  const q = quality(dir, instances);
  console.log('-- gap to exact optima');
  const ex = exactGaps(dir);
  console.log('-- speed: native vs WebAssembly under node (terrane demo data, lat/lon, potential +-1%)');
  const sizes = quick
    ? [{ accounts: 20000, k: 40, metrics: ['potential:0.01'], goal: 3 }]
    : [{ accounts: 100000, k: 200, metrics: ['potential:0.01'], goal: 3 }, { accounts: 1000000, k: 1000, metrics: ['potential:0.01'], goal: 60 }];
  const sp = speed(dir, sizes);
  // The long reference run: 300 s per instance is 25 minutes over five instances, so the default is
  // 60 s; TERRANE_BENCH_LONG_S=300 gives the comparison.
  const longEnv = Number(process.env.TERRANE_BENCH_LONG_S);
  const [shortS, longS] = quick ? [2, 20] : [10, longEnv > 0 ? longEnv : 60];
  console.log(`-- diameter on planar design instances (10 territories, 3 activities +-5%, contiguous on the edge graph): ` +
    `${shortS} s vs ${longS} s of the same method${quick ? ' (--quick: shorter budgets than the full 10 s vs 300 s)' : longS < 300 ? ' (TERRANE_BENCH_LONG_S=300 for the 300 s reference)' : ''}`);
  const dg = diameterGaps(dir, { shortS, longS, cases: quick ? [[500, 1], [700, 2]] : [[500, 1], [550, 2], [600, 3], [650, 4], [700, 5]] });
  const det = diameterDeterminism(dir);
  console.log('-- exact diameter optima on small instances');
  const exd = exactDiameterGaps(dir);
  console.log(`-- by-rep plans before and after ${quick ? 2 : 10} s of improvement`);
  const br = byRepImprovement(dir, quick ? 20000 : 100000, quick ? 40 : 200, quick ? 2 : 10);
  fs.rmSync(dir, { recursive: true, force: true });
  console.log('-- in the page: the Optimise window on the page sample (headless Chromium, software GL)');
  let pg = [];
  try {
    pg = await pageRuns(quick ? [{ accounts: 20000, k: 40, goal: 3 }] : [{ accounts: 100000, k: 200, goal: 3 }, { accounts: 1000000, k: 1000, goal: 60 }]);
  } catch (e) {
    console.log(`page run failed: ${e.message}`);
  }
  return { quality: q, exact: ex, speed: sp, diameter: dg, determinism: det, exact_diameter: exd, by_rep: br, page: pg };
}
