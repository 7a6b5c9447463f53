// Sample generation + load: native CLI vs the same CLI compiled to WebAssembly and run by node.
import path from 'node:path';
import { fmtMs, nativeCli, nodeCli, requireFile, tempDir, timeCommand } from './_util.mjs';

export async function run({ quick }) {
  requireFile(nativeCli, 'run scripts/build.sh native');
  requireFile(nodeCli, 'run scripts/build.sh web');
  const accounts = quick ? 20000 : 100000;
  const reps = quick ? 40 : 200;
  const out = {};
  for (const [label, cmd, pre] of [['native', nativeCli, []], ['wasm (node)', process.execPath, [nodeCli]]]) {
    const dir = tempDir();
    const gen = timeCommand(cmd, [...pre, 'demo', '--out', dir, '--accounts', String(accounts), '--reps', String(reps), '--seed', '7']);
    const load = timeCommand(cmd, [...pre, 'summary', '--accounts', path.join(dir, 'accounts.csv'), '--reps', path.join(dir, 'reps.csv'),
      '--opportunities', path.join(dir, 'opportunities.csv'), '--json']);
    out[label] = { generate_ms: gen, load_ms: load };
    console.log(`${label.padEnd(12)} generate ${accounts} accounts: ${fmtMs(gen).padStart(10)}   load + summary: ${fmtMs(load).padStart(10)}`);
  }
  const r = (k) => out['wasm (node)'][k] / out.native[k];
  console.log(`ratio wasm/native: generate ${r('generate_ms').toFixed(2)}x, load ${r('load_ms').toFixed(2)}x`);
  return { accounts, reps, ...out, ratio_generate: r('generate_ms'), ratio_load: r('load_ms') };
}
