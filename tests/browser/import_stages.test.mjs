// Deals whose outcome lives only in their stage: the mapping dialog shows the stage table, the
// import gives the right won / lost / open counts and win rate, data quality flags no closed deal
// as past its close date, and changing a stage's meaning in the report re-derives the outcomes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { click as clickControl, launch, openStudio, root, startServer } from '../../scripts/browser.mjs';
import { dropFiles as dropFilesOn } from './helpers.mjs';

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
const click = (name) => clickControl(studio.page, name);

const dropFiles = (files) => dropFilesOn(studio.page, files);

async function until(pred, what, limit = 400) {
  for (let i = 0; i < limit; ++i) {
    const st = await state();
    if (pred(st)) return st;
    await frames(2);
  }
  throw new Error(`timed out waiting for ${what}`);
}

const deals = path.join(root, 'tests', 'data', 'crm', 'deals_stage_only.csv');

test('the mapping dialog shows the stage table of a deals file whose outcomes live in its stage', async () => {
  await dropFiles([deals]);
  const st = await until((s) => s.import.pending && s.targets['import-stage-table'], 'the mapping dialog with its stage table');
  const p = st.import.pending;
  assert.equal(p.kind, 'opportunities');
  assert.equal(p.mapping.owner, 'Salesperson');
  assert.equal(p.mapping.amount, 'Deal value');
  assert.equal(p.mapping.created_date, 'Engaged on');
  assert.equal(p.stages.outcomes_from_stages, true);
  const byName = Object.fromEntries(p.stages.stages.map((s) => [s.name, s]));
  assert.equal(byName.Won.outcome, 'won');
  assert.equal(byName.Won.count, 4);
  assert.equal(byName.Lost.outcome, 'lost');
  assert.equal(byName['In progress'].outcome, 'open');
  assert.ok(st.targets['import-stages-meaning-0'], 'the first stage has a meaning control');
  await frames(3);
  await studio.page.screenshot({ path: path.join(shots, 'import-stage-table.png') });
});

test('the import counts won, lost and open deals from the stage, with the win rate, and no false hygiene', async () => {
  await click('import-confirm');
  const st = await until((s) => s.import.records.length === 1 && s.import.hygiene.valid && !s.job, 'the import and its checks');
  assert.equal(st.import.records[0].ok, true);
  const s = st.summary;
  assert.equal(s.opportunities, 12);
  assert.equal(s.won_opportunities, 5);
  assert.equal(s.lost_opportunities, 3);
  assert.equal(s.open_opportunities, 4);
  assert.equal(s.won_amount, 49550);
  assert.equal(s.won_opportunities / (s.won_opportunities + s.lost_opportunities), 0.625);
  // One open deal (closing 2025-05-15) is past its close date; no closed deal is.
  assert.equal(st.import.hygiene.counts.past_close_date, 1);
  assert.equal(st.import.stages.stages.length, 6);
});

test('setting a stage to won in the report re-derives the outcomes; summary and checks follow', async () => {
  const before = await state();
  const first = before.import.stages.stages[0];
  assert.equal(first.name, 'In progress');
  assert.equal(first.outcome, 'open');
  await click('report-stages-meaning-0');
  await click('report-stages-option-won');
  const st = await until((s) => s.summary.won_opportunities === 5 + first.count && s.import.hygiene.valid && !s.job, 'the re-derived outcomes');
  assert.equal(st.summary.open_opportunities, 4 - first.count);
  const row = st.import.stages.stages.find((r) => r.name === 'In progress');
  assert.equal(row.outcome, 'won');
  assert.equal(row.source, 'user');
  assert.equal(st.import.hygiene.counts.past_close_date, 1); // "In Progress" (the other spelling) is still open
  await frames(3);
  await studio.page.screenshot({ path: path.join(shots, 'import-report-stages.png') });
});
