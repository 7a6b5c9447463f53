// Timing helpers for the benchmark suites.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { click } from '../browser.mjs';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const nativeCli = path.join(root, 'build', 'native', 'terrane');
export const nodeCli = path.join(root, 'build', 'web', 'terrane_node.js');

export function tempDir(prefix = 'terrane-bench-') {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

// Runs `cmd args` `reps` times and returns the median wall time in ms.
export function timeCommand(cmd, args, reps = 3) {
  const times = [];
  for (let i = 0; i < reps; ++i) {
    const t0 = process.hrtime.bigint();
    execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 28 });
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

export function requireFile(p, hint) {
  if (!fs.existsSync(p)) {
    console.error(`bench: ${p} is missing; ${hint}`);
    process.exit(1);
  }
}

export const fmtMs = (ms) => `${ms.toFixed(1)} ms`;

// In an open page: load the sample (seed 7), set a $60M target in Plan > Quotas, wait for the
// plan, then start the attainment simulation with `trials` trials on its Attainment tab.
export async function startPageSimulation(page, accounts, reps, trials) {
  const frames = (n) => page.evaluate((k) => window.terrane.frames(k), n);
  const quota = async () => (await page.evaluate(() => window.terrane.state())).quota;
  await page.evaluate(([a, r]) => window.terrane.loadSample(a, r, 7), [accounts, reps]);
  await frames(2);
  await click(page, 'menu.plan');
  await click(page, 'menu.quota');
  await click(page, 'target');
  await page.keyboard.type('60000000');
  await page.keyboard.press('Enter');
  // The target applies a frame or two later and the panel's layout changes with it (the
  // reconciliation line), so wait for the plan before reading where the Attainment tab is.
  for (let i = 0; i < 400; ++i) {
    const q = await quota();
    if (q.target === 60000000 && q.fresh) break;
    await frames(2);
  }
  for (let i = 0; i < 5 && (await quota()).tab !== 2; ++i) await click(page, 'tab.2');
  if ((await quota()).tab !== 2) throw new Error('the Attainment tab did not open');
  await click(page, 'simulation.trials');
  await page.keyboard.press('Control+a');
  await page.keyboard.type(String(trials));
  await click(page, 'simulation.run');
}
