// Timing helpers for the benchmark suites.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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
