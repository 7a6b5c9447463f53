// Importing files in the page: drop a messy CSV, confirm the mapping dialog, read the report,
// download the rejected rows, use the data-quality panel and the data table; the Salesforce
// sample imports with no manual mapping; an unreadable file changes nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { click as clickControl, launch, openStudio, root, startServer } from '../../scripts/browser.mjs';
import { execFileSync } from 'node:child_process';
import { cli, dropFiles as dropFilesOn } from './helpers.mjs';

const shots = process.env.TERRANE_SHOTS || path.join(root, 'build', 'screenshots');
let srv, browser, studio;

before(async () => {
  fs.mkdirSync(shots, { recursive: true });
  srv = await startServer();
  browser = await launch();
  studio = await openStudio(browser, srv.url);
});

after(async () => {
  await browser?.close();
  await srv?.close();
});

const state = () => studio.page.evaluate(() => window.terrane.state());
const frames = (n = 2) => studio.page.evaluate((k) => window.terrane.frames(k), n);

// Drops files on the page the way a browser does: dragenter and drop events carrying a
// DataTransfer with File objects (built in the page; the drop lands on the canvas).
const dropFiles = (files) => dropFilesOn(studio.page, files);

// Waits (in frames) until `pred(state)` holds.
async function until(pred, what, limit = 400) {
  for (let i = 0; i < limit; ++i) {
    const st = await state();
    if (pred(st)) return st;
    await frames(2);
  }
  throw new Error(`timed out waiting for ${what}`);
}

const click = (name) => clickControl(studio.page, name);

const messy = path.join(root, 'tests', 'data', 'crm', 'messy_accounts.csv');

test('a dropped messy CSV opens the mapping dialog with the detected kind, mapping and failing values', async () => {
  const before = await state();
  assert.equal(before.import.sample_workspace, true);
  await dropFiles([messy]);
  const st = await until((s) => s.import.pending, 'the mapping dialog');
  const p = st.import.pending;
  assert.equal(p.file, 'messy_accounts.csv');
  assert.equal(p.kind, 'accounts');
  assert.equal(p.delimiter, ';');
  assert.equal(p.encoding, 'utf-8-bom');
  assert.equal(p.mapping.account_id, 'Account ID');
  assert.equal(p.mapping.postcode, 'Billing Zip');
  assert.equal(p.mapping.revenue, 'Annual Revenue');
  assert.deepEqual(p.failures['Annual Revenue'], ['oops']);
  assert.deepEqual(p.failures.Employees, ['not known']);
  await frames(3);
  await studio.page.screenshot({ path: path.join(shots, 'import-mapping-dialog.png') });
});

