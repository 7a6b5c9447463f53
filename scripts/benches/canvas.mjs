// Canvas interactivity in headless Chromium (software GL unless a GPU is present), measured inside
// the page: the interval between animation frames while a hand-like input drives the map (one
// mouse move or wheel step per frame), for the 5,000-account sample (baseline) and larger
// workspaces side by side in one run. Phases: pan, zoom, frames where only the panels change,
// a lasso drag, and the frames after a move of the lassoed accounts, its undo and its redo. Also
// the core time of the edit (move + metrics update) and of the undo.
import { launch, openStudio, startServer } from '../browser.mjs';

// In the page: records every animation frame's time and the app's frame counter until stopped.
function startRecorder(page) {
  return page.evaluate(() => {
    const rec = { ts: [], fr: [], marks: [], stop: false };
    window.__frameRec = rec;
    const step = (t) => {
      rec.ts.push(t);
      rec.fr.push(window.terrane.state().frames);
      if (!rec.stop) requestAnimationFrame(step);
    };
    requestAnimationFrame(step);
  });
}
const mark = (page, name) => page.evaluate((n) => window.__frameRec.marks.push([n, performance.now()]), name);
// Intervals ending in a frame the app drew, per phase (from its mark to the next).
async function stopRecorder(page) {
  const rec = await page.evaluate(() => {
    window.__frameRec.stop = true;
    const r = window.__frameRec;
    return { ts: r.ts, fr: r.fr, marks: [...r.marks, ['end', performance.now()]] };
  });
  const phases = {};
  for (let m = 0; m + 1 < rec.marks.length; ++m) {
    const [name, t0] = rec.marks[m], t1 = rec.marks[m + 1][1];
    const d = [];
    for (let i = 1; i < rec.ts.length; ++i)
      if (rec.ts[i] > t0 && rec.ts[i] <= t1 && rec.fr[i] !== rec.fr[i - 1]) d.push(rec.ts[i] - rec.ts[i - 1]);
    d.sort((a, b) => a - b);
    const q = (p) => (d.length ? d[Math.min(d.length - 1, Math.floor(p * d.length))] : NaN);
    phases[name] = { frames: d.length, p50: q(0.5), p90: q(0.9), max: d.length ? d[d.length - 1] : NaN };
  }
  return phases;
}

// In the page: drives the map with synthetic mouse events, one step per animation frame.
function drive(page, rect, kind, steps) {
  return page.evaluate(async ({ x, y, w, h, kind, steps }) => {
    const cv = document.querySelector('#canvas');
    const cx = x + w / 2, cy = y + h / 2;
    const ev = (type, px, py, button, buttons) =>
      (type === 'mousedown' ? cv : window).dispatchEvent(new MouseEvent(type, { clientX: px, clientY: py, button, buttons, bubbles: true }));
    const frame = () => new Promise((r) => requestAnimationFrame(r));
    if (kind === 'pan') {
      ev('mousemove', cx, cy, 1, 0);
      ev('mousedown', cx, cy, 1, 4);
      for (let i = 1; i <= steps; ++i) { await frame(); ev('mousemove', cx - 3 * i, cy - 2 * i, 1, 4); }
      await frame();
      ev('mouseup', cx - 3 * steps, cy - 2 * steps, 1, 0);
    } else if (kind === 'zoom') {
      ev('mousemove', cx, cy, 0, 0);
      for (let i = 0; i < steps; ++i) {
        await frame();
        cv.dispatchEvent(new WheelEvent('wheel', { clientX: cx, clientY: cy, deltaY: i < steps / 2 ? -60 : 60, deltaMode: 0, bubbles: true }));
      }
    } else if (kind === 'panel') {
      for (let i = 0; i < steps; ++i) { await frame(); ev('mousemove', x + w + 40, y + 80 + (i % 20) * 6, 0, 0); }
    } else if (kind === 'lasso') {
      // A square of side 120 CSS pixels around the centre, drawn with the left button.
      const half = 60, per = Math.max(1, Math.floor(steps / 4));
      const corners = [[cx - half, cy - half], [cx + half, cy - half], [cx + half, cy + half], [cx - half, cy + half], [cx - half, cy - half + 1]];
      ev('mousemove', cx - half, cy - half, 0, 0);
      ev('mousedown', cx - half, cy - half, 0, 1);
      for (let c = 1; c < corners.length; ++c)
        for (let i = 1; i <= per; ++i) {
          await frame();
          const [ax, ay] = corners[c - 1], [bx, by] = corners[c];
          ev('mousemove', ax + (bx - ax) * i / per, ay + (by - ay) * i / per, 0, 1);
        }
      await frame();
      ev('mouseup', cx - half, cy - half + 1, 0, 0);
    }
    for (let i = 0; i < 8; ++i) await frame(); // the frames after: the map drawn at rest
  }, { ...rect, kind, steps });
}

