// Shared helpers for browser tests, screenshots and benchmarks: serve the site on a free
// localhost port and drive Debian's Chromium through playwright-core (no browser download).
import { chromium } from 'playwright-core';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from './serve.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, '..');
export const siteDir = path.join(root, 'build', 'web', 'site');

export const CHROMIUM_ARGS = [
  '--use-gl=swiftshader', '--enable-unsafe-swiftshader', '--no-sandbox', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--disable-dev-shm-usage',
];

export async function startServer(dir = siteDir) {
  const server = createServer(dir);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return { server, url: `http://127.0.0.1:${port}/`, close: () => new Promise((r) => server.close(r)) };
}

export async function launch(extraArgs = []) {
  return chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: [...CHROMIUM_ARGS, ...extraArgs] });
}

// Opens the page and waits until the app reports ready and has drawn a few frames. Records
// console errors and every request that leaves the page's origin.
export async function openStudio(browser, url, { width = 1440, height = 900, deviceScaleFactor = 1, colorScheme = 'dark' } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor, colorScheme });
  const page = await context.newPage();
  const consoleErrors = [];
  const foreignRequests = [];
  const origin = new URL(url).origin;
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(origin) && !u.startsWith('blob:') && !u.startsWith('data:')) foreignRequests.push(u);
  });
  await page.goto(url);
  await page.waitForFunction(() => window.terrane && window.terrane.ready, null, { timeout: 120000 });
  await page.evaluate(() => window.terrane.frames(3));
  return { context, page, consoleErrors, foreignRequests };
}

// Waits (up to `limit` frames) until the page's test hook reports the named control drawn
// (window.terrane.state().targets, CSS pixels) and returns its centre.
export async function targetCentre(page, name, limit = 400) {
  // A window that has just appeared still moves on its next frames (auto-resize, centring): the
  // target counts once it is at the same place on two frames in a row.
  let st, last = null;
  for (let i = 0; i < limit; ++i) {
    st = await page.evaluate(() => window.terrane.state());
    const r = st.targets[name];
    if (r && last && r.every((v, k) => v === last[k])) return { x: r[0] + r[2] / 2, y: r[1] + r[3] / 2 };
    last = r || null;
    await page.evaluate(() => window.terrane.frames(1));
  }
  throw new Error(`'${name}' is not on screen (status: ${st?.status})`);
}

// Hovers, presses and releases at a point as a user does (some ImGui items take a press only
// after a hovered frame), waiting for frames between the steps.
export async function clickAt(page, p) {
  await page.mouse.move(p.x, p.y);
  await page.evaluate(() => window.terrane.frames(2));
  await page.mouse.down();
  await page.evaluate(() => window.terrane.frames(1));
  await page.mouse.up();
  await page.evaluate(() => window.terrane.frames(3));
}

// Clicks the named control (see targetCentre).
export async function click(page, name) {
  await clickAt(page, await targetCentre(page, name));
}