test('confirming imports the file; the report matches `terrane import` on the same file', async () => {
  await click('import-confirm');
  const st = await until((s) => s.import.records.length === 1 && s.import.hygiene.valid && !s.job, 'the import and its checks');
  const r = st.import.records[0];
  assert.equal(r.ok, true);
  assert.equal(r.rows_read, 11);
  assert.equal(r.rows_accepted, 8);
  assert.equal(r.rows_rejected, 3);
  assert.equal(st.summary.accounts, 8);
  assert.equal(st.import.sample_workspace, false);
  assert.equal(st.import.sources[0].file, 'messy_accounts.csv');
  const cliOut = JSON.parse(execFileSync(cli, ['import', messy, '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
  assert.equal(r.sha256, cliOut.sha256);
  assert.equal(r.rows_accepted, cliOut.rows_accepted);
  assert.deepEqual(r.geocode, cliOut.geocode.precision);
  const cliCounts = Object.fromEntries(cliOut.hygiene.findings.map((f) => [f.id, f.count]));
  assert.deepEqual(st.import.hygiene.counts, cliCounts);
  assert.equal(st.import.hygiene.counts.probable_duplicate_accounts, 2);
  assert.equal(st.import.hygiene.counts.duplicate_ids_accounts, 2);
  await frames(3);
  await studio.page.screenshot({ path: path.join(shots, 'import-report.png') });
});

test('the rejected rows download as CSV with the original rows and a reason column', async () => {
  await click('tab-reports');
  await click('download-rejects');
  const dl = await studio.page.evaluate(() => window.terrane.downloads.map((d) => ({ name: d.name, text: d.text() })));
  assert.equal(dl.length, 1);
  assert.equal(dl[0].name, 'messy_accounts-rejected.csv');
  const lines = dl[0].text.trim().split('\n');
  assert.equal(lines.length, 4);
  assert.ok(lines[0].startsWith('Account ID,Account Name,') && lines[0].endsWith(',_line,_reason'), lines[0]);
  assert.ok(lines[1].includes('A-102') && lines[1].includes('oops') && lines[1].includes(",4,column 'Annual Revenue'"), lines[1]);
  assert.ok(lines[2].includes('Nameless Co') && lines[2].includes('required'), lines[2]);
  assert.ok(lines[3].includes('not known') && lines[3].includes('whole number'), lines[3]);
});

test('a finding in the data-quality panel highlights its accounts on the map', async () => {
  await click('tab-quality');
  await click('finding:probable_duplicate_accounts');
  let st = await state();
  assert.equal(st.import.highlighted, 2);
  await frames(3);
  await studio.page.screenshot({ path: path.join(shots, 'data-quality.png') });
  await click('finding:probable_duplicate_accounts');
  st = await state();
  assert.equal(st.import.highlighted, 0);
});

test('the data table filters the accounts and dims the others on the map', async () => {
  await studio.page.keyboard.down('Control');
  await studio.page.keyboard.press('KeyT');
  await studio.page.keyboard.up('Control');
  let st = await until((s) => s.import.table.shown && s.import.table.visible_rows === 8, 'the data table');
  assert.equal(st.import.table.kind, 'accounts');
  await frames(3);
  await studio.page.screenshot({ path: path.join(shots, 'data-table.png') });
});

test('an unreadable file is reported and changes nothing', async () => {
  const before = await state();
  await dropFiles([path.join(root, 'tests', 'data', 'nasty', 'binary_junk.bin')]);
  const st = await until((s) => s.import.pending && s.import.pending.file === 'binary_junk.bin', 'the dialog');
  assert.equal(st.import.pending.readable, false);
  assert.match(st.import.pending.error, /CSV/);
  await click('import-close');
  const after = await until((s) => !s.import.pending, 'the dialog to close');
  assert.equal(after.import.records.at(-1).ok, false);
  assert.deepEqual(after.summary, before.summary);
  assert.deepEqual(after.import.sources, before.import.sources);
});

test('the Salesforce sample org imports with no manual mapping', async () => {
  const shared = '/work/shared/data/salesforce-sample-org';
  const dir = fs.existsSync(path.join(shared, 'Account.csv')) ? shared : path.join(root, 'tests', 'data', 'crm');
  const names = dir === shared ? ['Account.csv', 'Opportunity.csv', 'OpportunityHistory.csv']
    : ['salesforce_Account.csv', 'salesforce_Opportunity.csv', 'salesforce_OpportunityHistory.csv'];
  const before = (await state()).import.records.length;
  await dropFiles(names.map((n) => path.join(dir, n)));
  const kinds = [];
  for (let i = 0; i < 3; ++i) {
    let st = await until((s) => (s.import.pending || s.import.awaiting_mode) && !s.job, `dialog ${i + 1}`);
    if (st.import.awaiting_mode) {
      // Accounts are already there (the messy file): replace them, as the user chooses.
      assert.equal(st.import.awaiting_mode.kind, 'accounts');
      await click('import-mode-replace');
      st = await until((s) => s.import.pending && !s.import.awaiting_mode && !s.job, `dialog ${i + 1}`);
    }
    const p = st.import.pending;
    assert.ok(p.kind_confident || p.remembered_mapping, `${p.file}: kind detected from the header`);
    assert.equal(p.error, '');
    kinds.push(p.kind);
    await click('import-confirm');
  }
  assert.deepEqual(kinds, ['accounts', 'opportunities', 'stage_history']);
  const st = await until((s) => s.import.records.length === before + 3 && !s.job && s.import.hygiene.valid, 'three imports');
  const recs = st.import.records.slice(before);
  for (const r of recs) {
    assert.equal(r.ok, true, r.file);
    assert.equal(r.rows_rejected, 0, r.file);
  }
  assert.equal(recs[0].mapping.account_id, 'Id');
  assert.equal(recs[1].mapping.stage, 'StageName');
  assert.equal(recs[2].mapping.opportunity_id, 'OpportunityId');
  // The same three files through the CLI give the same data-quality counts.
  const cliOut = JSON.parse(execFileSync(cli, ['import', path.join(dir, names[1]), '--accounts', path.join(dir, names[0]),
    '--stage-history', path.join(dir, names[2]), '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
  assert.deepEqual(st.import.hygiene.counts, Object.fromEntries(cliOut.hygiene.findings.map((f) => [f.id, f.count])));
  assert.ok(st.import.hygiene.counts.late_stage_no_next_step > 0);
});

test('a file with a remembered header maps itself', async () => {
  await dropFiles([messy]);
  const st = await until((s) => s.import.pending, 'the dialog');
  assert.equal(st.import.pending.remembered_mapping, true);
  await click('import-skip');
  await until((s) => !s.import.pending, 'the dialog to close');
});

test('a large import runs in slices: frames keep coming and progress rises', async () => {
  const n = 300000;
  const progress = await studio.page.evaluate(async (rows) => {
    let csv = 'account_id,name,postcode,revenue\n';
    for (let i = 0; i < rows; ++i) csv += `B${i},Company ${i % 997},${String(10001 + (i % 800)).padStart(5, '0')},${(i % 5000) * 10}.5\n`;
    window.terrane.importBytes('big.csv', new TextEncoder().encode(csv));
    await window.terrane.frames(2);
    return true;
  }, n);
  assert.ok(progress);
  await click('import-confirm');
  const seen = [];
  for (let i = 0; i < 2000; ++i) {
    const st = await state();
    if (st.job && st.job.title.startsWith('Importing')) seen.push(st.job.progress);
    if (!st.job && st.import.awaiting_mode) break;
    await frames(1);
  }
  // Accounts are already there: the file was read, and the user chooses to replace them.
  assert.equal((await state()).import.awaiting_mode.replace.incoming, n);
  await click('import-mode-replace');
  await until((s) => !s.job && s.import.records.at(-1).file === 'big.csv', 'the large import', 2000);
  const st = await state();
  assert.equal(st.import.records.at(-1).rows_accepted, n);
  assert.ok(seen.length >= 3, `the import spanned ${seen.length} frames`);
  for (let i = 1; i < seen.length; ++i) assert.ok(seen[i] >= seen[i - 1]);
  assert.deepEqual(studio.consoleErrors, []);
  assert.deepEqual(studio.foreignRequests, []);
});
