#!/usr/bin/env node
// Takes a screenshot of the built page: node scripts/screenshot.mjs OUT.png [WIDTHxHEIGHT] [dark|light] [scale]
import { launch, openStudio, startServer } from './browser.mjs';

const [out = 'screenshot.png', size = '1440x900', scheme = 'dark', scale = '1'] = process.argv.slice(2);
const [width, height] = size.split('x').map(Number);
const srv = await startServer();
const browser = await launch();
try {
  const { page, consoleErrors } = await openStudio(browser, srv.url, { width, height, colorScheme: scheme, deviceScaleFactor: Number(scale) });
  await page.screenshot({ path: out });
  if (consoleErrors.length) console.error('console errors:', consoleErrors);
  console.log(JSON.stringify(await page.evaluate(() => window.terrane.state())));
} finally {
  await browser.close();
  await srv.close();
}
