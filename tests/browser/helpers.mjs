// Helpers shared by the browser tests.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { root } from '../../scripts/browser.mjs';

export const cli = path.join(root, 'build', 'native', 'terrane');

export function runCli(args) {
  return execFileSync(cli, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
}

export function tempDir(prefix = 'terrane-test-') {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

// Samples the rendered page (a real screenshot, as a user sees it) inside the given CSS rect:
// returns counts of distinct colours and of pixels that differ from the rect's corner colour.
export async function samplePixels(page, rect) {
  const png = await page.screenshot({ type: 'png' });
  return page.evaluate(async ({ data, rect }) => {
    const img = new Image();
    img.src = 'data:image/png;base64,' + data;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width;
    c.height = img.height;
    const g = c.getContext('2d');
    g.drawImage(img, 0, 0);
    const px = g.getImageData(rect.x, rect.y, rect.w, rect.h).data;
    const bg = [px[0], px[1], px[2]];
    const colours = new Set();
    let differing = 0, saturated = 0;
    for (let i = 0; i < px.length; i += 4) {
      const r = px[i], gg = px[i + 1], b = px[i + 2];
      colours.add((r << 16) | (gg << 8) | b);
      if (Math.abs(r - bg[0]) + Math.abs(gg - bg[1]) + Math.abs(b - bg[2]) > 30) ++differing;
      if (Math.max(r, gg, b) - Math.min(r, gg, b) > 80) ++saturated;
    }
    return { colours: colours.size, differing, saturated, total: px.length / 4 };
  }, { data: png.toString('base64'), rect });
}

// The rendered page's pixels inside a CSS rect, as RGBA bytes (a real screenshot).
export async function capture(page, rect) {
  const png = await page.screenshot({ type: 'png' });
  const b64 = await page.evaluate(async ({ data, rect }) => {
    const img = new Image();
    img.src = 'data:image/png;base64,' + data;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width;
    c.height = img.height;
    const g = c.getContext('2d');
    g.drawImage(img, 0, 0);
    const px = g.getImageData(rect.x, rect.y, rect.w, rect.h).data;
    let s = '';
    for (let i = 0; i < px.length; i += 8192) s += String.fromCharCode.apply(null, px.subarray(i, i + 8192));
    return btoa(s);
  }, { data: png.toString('base64'), rect });
  return Buffer.from(b64, 'base64');
}

// Share of pixels whose colour differs by more than `tolerance` (sum of channel differences).
export function pixelDiff(a, b, tolerance = 40) {
  if (a.length !== b.length) throw new Error('captures differ in size');
  let n = 0;
  for (let i = 0; i < a.length; i += 4) {
    if (Math.abs(a[i] - b[i]) + Math.abs(a[i + 1] - b[i + 1]) + Math.abs(a[i + 2] - b[i + 2]) > tolerance) ++n;
  }
  return n / (a.length / 4);
}

// Drops `files` (paths) on the page's canvas as a browser does when a user drags them in.
export async function dropFiles(page, files) {
  const payload = files.map((f) => ({ name: path.basename(f), bytes: Array.from(fs.readFileSync(f)) }));
  await page.evaluate((items) => {
    const d = new DataTransfer();
    for (const it of items) d.items.add(new File([new Uint8Array(it.bytes)], it.name, { type: 'text/csv' }));
    const target = document.getElementById('canvas');
    for (const type of ['dragenter', 'dragover', 'drop'])
      target.dispatchEvent(new DragEvent(type, { dataTransfer: d, bubbles: true, cancelable: true }));
  }, payload);
}