async function measure(page, accounts, reps) {
  await page.evaluate(([a, r]) => window.terrane.loadSample(a, r, 42), [accounts, reps]);
  await page.evaluate(() => window.terrane.frames(4));
  const st0 = await page.evaluate(() => window.terrane.state());
  const [x, y, w, h] = st0.map.rect.map((v) => v / st0.pixel_ratio);
  const rect = { x, y, w, h };
  const settle = () => page.waitForTimeout(600);
  // Warm-up (compiled code paths, caches), then back to the fitted view.
  await drive(page, rect, 'pan', 20);
  await page.keyboard.press('f');
  await settle();
  await startRecorder(page);
  await mark(page, 'pan');
  await drive(page, rect, 'pan', 60);
  await mark(page, 'zoom');
  await drive(page, rect, 'zoom', 24);
  await settle();
  await page.keyboard.press('f');
  await settle();
  await mark(page, 'panel');
  await drive(page, rect, 'panel', 30);
  await mark(page, 'lasso');
  await page.keyboard.press('l');
  await drive(page, rect, 'lasso', 48);
  await mark(page, 'idle');
  const selected = (await page.evaluate(() => window.terrane.state())).selected_count;
  // Move the lassoed accounts through the move dialog (M, type a territory, Enter).
  const target = (await page.evaluate(() => window.terrane.metrics())).territories[3].name;
  await page.keyboard.press('m');
  await settle();
  await page.keyboard.type(target);
  await settle();
  await mark(page, 'move');
  await page.keyboard.press('Enter');
  await settle();
  const afterMove = await page.evaluate(() => window.terrane.state());
  await page.keyboard.press('Escape');
  await settle();
  await mark(page, 'undo');
  await page.keyboard.press('Control+z');
  await settle();
  const afterUndo = await page.evaluate(() => window.terrane.state());
  await mark(page, 'redo');
  await page.keyboard.press('Control+Shift+z');
  await settle();
  const phases = await stopRecorder(page);
  const st = await page.evaluate(() => window.terrane.state());
  await page.keyboard.press('Control+z');
  await page.keyboard.press('v');
  await settle();
  return {
    accounts, drawn: st0.map.drawn, selected, moved: afterMove.log - st0.log, edit_ms: afterMove.last_edit_ms, undo_ms: afterUndo.last_edit_ms,
    redone: st.log - st0.log, full_draw_frame_ms: st0.full_draw_frame_ms, software_rendering: st0.map.software_rendering, phases,
  };
}

const f0 = (v) => (Number.isFinite(v) ? v.toFixed(0) : '-');
const line = (p) => `${f0(p.p50)}/${f0(p.p90)}/${f0(p.max)} ms (${p.frames})`;

export async function run({ quick }) {
  const sizes = quick ? [[5000, 40], [50000, 100]] : [[5000, 40], [100000, 200], [1000000, 1000]];
  const srv = await startServer();
  const browser = await launch(['--js-flags=--max-old-space-size=8192']);
  const out = [];
  try {
    const { page } = await openStudio(browser, srv.url, { width: 1440, height: 900 });
    page.setDefaultTimeout(600000);
    for (const [a, r] of sizes) {
      const m = await measure(page, a, r);
      out.push(m);
      const p = m.phases;
      console.log(`${String(a).padStart(8)} accounts (${m.drawn} discs drawn${m.software_rendering ? ', software GL' : ''}); ` +
        `frame interval p50/p90/max (frames):`);
      console.log(`           pan ${line(p.pan)}; zoom ${line(p.zoom)}; panels only ${line(p.panel)}; lasso drag ${line(p.lasso)}`);
      console.log(`           after the move of ${m.selected} accounts ${line(p.move)}; after undo ${line(p.undo)}; after redo ${line(p.redo)}`);
      console.log(`           core: move ${m.edit_ms.toFixed(1)} ms, undo ${m.undo_ms.toFixed(1)} ms; edits recorded ${m.moved}, after redo ${m.redone}`);
    }
  } finally {
    await browser.close();
    await srv.close();
  }
  const base = out[0];
  for (const m of out.slice(1))
    console.log(`ratio ${m.accounts}/${base.accounts}: pan p50 ${(m.phases.pan.p50 / base.phases.pan.p50).toFixed(2)}x, ` +
      `lasso p50 ${(m.phases.lasso.p50 / base.phases.lasso.p50).toFixed(2)}x, move max ${(m.phases.move.max / base.phases.move.max).toFixed(2)}x, ` +
      `undo max ${(m.phases.undo.max / base.phases.undo.max).toFixed(2)}x, core edit ${(m.edit_ms / Math.max(0.01, base.edit_ms)).toFixed(2)}x`);
  return out;
}
