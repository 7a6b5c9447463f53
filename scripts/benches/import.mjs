// CSV import throughput on a 1M-row accounts file (`terrane demo --accounts 1000000 --reps 1000`,
// ~137 MB): parsed, typed, geocoded and fingerprinted (SHA-256) by the native CLI and by the same
// core compiled to WebAssembly in the page, side by side with PapaParse (header, dynamicTyping)
// in the same headless Chromium run. Also: a variant without coordinates (every account placed
// by the gazetteer), and the page's interactive import (sliced job: frames keep coming).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { launch, openStudio, startServer, siteDir } from '../browser.mjs';
import { nativeCli, requireFile, root, tempDir } from './_util.mjs';

const mb = (bytes, ms) => bytes / 1e6 / (ms / 1000);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// The demo accounts file (cached in build/bench-data) and a copy without lat/lon columns.
function dataFiles(accounts) {
  const dir = path.join(root, 'build', 'bench-data', `accounts-${accounts}`);
  const file = path.join(dir, 'accounts.csv');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dir, { recursive: true });
    execFileSync(nativeCli, ['demo', '--out', dir, '--accounts', String(accounts), '--reps', '1000', '--seed', '42'], { stdio: 'ignore' });
  }
  const noCoords = path.join(dir, 'accounts-no-coordinates.csv');
  if (!fs.existsSync(noCoords)) {
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    const drop = new Set([2, 3]); // lat, lon
    fs.writeFileSync(noCoords, lines.map((l) => l.split(',').filter((_, i) => !drop.has(i)).join(',')).join('\n'));
  }
  return { file, noCoords };
}

function native(file, reps) {
  const times = [];
  let rows = 0;
  for (let i = 0; i < reps; ++i) {
    const out = JSON.parse(execFileSync(nativeCli, ['import', file, '--kind', 'accounts', '--json', '--max-examples', '0'], { maxBuffer: 1 << 26 }));
    times.push(out.timing.import_ms);
    rows = out.rows_accepted;
  }
  return { ms: median(times), best_ms: Math.min(...times), rows };
}

