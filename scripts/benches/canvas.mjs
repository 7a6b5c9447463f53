// Canvas interactivity in headless Chromium (software GL unless a GPU is present): frame times
// while panning and zooming, and the core time of an edit (move + metrics update) and its undo,
// for the 5,000-account sample (baseline) and larger workspaces, side by side in one run. Also
// frames where only the panels change, which copy the map's cached image.
import { launch, openStudio, startServer } from '../browser.mjs';

async function measure(page, accounts, reps) {
  await page.evaluate(([a, r]) => window.terrane.loadSample(a, r, 42), [accounts, reps]);
  await page.evaluate(() => window.terrane.frames(4));
  const st = await page.evaluate(() => window.terrane.state());
  const [x, y, w, h] = st.map.rect.map((v) => v / st.pixel_ratio);
  const cx = x + w / 2, cy = y + h / 2;
  // Pan and zoom: each step waits for its frame; wall time per frame and the app's CPU time.
  const t0 = Date.now();
  let frames = 0, cpu = 0;
  await page.mouse.move(cx, cy);
  for (let i = 0; i < 12; ++i) {
    await page.mouse.wheel(0, i < 6 ? -120 : 120);
    await page.evaluate(() => window.terrane.frames(1));
    cpu += (await page.evaluate(() => window.terrane.state())).last_frame_ms;
    ++frames;
  }
  await page.mouse.down({ button: 'middle' });
  for (let i = 0; i < 12; ++i) {
    await page.mouse.move(cx - i * 8, cy - i * 4);
    await page.evaluate(() => window.terrane.frames(1));
    cpu += (await page.evaluate(() => window.terrane.state())).last_frame_ms;
    ++frames;
  }
  await page.mouse.up({ button: 'middle' });
  const wall = (Date.now() - t0) / frames;
  // Frames where only the panels change (the pointer moves over the side panel): the map is
  // copied from its cached image rather than drawn again.
  await page.mouse.move(x + w + 40, y + 80);
  await page.evaluate(() => window.terrane.frames(2));
  const before = (await page.evaluate(() => window.terrane.state())).map;
  const t1 = Date.now();
  for (let i = 0; i < 8; ++i) {
    await page.mouse.move(x + w + 40, y + 80 + i * 12);
    await page.evaluate(() => window.terrane.frames(1));
  }
  const panelWall = (Date.now() - t1) / 8;
  const after = (await page.evaluate(() => window.terrane.state())).map;
  const panelFull = after.full_draws - before.full_draws, panelCached = after.cached_draws - before.cached_draws;
  // Edit: box-select the middle of the map and move it to the first territory, then undo.
  await page.keyboard.press('f');
  await page.keyboard.press('b');
  await page.evaluate(() => window.terrane.frames(2));
  await page.mouse.move(cx - 60, cy - 60);
  await page.mouse.down();
  await page.evaluate(() => window.terrane.frames(1));
  for (let i = 1; i <= 4; ++i) {
    await page.mouse.move(cx - 60 + 30 * i, cy - 60 + 30 * i);
    await page.evaluate(() => window.terrane.frames(1));
  }
  await page.mouse.up();
  await page.evaluate(() => window.terrane.frames(2));
  const selected = (await page.evaluate(() => window.terrane.state())).selected_count;
  await page.keyboard.press('m');
  await page.evaluate(() => window.terrane.frames(2));
  await page.keyboard.press('Enter');
  await page.evaluate(() => window.terrane.frames(2));
  const edit = (await page.evaluate(() => window.terrane.state())).last_edit_ms;
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+z');
  await page.evaluate(() => window.terrane.frames(2));
  const undo = (await page.evaluate(() => window.terrane.state())).last_edit_ms;
  await page.keyboard.press('v');
  return { accounts, frame_wall_ms: wall, frame_cpu_ms: cpu / frames, panel_frame_wall_ms: panelWall, panel_frames_full: panelFull,
    panel_frames_cached: panelCached, selected, edit_ms: edit, undo_ms: undo,
    drawn_instances: (await page.evaluate(() => window.terrane.state())).map.points };
}

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
      console.log(`${String(a).padStart(8)} accounts: pan/zoom frame ${m.frame_wall_ms.toFixed(1)} ms wall, ${m.frame_cpu_ms.toFixed(1)} ms CPU; ` +
        `panel-only frame ${m.panel_frame_wall_ms.toFixed(1)} ms wall (map copied ${m.panel_frames_cached}, drawn ${m.panel_frames_full}); ` +
        `move ${m.selected} accounts ${m.edit_ms.toFixed(1)} ms, undo ${m.undo_ms.toFixed(1)} ms`);
    }
  } finally {
    await browser.close();
    await srv.close();
  }
  const base = out[0];
  for (const m of out.slice(1))
    console.log(`ratio ${m.accounts}/${base.accounts}: frame wall ${(m.frame_wall_ms / base.frame_wall_ms).toFixed(2)}x, ` +
      `frame CPU ${(m.frame_cpu_ms / base.frame_cpu_ms).toFixed(2)}x, panel-only frame wall ${(m.panel_frame_wall_ms / base.panel_frame_wall_ms).toFixed(2)}x, edit ${(m.edit_ms / Math.max(0.01, base.edit_ms)).toFixed(2)}x`);
  return out;
}
