#!/usr/bin/env node
// Screenshots of the Compensation panel, opened through the Plan menu as a user would:
//   node scripts/screenshot_comp.mjs OUT_PREFIX [WIDTHxHEIGHT] [dark|light] [scale]
// writes OUT_PREFIX-editor.png, -payouts.png, -compare.png, -simulation.png, -solve.png and
// -editor-flat.png.
import { click, launch, openStudio, startServer } from './browser.mjs';

const [prefix = 'comp', size = '1440x900', scheme = 'dark', scale = '1'] = process.argv.slice(2);
const [width, height] = size.split('x').map(Number);

async function until(page, check) {
  for (let i = 0; i < 800; ++i) {
    const c = (await page.evaluate(() => window.terrane.state())).comp;
    if (c.fresh && check(c)) return c;
    await page.evaluate(() => window.terrane.frames(2));
  }
  throw new Error('the compensation panel did not settle');
}

const srv = await startServer();
const browser = await launch();
try {
  const { page, consoleErrors } = await openStudio(browser, srv.url, { width, height, colorScheme: scheme, deviceScaleFactor: Number(scale) });
  await click(page, 'menu.plan');
  await click(page, 'menu.comp');
  await until(page, (c) => c.open);
  await click(page, 'comp.set_quotas');
  await until(page, (c) => c.reps.length > 0 && c.total_payout > 0);
  await click(page, 'comp.tier.2.multiplier');
  await page.keyboard.type('1.8');
  await page.keyboard.press('Enter');
  await until(page, (c) => c.plans === 1 && !c.editing);
  // An MBO for the first rep and a 90-day clawback, so the editor shows them.
  await click(page, 'comp.mbo.add');
  await until(page, (c) => c.saved.mbos && c.saved.mbos.length === 1);
  await click(page, 'comp.clawback');
  await until(page, (c) => c.saved.clawback && !c.editing);
  await page.evaluate(() => window.terrane.frames(3));
  await page.screenshot({ path: `${prefix}-editor.png` });
  const c = await until(page, () => true);
  const top = [...c.reps].sort((a, b) => b.payout - a.payout)[0];
  await click(page, 'comp.tab.1');
  await click(page, `comp.rep.${top.rep_id}`);
  await click(page, 'comp.line.0');
  await page.evaluate(() => window.terrane.frames(3));
  await page.screenshot({ path: `${prefix}-payouts.png` });
  await click(page, 'comp.duplicate');
  await until(page, (x) => x.plans === 2);
  await click(page, 'comp.tab.0');
  await click(page, 'comp.tier.2.multiplier');
  await page.keyboard.type('2.5');
  await page.keyboard.press('Enter');
  await until(page, (x) => !x.editing);
  await click(page, 'comp.tab.2');
  const k = await until(page, (x) => x.comparison && x.comparison.b === 1);
  await click(page, `comp.why.${top.rep_id}`);
  await page.evaluate(() => window.terrane.frames(3));
  await page.screenshot({ path: `${prefix}-compare.png` });
  await click(page, 'comp.budget');
  await page.keyboard.type(String(Math.round(k.comparison.total_a * 1.1)));
  await page.keyboard.press('Enter');
  await click(page, 'comp.tab.3');
  await until(page, (x) => x.simulation.complete);
  await page.evaluate(() => window.terrane.frames(3));
  await page.screenshot({ path: `${prefix}-simulation.png` });
  // Solve for the accelerators that bring the expected cost of sales half a point down.
  const sim = (await until(page, (x) => x.simulation.complete)).simulation;
  await click(page, 'comp.solve.target');
  await page.keyboard.type((sim.expected_cost_of_sales * 100 - 0.5).toFixed(2));
  await page.keyboard.press('Enter');
  await click(page, 'comp.solve.run');
  await until(page, (x) => x.solve.complete && !x.solve.running);
  await page.evaluate(() => window.terrane.frames(3));
  await page.screenshot({ path: `${prefix}-solve.png` });
  // Flat rates per product / segment instead of attainment tiers.
  await click(page, 'comp.tab.0');
  await click(page, 'comp.basis.1');
  await until(page, (x) => x.saved.commission.basis === 'flat' && !x.editing);
  await click(page, 'comp.flat.add');
  await until(page, (x) => (x.saved.commission.flat_rates || []).length === 2);
  await page.evaluate(() => window.terrane.frames(3));
  await page.screenshot({ path: `${prefix}-editor-flat.png` });
  if (consoleErrors.length) console.error('console errors:', consoleErrors);
  console.log(JSON.stringify((await page.evaluate(() => window.terrane.state())).comp.simulation));
} finally {
  await browser.close();
  await srv.close();
}