export async function run({ quick }) {
  requireFile(nativeCli, 'run scripts/build.sh native');
  requireFile(path.join(siteDir, 'terrane.wasm'), 'run scripts/build.sh web');
  const accounts = quick ? 200000 : 1000000;
  const reps = quick ? 1 : 3;
  const { file, noCoords } = dataFiles(accounts);
  const bytes = fs.statSync(file).size;
  const bytesNo = fs.statSync(noCoords).size;

  const nat = native(file, reps);
  const natNo = native(noCoords, reps);
  console.log(`native      ${accounts} accounts, ${(bytes / 1e6).toFixed(1)} MB: ${nat.ms.toFixed(0)} ms  ${mb(bytes, nat.ms).toFixed(1)} MB/s (best ${mb(bytes, nat.best_ms).toFixed(1)})`);
  console.log(`native      without coordinates (all geocoded): ${natNo.ms.toFixed(0)} ms  ${mb(bytesNo, natNo.ms).toFixed(1)} MB/s`);

  // The page: the site plus the data file, served from one origin.
  const serveDir = tempDir('terrane-bench-site-');
  for (const f of fs.readdirSync(siteDir)) fs.symlinkSync(path.join(siteDir, f), path.join(serveDir, f));
  fs.symlinkSync(file, path.join(serveDir, 'accounts.csv'));
  fs.symlinkSync(path.join(root, 'node_modules', 'papaparse', 'papaparse.min.js'), path.join(serveDir, 'papaparse.min.js'));
  const srv = await startServer(serveDir);
  const browser = await launch(['--js-flags=--max-old-space-size=8192']);
  let page = {};
  try {
    const studio = await openStudio(browser, srv.url);
    const p = studio.page;
    await p.addScriptTag({ url: '/papaparse.min.js' });
    page = await p.evaluate(async (reps) => {
      const buf = new Uint8Array(await (await fetch('/accounts.csv')).arrayBuffer());
      const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
      // The whole job in WebAssembly (SHA-256 included), then with the fingerprint taken by the
      // browser's WebCrypto as the page does when a file is dropped.
      const full = [], job = [], sha = [];
      let rows = 0, digest = '';
      for (let i = 0; i < reps; ++i) {
        full.push(window.terrane.benchImport(buf, '').ms);
        const t = performance.now();
        digest = await window.terrane.sha256(buf);
        sha.push(performance.now() - t);
        const r = window.terrane.benchImport(buf, digest);
        job.push(r.ms);
        rows = r.rows;
      }
      const t0 = performance.now();
      const text = new TextDecoder().decode(buf);
      const decodeMs = performance.now() - t0;
      const papa = [];
      let papaRows = 0;
      for (let i = 0; i < reps; ++i) {
        const t1 = performance.now();
        const res = window.Papa.parse(text, { header: true, dynamicTyping: true, skipEmptyLines: true });
        papa.push(performance.now() - t1);
        papaRows = res.data.length;
      }
      return { ours_ms: med(job), full_ms: med(full), webcrypto_ms: med(sha), rows, papa_ms: med(papa), papa_rows: papaRows, decode_ms: decodeMs };
    }, reps);
    // Interactive import: the sliced job with the UI running (progress bar, frames keep coming).
    page.interactive = await p.evaluate(async () => {
      const buf = new Uint8Array(await (await fetch('/accounts.csv')).arrayBuffer());
      window.terrane.importBytes('accounts.csv', buf, await window.terrane.sha256(buf));
      await window.terrane.frames(2);
      return true;
    });
    await p.keyboard.press('Enter');
    page.interactive = await p.evaluate(async () => {
      window.terrane.resetFrameStats();
      const t0 = performance.now();
      let last = t0, longest = 0, frames = 0, sawJob = false;
      for (;;) {
        await new Promise((r) => requestAnimationFrame(r));
        const now = performance.now();
        longest = Math.max(longest, now - last);
        last = now;
        ++frames;
        const st = window.terrane.state();
        if (st.job) sawJob = true;
        if (sawJob && !st.job && !st.preparing)
          return { ms: now - t0, frames, longest_frame_ms: longest, rows: st.summary.accounts, slowest_app_frame: st.slowest_frame };
        if (now - t0 > 600000) return { ms: now - t0, frames, longest_frame_ms: longest, timeout: true };
      }
    });
    // Then the autosave that follows (the datasets kept in this browser, written a slice per frame).
    page.autosave = await p.evaluate(async () => {
      window.terrane.resetFrameStats();
      const t0 = performance.now();
      let last = t0, longest = 0, frames = 0, sawWriting = false;
      for (;;) {
        await new Promise((r) => requestAnimationFrame(r));
        const now = performance.now();
        longest = Math.max(longest, now - last);
        last = now;
        ++frames;
        const a = window.terrane.state().autosave;
        if (!a.available) return { skipped: 'no browser storage' };
        if (a.writing_datasets >= 0) sawWriting = true;
        if (!a.pending) return { ms: now - t0, frames, longest_frame_ms: longest, sliced: sawWriting, slowest_app_frame: window.terrane.state().slowest_frame };
        if (now - t0 > 300000) return { ms: now - t0, frames, longest_frame_ms: longest, timeout: true };
      }
    });
  } finally {
    await browser.close();
    await srv.close();
    fs.rmSync(serveDir, { recursive: true, force: true });
  }
  const pageMbps = mb(bytes, page.ours_ms);
  const papaMbps = mb(bytes, page.papa_ms);
  console.log(`page (wasm) ${page.rows} rows, parsed + typed + geocoded: ${page.ours_ms.toFixed(0)} ms  ${pageMbps.toFixed(1)} MB/s` +
    `  (SHA-256 by WebCrypto ${page.webcrypto_ms.toFixed(0)} ms; whole job with SHA-256 in wasm: ${page.full_ms.toFixed(0)} ms, ${mb(bytes, page.full_ms).toFixed(1)} MB/s)`);
  console.log(`PapaParse   ${page.papa_rows} rows, header + dynamicTyping, same page: ${page.papa_ms.toFixed(0)} ms  ${papaMbps.toFixed(1)} MB/s` +
    `  (plus ${page.decode_ms.toFixed(0)} ms TextDecoder, not counted)`);
  console.log(`page interactive import (sliced job, UI live): ${(page.interactive.ms / 1000).toFixed(1)} s over ${page.interactive.frames} frames, longest frame ${page.interactive.longest_frame_ms.toFixed(0)} ms` +
    (page.interactive.slowest_app_frame ? ` (app work in the slowest: ${page.interactive.slowest_app_frame.ms.toFixed(0)} ms)` : ''));
  if (page.autosave.skipped) console.log(`page autosave after the import: skipped (${page.autosave.skipped})`);
  else console.log(`page autosave after the import (datasets written a slice per frame): ${(page.autosave.ms / 1000).toFixed(1)} s over ${page.autosave.frames} frames, longest frame ${page.autosave.longest_frame_ms.toFixed(0)} ms` +
    (page.autosave.slowest_app_frame ? ` (app work in the slowest: ${page.autosave.slowest_app_frame.ms.toFixed(0)} ms)` : '') + (page.autosave.timeout ? ' (timed out)' : ''));
  const ratioPapa = pageMbps / papaMbps;
  const ratioPapaFull = mb(bytes, page.full_ms) / papaMbps;
  const ratioNative = mb(bytes, nat.ms) / pageMbps;
  console.log(`ratio page / PapaParse: ${ratioPapa.toFixed(2)}x (goal >= 3x; ${ratioPapaFull.toFixed(2)}x with SHA-256 in wasm)   native / page: ${ratioNative.toFixed(2)}x   native MB/s goal >= 200`);
  return {
    accounts, bytes,
    native_ms: nat.ms, native_mb_s: mb(bytes, nat.ms), native_best_mb_s: mb(bytes, nat.best_ms),
    native_no_coordinates_mb_s: mb(bytesNo, natNo.ms),
    page_ms: page.ours_ms, page_mb_s: pageMbps, page_full_job_ms: page.full_ms, page_full_job_mb_s: mb(bytes, page.full_ms),
    webcrypto_sha256_ms: page.webcrypto_ms, ratio_page_full_job_vs_papaparse: ratioPapaFull,
    papaparse_ms: page.papa_ms, papaparse_mb_s: papaMbps, papaparse_rows: page.papa_rows,
    ratio_page_vs_papaparse: ratioPapa, ratio_native_vs_page: ratioNative,
    interactive: page.interactive, autosave: page.autosave,
  };
}
