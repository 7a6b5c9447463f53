// A whole export folder dropped on the page: the shared Salesforce sample org's six files at once
// - contacts, leads and the summary report skipped with their reasons, accounts intact,
// opportunities and their history imported; then a second accounts file asks replace / add /
// update by id with the counts; a product price list's variant spellings merge; the findings
// download as CSV and the list enlarges.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { click as clickControl, launch, openStudio, root, startServer } from '../../scripts/browser.mjs';
import { dropFiles as dropFilesOn } from './helpers.mjs';

const shots = process.env.TERRANE_SHOTS || path.join(root, 'build', 'screenshots');
const shared = '/work/shared/data/salesforce-sample-org';
const folder = ['Account.csv', 'Contact.csv', 'Lead.csv', 'Opportunity.csv', 'OpportunityHistory.csv', 'OpportunityHistoryGroup.csv'];
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
const click = (name) => clickControl(studio.page, name);

async function until(pred, what, limit = 400) {
  for (let i = 0; i < limit; ++i) {
    const st = await state();
    if (pred(st)) return st;
    await frames(2);
  }
  throw new Error(`timed out waiting for ${what}`);
}

// Drops files on the canvas the way a browser does (one DataTransfer holding them all).
const dropFiles = (files) => dropFilesOn(studio.page, files);

async function importText(name, text) {
  await studio.page.evaluate(({ name, text }) => window.terrane.importBytes(name, new TextEncoder().encode(text)), { name, text });
}

test('the whole Salesforce sample org folder: contacts, leads and the summary report skipped, accounts intact', async () => {
  assert.ok(fs.existsSync(path.join(shared, 'Account.csv')), 'the shared Salesforce sample org');
  await dropFiles(folder.map((n) => path.join(shared, n)));
  const kinds = {};
  for (let i = 0; i < 3; ++i) {
    const st = await until((s) => s.import.pending && !s.job, `mapping dialog ${i + 1}`);
    const p = st.import.pending;
    assert.ok(!['Contact.csv', 'Lead.csv', 'OpportunityHistoryGroup.csv'].includes(p.file), `${p.file} reaches the mapping dialog`);
    assert.ok(p.kind_confident, `${p.file}: kind detected from the header`);
    kinds[p.file] = p.kind;
    await click('import-confirm');
  }
  assert.deepEqual(kinds, { 'Account.csv': 'accounts', 'Opportunity.csv': 'opportunities', 'OpportunityHistory.csv': 'stage_history' });
  const st = await until((s) => s.import.records.filter((r) => r.ok).length === 3 && !s.job && !s.import.pending && s.import.hygiene.valid,
    'three imports and their checks');
  const skipped = Object.fromEntries(st.import.records.filter((r) => r.skipped).map((r) => [r.file, r.skipped]));
  assert.deepEqual(Object.keys(skipped).sort(), ['Contact.csv', 'Lead.csv', 'OpportunityHistoryGroup.csv']);
  assert.match(skipped['Contact.csv'], /^Contact\.csv: contacts \(FirstName, LastName, AccountId, …\) — Terrane does not plan with contacts; skipped$/);
  assert.match(skipped['Lead.csv'], /^Lead\.csv: leads \(.*\) — Terrane does not plan with leads; skipped$/);
  assert.match(skipped['OpportunityHistoryGroup.csv'], /a summary report \(StageName, Count, …\) — counts per group, not records/);
  assert.equal(st.summary.accounts, 18);
  assert.equal(st.summary.opportunities, 36);
  assert.deepEqual(st.import.sources.map((s) => [s.kind, s.file]),
    [['accounts', 'Account.csv'], ['opportunities', 'Opportunity.csv'], ['stage_history', 'OpportunityHistory.csv']]);
  assert.equal(st.import.awaiting_mode, null);
  await click('tab-reports');
  await frames(3);
  await studio.page.screenshot({ path: path.join(shots, 'import-folder.png') });
});

