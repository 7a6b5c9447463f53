#!/usr/bin/env node
// Screenshots of every Forecast workspace tab: node scripts/screenshot_forecast.mjs OUTDIR [WIDTHxHEIGHT] [dark|light] [SF_DIR]
// Opens Analyse > Forecast on the sample, waits for the run, then one PNG per tab (and the map
// after clicking the first flag), plus review mode after saving the forecast into the scenario.
// Then, in a fresh page, drops a CRM export nobody here wrote (the shared Salesforce sample org:
// Opportunity.csv and OpportunityHistory.csv, or SF_DIR) as a user does, replaces the sample's
// opportunities, and takes every tab again (forecast-sf-*.png).
import fs from 'node:fs';
import path from 'node:path';
import { click, launch, openStudio, startServer } from './browser.mjs';
import { dropFiles } from '../tests/browser/helpers.mjs';

const [out = 'forecast-shots', size = '1440x900', scheme = 'dark', sfDir = '/work/shared/data/salesforce-sample-org'] = process.argv.slice(2);
const [width, height] = size.split('x').map(Number);
fs.mkdirSync(out, { recursive: true });
const names = ['overview', 'pipeline', 'deals', 'breakdown', 'accuracy'];

async function settled(page, frames) {
  for (let i = 0; i < 3000; ++i) {
    const f = (await page.evaluate(() => window.terrane.state())).forecast;
    if (f.fresh && !f.running && (f.valid || f.error)) return f;
    await frames(2);
  }
  throw new Error('the forecast did not finish');
}

async function tabs(page, frames, prefix) {
  for (let t = 0; t < names.length; ++t) {
    await click(page, `forecast.tab${t}`);
    if (names[t] === 'deals') {
      const f = (await page.evaluate(() => window.terrane.state())).forecast;
      const i = f.flags.findIndex((x) => x.deals > 0);
      if (i >= 0) await click(page, `forecast.flag${i}`);
    }
    await frames(4);
    await page.mouse.move(5, height - 5);
    await frames(2);
    await page.screenshot({ path: path.join(out, `${prefix}-${t}-${names[t]}.png`) });
  }
}

// Drops the files and confirms each import dialog as a user does (replacing what is there).
async function importFiles(page, frames, files) {
  const state = () => page.evaluate(() => window.terrane.state());
  const before = (await state()).import.records.length;
  await dropFiles(page, files);
  for (let n = 0; n < files.length; ++n) {
    let st;
    for (let i = 0; i < 600; ++i) {
      st = await state();
      if ((st.import.pending || st.import.awaiting_mode) && !st.job) break;
      await frames(2);
    }
    if (st.import.awaiting_mode) {
      await click(page, 'import-mode-replace');
      for (let i = 0; i < 600; ++i) {
        st = await state();
        if (st.import.pending && !st.import.awaiting_mode && !st.job) break;
        await frames(2);
      }
    }
    console.log(`import ${st.import.pending?.file}: ${st.import.pending?.kind}`);
    await click(page, 'import-confirm');
  }
  for (let i = 0; i < 600; ++i) {
    const st = await state();
    if (st.import.records.length >= before + files.length && !st.job) return st;
    await frames(2);
  }
  throw new Error('the imports did not finish');
}

const srv = await startServer();
const browser = await launch();
try {
  {
    const { page, consoleErrors } = await openStudio(browser, srv.url, { width, height, colorScheme: scheme });
    const frames = (n) => page.evaluate((k) => window.terrane.frames(k), n);
    await click(page, 'menu.analyse');
    await click(page, 'menu.forecast');
    await settled(page, frames);
    await tabs(page, frames, 'forecast');
    await click(page, 'forecast.save');
    const text = await page.evaluate(() => window.terrane.scenarioText());
    await page.evaluate((t) => window.terrane.openScenarioText('forecast.terrane', t), text);
    await frames(6);
    await page.screenshot({ path: path.join(out, 'forecast-5-review.png') });
    if (consoleErrors.length) console.error('console errors:', consoleErrors);
    console.log(JSON.stringify((await page.evaluate(() => window.terrane.state())).forecast).slice(0, 1500));
    await page.close();
  }
  if (fs.existsSync(path.join(sfDir, 'Opportunity.csv'))) {
    const { page, consoleErrors } = await openStudio(browser, srv.url, { width, height, colorScheme: scheme });
    const frames = (n) => page.evaluate((k) => window.terrane.frames(k), n);
    await importFiles(page, frames, ['Opportunity.csv', 'OpportunityHistory.csv'].map((n) => path.join(sfDir, n)));
    await frames(4);
    await click(page, 'menu.analyse');
    await click(page, 'menu.forecast');
    await settled(page, frames);
    await tabs(page, frames, 'forecast-sf');
    if (consoleErrors.length) console.error('console errors:', consoleErrors);
    console.log(JSON.stringify((await page.evaluate(() => window.terrane.state())).forecast).slice(0, 1500));
  }
} finally {
  await browser.close();
  await srv.close();
}
