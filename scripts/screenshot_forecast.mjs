#!/usr/bin/env node
// Screenshots of every Forecast workspace tab: node scripts/screenshot_forecast.mjs OUTDIR [WIDTHxHEIGHT] [dark|light]
// Opens Analyse > Forecast on the sample, waits for the run, then one PNG per tab (and the map
// after clicking the first flag), plus review mode after saving the forecast into the scenario.
import fs from 'node:fs';
import path from 'node:path';
import { click, launch, openStudio, startServer } from './browser.mjs';

const [out = 'forecast-shots', size = '1440x900', scheme = 'dark'] = process.argv.slice(2);
const [width, height] = size.split('x').map(Number);
fs.mkdirSync(out, { recursive: true });
const srv = await startServer();
const browser = await launch();
try {
  const { page, consoleErrors } = await openStudio(browser, srv.url, { width, height, colorScheme: scheme });
  const frames = (n) => page.evaluate((k) => window.terrane.frames(k), n);
  await click(page, 'menu.analyse');
  await click(page, 'menu.forecast');
  for (let i = 0; i < 3000; ++i) {
    const f = (await page.evaluate(() => window.terrane.state())).forecast;
    if (f.fresh && f.valid && !f.running) break;
    await frames(2);
  }
  const names = ['overview', 'pipeline', 'deals', 'breakdown', 'accuracy'];
  for (let t = 0; t < names.length; ++t) {
    await click(page, `forecast.tab${t}`);
    if (names[t] === 'deals') await click(page, 'forecast.flag0');
    await frames(4);
    await page.mouse.move(5, height - 5);
    await frames(2);
    await page.screenshot({ path: path.join(out, `forecast-${t}-${names[t]}.png`) });
  }
  await click(page, 'forecast.save');
  const text = await page.evaluate(() => window.terrane.scenarioText());
  await page.evaluate((t) => window.terrane.openScenarioText('forecast.terrane', t), text);
  await frames(6);
  await page.screenshot({ path: path.join(out, 'forecast-5-review.png') });
  if (consoleErrors.length) console.error('console errors:', consoleErrors);
  console.log(JSON.stringify((await page.evaluate(() => window.terrane.state())).forecast).slice(0, 2000));
} finally {
  await browser.close();
  await srv.close();
}
