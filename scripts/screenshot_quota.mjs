#!/usr/bin/env node
// Screenshots of the quota and capacity panels, opened through the Plan menu as a user would:
//   node scripts/screenshot_quota.mjs OUT_PREFIX [WIDTHxHEIGHT] [dark|light] [scale]
// writes OUT_PREFIX-allocation.png, -fairness.png, -attainment.png, -compare.png, -capacity.png.
import { click, launch, openStudio, startServer } from './browser.mjs';

const [prefix = 'quota', size = '1440x900', scheme = 'dark', scale = '1'] = process.argv.slice(2);
const [width, height] = size.split('x').map(Number);

export async function waitSimulation(page) {
  for (let i = 0; i < 600; ++i) {
    const s = (await page.evaluate(() => window.terrane.state())).quota;
    if (s.fresh && s.simulation.complete) return s;
    await page.evaluate(() => window.terrane.frames(2));
  }
  throw new Error('the simulation did not complete');
}

const srv = await startServer();
const browser = await launch();
try {
  const { page, consoleErrors } = await openStudio(browser, srv.url, { width, height, colorScheme: scheme, deviceScaleFactor: Number(scale) });
  await click(page, 'menu.plan');
  await click(page, 'menu.quota');
  await click(page, 'target');
  await page.keyboard.type('6000000');
  await page.keyboard.press('Enter');
  await page.evaluate(() => window.terrane.frames(3));
  await click(page, 'over_assign.territory');
  await waitSimulation(page);
  await page.evaluate(() => window.terrane.frames(3));
  await page.screenshot({ path: `${prefix}-allocation.png` });
  for (const [tab, name] of [[1, 'fairness'], [2, 'attainment'], [3, 'compare']]) {
    await click(page, `tab.${tab}`);
    await waitSimulation(page);
    await page.evaluate(() => window.terrane.frames(3));
    await page.screenshot({ path: `${prefix}-${name}.png` });
  }
  await click(page, 'menu.plan');
  await click(page, 'menu.capacity');
  await page.evaluate(() => window.terrane.frames(4));
  await page.screenshot({ path: `${prefix}-capacity.png` });
  if (consoleErrors.length) console.error('console errors:', consoleErrors);
  console.log(JSON.stringify((await page.evaluate(() => window.terrane.state())).quota.totals));
} finally {
  await browser.close();
  await srv.close();
}