test('importing accounts again asks replace / add / update by id, with the counts; cancel changes nothing', async () => {
  const csv = 'Account ID,Account Name,Billing City,Billing State,Industry,Annual Revenue\n' +
    '001bm00001ZL8U9AAL,Edge Communications,Austin,TX,Telecommunications,150000000\n' +
    '001bm00001ZL8UAAA1,Burlington Textiles Corp of America,Burlington,NC,,\n' +
    'NEW-001,Redwood Robotics,San Francisco,CA,Technology,8800000\n' +
    'NEW-002,Bluebird Bakeries,Chicago,IL,Food,3100000\n';
  await importText('accounts-update.csv', csv);
  let st = await until((s) => s.import.pending && !s.job, 'the mapping dialog');
  assert.equal(st.import.pending.kind, 'accounts');
  await click('import-confirm');
  st = await until((s) => s.import.awaiting_mode && !s.job, 'the replace / add / update dialog');
  const w = st.import.awaiting_mode;
  assert.equal(w.file, 'accounts-update.csv');
  assert.equal(w.kind, 'accounts');
  assert.deepEqual([w.replace.before, w.replace.incoming, w.replace.after, w.replace.removed], [18, 4, 4, 18]);
  assert.deepEqual([w.add.before, w.add.after, w.add.added], [18, 22, 4]);
  assert.deepEqual([w.update.before, w.update.after, w.update.updated, w.update.added], [18, 20, 2, 2]);
  assert.equal(st.summary.accounts, 18, 'nothing changes before the choice');
  await frames(3);
  await studio.page.screenshot({ path: path.join(shots, 'import-replace-add-update.png') });

  await click('import-mode-cancel');
  st = await until((s) => !s.import.awaiting_mode && !s.job, 'the dialog to close');
  assert.equal(st.summary.accounts, 18);
  assert.equal(st.import.sources.filter((s) => s.kind === 'accounts').length, 1);

  await importText('accounts-update.csv', csv);
  await until((s) => s.import.pending && !s.job, 'the mapping dialog (remembered)');
  await click('import-confirm');
  await until((s) => s.import.awaiting_mode && !s.job, 'the dialog again');
  await click('import-mode-update');
  st = await until((s) => !s.import.awaiting_mode && !s.job && s.import.records.at(-1).merge, 'the update');
  assert.deepEqual(st.import.records.at(-1).merge, { mode: 'update', before: 18, incoming: 4, after: 20, added: 2, updated: 2, removed: 0 });
  assert.equal(st.summary.accounts, 20);
  assert.equal(st.summary.opportunities, 36, 'the other datasets stay');
  assert.deepEqual(st.import.sources.filter((s) => s.kind === 'accounts').map((s) => s.file), ['Account.csv', 'accounts-update.csv']);
});

test('a product price list is its own dataset; spellings of one product merge', async () => {
  const csv = 'Product Name,Product Code,Product Family,List Price,Active\n' +
    'ProSuite,PS-100,Platform,"$12,000.00",Yes\nPro Suite,PS-100B,Platform,"$12,000.00",No\npro-suite,PS-100C,Platform,,No\n' +
    'Analytics Add-on,AN-200,Add-ons,"$3,500.00",Yes\n';
  await importText('products.csv', csv);
  let st = await until((s) => s.import.pending && !s.job, 'the mapping dialog');
  assert.equal(st.import.pending.kind, 'products');
  assert.equal(st.import.pending.kind_confident, true);
  await click('import-confirm');
  st = await until((s) => !s.job && s.import.records.at(-1).file === 'products.csv' && s.import.hygiene.valid, 'the products import');
  assert.equal(st.import.awaiting_mode, null, 'products were empty: nothing to ask');
  assert.equal(st.import.hygiene.counts.product_names_products, 2);
  assert.deepEqual(st.import.hygiene.spellings.product_names_products,
    [{ canonical: 'ProSuite', variants: ['Pro Suite', 'pro-suite'], cells: 2 }]);
  await click('tab-quality');
  await click('finding:product_names_products');
  await click('merge-0');
  st = await until((s) => s.import.hygiene.valid && !s.import.hygiene.queued && !s.job && s.import.hygiene.counts.product_names_products === 0,
    'the merge and re-check');
});

test('the findings download as CSV with every row, and the list enlarges', async () => {
  const st = await state();
  const expected = Object.values(st.import.hygiene.counts).reduce((a, b) => a + b, 0);
  await click('findings-csv');
  const dl = await studio.page.evaluate(() => window.terrane.downloads.map((d) => ({ name: d.name, text: d.text() })));
  const f = dl.at(-1);
  assert.equal(f.name, 'data-quality-findings.csv');
  const lines = f.text.trim().split('\n');
  assert.equal(lines[0], 'finding,title,severity,dataset,row,id,detail');
  assert.equal(lines.length - 1, expected);
  assert.ok(lines.some((l) => l.startsWith('late_stage_no_next_step,')), 'a pipeline finding is listed');
  await click('findings-enlarge');
  let s2 = await until((s) => s.import.findings_large, 'the enlarged findings');
  await frames(3);
  await studio.page.screenshot({ path: path.join(shots, 'findings-enlarged.png') });
  await click('findings-enlarge');
  s2 = await until((s) => !s.import.findings_large, 'the findings back in the panel');
  assert.deepEqual(studio.consoleErrors, []);
});
