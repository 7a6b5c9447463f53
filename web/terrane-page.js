// Page glue between the browser and the wasm app: the window.terrane API (also the test hook),
// file picking, drag-and-drop, paste, autosave storage (IndexedDB), the offline service worker
// and standalone pages. Loaded before terrane.js (the Emscripten output).
'use strict';
(function () {
  const canvas = document.getElementById('canvas');
  const loading = document.getElementById('loading');
  const fatal = document.getElementById('fatal');
  const fileInput = document.getElementById('file-input');
  const errors = [];
  // A standalone page carries its scenario (and the wasm) inline; it keeps nothing in storage.
  const embedded = document.getElementById('terrane-embedded-scenario');

  function withString(s, fn) {
    const len = Module.lengthBytesUTF8(s) + 1;
    const p = Module._malloc(len);
    Module.stringToUTF8(s, p, len);
    try { return fn(p); } finally { Module._free(p); }
  }

  // [SECTION] autosave storage: one IndexedDB store, keys "datasets", "state", "ui".
  const storage = {
    available: false,
    db: null,
    open() {
      return new Promise((resolve) => {
        if (embedded || !window.indexedDB || !location.protocol.startsWith('http')) return resolve(null);
        let req;
        try { req = indexedDB.open('terrane', 1); } catch (e) { return resolve(null); }
        req.onupgradeneeded = () => req.result.createObjectStore('autosave');
        req.onsuccess = () => { storage.db = req.result; resolve(storage.db); };
        req.onerror = () => resolve(null);
        req.onblocked = () => resolve(null);
      });
    },
    readAll() {
      return new Promise((resolve) => {
        if (!storage.db) return resolve({});
        const out = {};
        const blobs = [];
        const tx = storage.db.transaction('autosave', 'readonly');
        const st = tx.objectStore('autosave');
        for (const key of ['datasets', 'state', 'ui']) {
          const r = st.get(key);
          r.onsuccess = () => {
            if (!r.result) return;
            // Values are stored as Blobs (older saves: byte arrays).
            if (r.result instanceof Blob) blobs.push(r.result.text().then((t) => { out[key] = t; }));
            else out[key] = new TextDecoder().decode(r.result);
          };
        }
        tx.oncomplete = () => Promise.all(blobs).then(() => resolve(out), () => resolve({}));
        tx.onerror = () => resolve({});
      });
    },
    report(ok, message) {
      if (api.ready) withString(message, (p) => Module._terrane_storage_result(ok ? 1 : 0, p));
    },
    writing: 0, // writes started and not yet complete
    put(key, bytes) {
      if (!storage.db) return;
      try {
        const tx = storage.db.transaction('autosave', 'readwrite');
        tx.objectStore('autosave').put(bytes, key);
        storage.writing += 1;
        const done = () => { storage.writing -= 1; leaving.update(); };
        tx.oncomplete = () => { done(); api.saves += 1; storage.report(true, 'saved in this browser at ' + new Date().toLocaleTimeString()); };
        tx.onabort = () => { done(); storage.report(false, (tx.error && tx.error.name === 'QuotaExceededError')
          ? "the browser's storage quota is full" : 'the browser refused to store it (' + (tx.error ? tx.error.name : 'unknown') + ')'); };
        // Nothing more goes into it: commit now rather than when this task ends (the page may be closing).
        if (tx.commit) tx.commit();
        leaving.update();
      } catch (e) {
        storage.report(false, 'the browser refused to store it (' + e.name + ')');
      }
    },
    // Big values arrive in parts (Blobs), and are stored as one Blob made of them.
    parts: {},
    append(key, blob, first) {
      if (first || !storage.parts[key]) storage.parts[key] = [];
      storage.parts[key].push(blob);
    },
    commit(key) {
      const parts = storage.parts[key] || [];
      delete storage.parts[key];
      storage.put(key, new Blob(parts));
    },
    clear() {
      storage.parts = {};
      if (!storage.db) return;
      const tx = storage.db.transaction('autosave', 'readwrite');
      tx.objectStore('autosave').clear();
    },
  };

  // [SECTION] leaving the page. Autosave waits for a pause after an edit; when the page is hidden
  // or closed the plan is stored at once (the writes start inside the event handler, so they land
  // even as the page goes). While a change is not yet stored or a write is in flight, the browser
  // is asked to warn before the page is closed.
  const leaving = {
    unsaved: false, // the app's plan has changes not yet handed to storage
    armed: false, // the beforeunload listener is in place
    warn(e) {
      e.preventDefault();
      e.returnValue = '';
    },
    update() {
      const arm = leaving.unsaved || storage.writing > 0;
      if (arm === leaving.armed) return;
      leaving.armed = arm;
      if (arm) window.addEventListener('beforeunload', leaving.warn);
      else window.removeEventListener('beforeunload', leaving.warn);
    },
    flush() {
      if (!api.ready || !storage.available) return;
      leaving.unsaved = Module._terrane_flush_autosave() !== 0;
      leaving.update();
    },
  };
  document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'hidden') leaving.flush(); });
  window.addEventListener('pagehide', () => leaving.flush());

  function showFatal(msg) {
    loading.classList.add('hidden');
    fatal.textContent = msg;
    fatal.hidden = false;
  }

  const assets = new Map(); // site files the wasm asks for, by name: promises of their bytes
  const api = {
    ready: false,
    errors,
    storage,
    saves: 0, // completed autosave writes (tests wait on this)
    // True while the browser is asked to warn before the page is closed (a change not yet stored).
    warnsOnClose() {
      return leaving.armed;
    },
    restored: false,
    standalone: !!embedded,
    // JSON snapshot of the studio: summary figures, camera, selection, frame count.
    state() {
      if (!api.ready) return { ready: false };
      return JSON.parse(Module.UTF8ToString(Module._terrane_state_json()));
    },
    // Where account `row` is drawn, in CSS pixels ({x, y, visible}).
    accountScreen(row) {
      return JSON.parse(Module.UTF8ToString(Module._terrane_account_screen(row)));
    },
    // The metrics panel's figures (the document `terrane metrics --json` prints).
    metrics() {
      return JSON.parse(Module.UTF8ToString(Module._terrane_metrics_json()));
    },
    // Territory id -> the colour the map gives it ("#rrggbb").
    territoryColors() {
      return JSON.parse(Module.UTF8ToString(Module._terrane_territory_colors_json()));
    },
    // A dataset of the open workspace as CSV, as `terrane demo` writes it.
    datasetCsv(kind) {
      const len = Module.lengthBytesUTF8(kind) + 1;
      const ptr = Module._malloc(len);
      Module.stringToUTF8(kind, ptr, len);
      const text = Module.UTF8ToString(Module._terrane_dataset_csv(ptr));
      Module._free(ptr);
      return text;
    },
    // Opens a .terrane document (text) as File > Open does; true when it opened.
    openScenarioText(name, text) {
      return withString(name, (np) => withString(text, (tp) => Module._terrane_open_scenario_text(np, tp))) === 1;
    },
    // The same as the review form: {approval: bool, author, decision, text}.
    addReview({ approval = false, author = '', decision = '', text = '' }) {
      withString(author, (a) => withString(decision, (d) => withString(text, (t) => Module._terrane_add_review(approval ? 1 : 0, a, d, t))));
    },
    // The workspace as a .terrane document (what File > Save writes, without redaction).
    scenarioText() {
      return Module.UTF8ToString(Module._terrane_scenario_text());
    },
    // What `terrane scenario summary` prints for the workspace as saved now.
    scenarioSummary() {
      return JSON.parse(Module.UTF8ToString(Module._terrane_scenario_summary()));
    },
    // The same as File > Export assignment for CRM; the download lands in `downloads`.
    exportAssignment() {
      Module._terrane_export_assignment();
      return api.downloads[api.downloads.length - 1];
    },
    // The same as File > Export map image: resolves with the PNG download.
    async exportMapPng() {
      const before = api.downloads.length;
      Module._terrane_export_map_png();
      await api.frames(2);
      return api.downloads.length > before ? api.downloads[api.downloads.length - 1] : null;
    },
    // The same as File > New sample workspace. Resolves when the sample is the open workspace (a
    // big one is prepared in slices over several frames).
    async loadSample(accounts, reps, seed) {
      Module._terrane_load_sample(accounts, reps, seed);
      while (api.state().preparing) await api.frames(1);
    },
    // Forgets the slowest frame that state().slowest_frame reports (work and UI, by named part).
    resetFrameStats() {
      Module._terrane_reset_frame_stats();
    },
    // Resolves after the app has rendered `n` more frames (tests wait for frames, not time).
    async frames(n = 1) {
      const start = api.state().frames;
      Module._terrane_request_frames(n + 1);
      for (let i = 0; i < 2000; ++i) {
        await new Promise((r) => requestAnimationFrame(r));
        if (api.state().frames >= start + n) return api.state().frames;
        Module._terrane_request_frames(1);
      }
      throw new Error('terrane: frames did not advance');
    },
    // Hands files (File objects or {name, bytes}) to the app, one after the other; each opens the
    // mapping dialog's queue. Resolves when all were handed over.
    async importFiles(files) {
      for (const f of files) {
        const bytes = f instanceof Blob ? new Uint8Array(await f.arrayBuffer()) : new Uint8Array(f.bytes);
        api.importBytes(f.name, bytes, await api.sha256(bytes));
      }
    },
    // SHA-256 (hex) with the browser's native WebCrypto, recorded as the file's fingerprint; ""
    // where WebCrypto is not available (the import then hashes in WebAssembly).
    async sha256(bytes) {
      if (!(window.crypto && crypto.subtle)) return '';
      const d = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
      return Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('');
    },
    importBytes(name, bytes, sha256 = '') {
      const ptr = Module._terrane_file_buffer(bytes.length);
      Module.HEAPU8.set(bytes, ptr);
      const strs = [name, sha256].map((s) => {
        const len = Module.lengthBytesUTF8(s) + 1;
        const p = Module._malloc(len);
        Module.stringToUTF8(s, p, len);
        return p;
      });
      Module._terrane_file_loaded(strs[0], strs[1]);
      strs.forEach((p) => Module._free(p));
    },
    // Benchmark hook: the core import of `bytes` as accounts, run to completion in this page
    // (`sha256` as from api.sha256, or '' to hash in WebAssembly).
    benchImport(bytes, sha256 = '') {
      const ptr = Module._terrane_file_buffer(bytes.length);
      Module.HEAPU8.set(bytes, ptr);
      const len = Module.lengthBytesUTF8(sha256) + 1;
      const p = Module._malloc(len);
      Module.stringToUTF8(sha256, p, len);
      const r = JSON.parse(Module.UTF8ToString(Module._terrane_bench_import(p)));
      Module._free(p);
      Module._terrane_file_buffer(0);
      return r;
    },
    // Benchmark hook: opens Analyse > Forecast and runs it with `settings` ({as_of, period,
    // periods, trials, seed, backtest_periods}); poll state().forecast until fresh.
    runForecast(settings = {}) {
      withString(JSON.stringify(settings), (p) => Module._terrane_forecast_run(p));
    },
    openFilePicker(accept, multiple) {
      fileInput.accept = accept || '';
      fileInput.multiple = !!multiple;
      fileInput.value = '';
      fileInput.click();
    },
    downloads: [],
    _onDownload(name, bytes) {
      api.downloads.push({ name, size: bytes.length, bytes, text: () => new TextDecoder().decode(bytes) });
    },
    // Builds one HTML file with the page, the app (wasm inline) and a scenario, and downloads it.
    // A data file the wasm loads after the first frame (platform::requestAsset): inline in a
    // standalone export, else from the site (the service worker caches it).
    // One fetch per file: the gazetteer is asked for as the page starts, beside the wasm.
    fetchAsset(name) {
      if (!assets.has(name)) {
        assets.set(name, (async () => {
          const inline = document.getElementById('terrane-asset-' + name.replace(/[^a-z0-9]/gi, '-'));
          if (inline) return Uint8Array.from(atob(inline.textContent.trim()), (c) => c.charCodeAt(0));
          const res = await fetch(name);
          if (!res.ok) throw new Error('HTTP ' + res.status);
          return new Uint8Array(await res.arrayBuffer());
        })());
        assets.get(name).catch(() => assets.delete(name));
      }
      return assets.get(name);
    },
    async exportStandalone(fileName, scenarioText) {
      const text = async (f) => (await fetch(f)).text();
      const [css, page, js, wasm, counties, places] = await Promise.all([text('style.css'), text('terrane-page.js'), text('terrane.js'),
        fetch('terrane.wasm').then((r) => r.arrayBuffer()), api.fetchAsset('counties.bin'), api.fetchAsset('geo.tsv')]);
      const b64 = (bytes) => {
        let s = '';
        for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
        return btoa(s);
      };
      const scenarioB64 = b64(new TextEncoder().encode(scenarioText));
      const html = '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
        '<meta name="viewport" content="width=device-width, initial-scale=1, user-scalable=no">\n' +
        '<title>' + fileName.replace(/[<>&]/g, '') + ' - Terrane</title>\n<style>' + css + '</style>\n</head>\n<body>\n' +
        '<canvas id="canvas" tabindex="0" aria-label="Terrane planning studio"></canvas>\n' +
        '<div id="loading" role="status"><div class="brand">Terrane</div><div class="msg">Opening the plan...</div></div>\n' +
        '<div id="fatal" role="alert" hidden></div>\n<input id="file-input" type="file" hidden>\n' +
        '<script type="application/octet-stream" id="terrane-embedded-scenario">' + scenarioB64 + '</script>\n' +
        '<script type="application/octet-stream" id="terrane-asset-counties-bin">' + b64(counties) + '</script>\n' +
        '<script type="application/octet-stream" id="terrane-asset-geo-tsv">' + b64(places) + '</script>\n' +
        '<script>' + page.replace(/<\/script/gi, '<\\/script') + '</script>\n' +
        '<script>Module.wasmBinary = Uint8Array.from(atob("' + b64(new Uint8Array(wasm)) + '"), (c) => c.charCodeAt(0));</script>\n' +
        '<script>' + js.replace(/<\/script/gi, '<\\/script') + '</script>\n</body>\n</html>\n';
      const bytes = new TextEncoder().encode(html);
      const a = document.createElement('a');
      a.href = URL.createObjectURL(new Blob([bytes], { type: 'text/html' }));
      a.download = fileName;
      document.body.appendChild(a);
      a.click();
      setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
      api._onDownload(fileName, bytes);
      return fileName;
    },
    // The UI layout (theme, panels, map layers, camera) and a way to change parts of it.
    layout() {
      return JSON.parse(Module.UTF8ToString(Module._terrane_layout()));
    },
    setLayout(changes) {
      const cur = api.layout();
      const next = { ...cur, ...changes, layers: { ...cur.layers, ...(changes.layers || {}) } };
      withString(JSON.stringify(next), (p) => Module._terrane_apply_layout(p));
    },
    // Forget the autosaved workspace (File > Clear local data does the same).
    clearLocalData() {
      Module._terrane_clear_local_data();
    },
    async _ready() {
      api.ready = true;
      loading.classList.add('hidden');
      canvas.focus();
      if (embedded) {
        const bytes = Uint8Array.from(atob(embedded.textContent.trim()), (c) => c.charCodeAt(0));
        api.openScenarioText('embedded.terrane', new TextDecoder().decode(bytes));
        return;
      }
      await storage.open();
      const saved = await storage.readAll();
      if (saved.state && saved.datasets) {
        withString(saved.state, (s) => withString(saved.datasets, (d) => withString(saved.ui || '{}', (u) => Module._terrane_restore(s, d, u))));
        api.restored = true;
      }
      // Autosave starts once the saved workspace (if any) is back.
      storage.available = !!storage.db;
      Module._terrane_request_frames(2);
    },
    _fatal: showFatal,
    _setUnsaved(unsaved) {
      leaving.unsaved = unsaved;
      leaving.update();
    },
  };
  window.terrane = api;
  // The gazetteer (geo.tsv) is not in the wasm: it downloads beside it, and the app starts when
  // both are there (src/platform/web_main.cpp).
  api.fetchAsset('geo.tsv').catch(() => {});

  window.addEventListener('error', (e) => errors.push(String(e.message || e)));
  // Offline: the service worker keeps the site cached after the first visit.
  if (!embedded && 'serviceWorker' in navigator && location.protocol.startsWith('http')) {
    navigator.serviceWorker.register('sw.js').catch((e) => console.warn('offline cache unavailable: ' + e));
  }
  window.addEventListener('unhandledrejection', (e) => errors.push(String(e.reason)));
  window.addEventListener('paste', (e) => {
    const text = e.clipboardData ? e.clipboardData.getData('text/plain') : '';
    if (!api.ready || !text) return;
    const len = Module.lengthBytesUTF8(text) + 1;
    const ptr = Module._malloc(len);
    Module.stringToUTF8(text, ptr, len);
    Module._terrane_paste(ptr);
    Module._free(ptr);
  });
  canvas.addEventListener('contextmenu', (e) => e.preventDefault());

  // Files: the picker (File > Import...) and drag-and-drop of one or several files anywhere.
  fileInput.addEventListener('change', () => {
    if (api.ready && fileInput.files && fileInput.files.length) api.importFiles(Array.from(fileInput.files)).catch((e) => errors.push(String(e)));
  });
  const dropHint = document.getElementById('drop-hint');
  let dragDepth = 0;
  const hasFiles = (e) => e.dataTransfer && Array.from(e.dataTransfer.types || []).includes('Files');
  window.addEventListener('dragenter', (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    ++dragDepth;
    if (dropHint) dropHint.hidden = false;
  });
  window.addEventListener('dragover', (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  });
  window.addEventListener('dragleave', () => {
    if (--dragDepth <= 0 && dropHint) { dragDepth = 0; dropHint.hidden = true; }
  });
  window.addEventListener('drop', (e) => {
    e.preventDefault();
    dragDepth = 0;
    if (dropHint) dropHint.hidden = true;
    const files = e.dataTransfer ? Array.from(e.dataTransfer.files || []) : [];
    if (api.ready && files.length) api.importFiles(files).catch((err) => errors.push(String(err)));
  });

  window.Module = {
    canvas,
    print: (t) => console.log(t),
    printErr: (t) => console.warn(t),
    onAbort: (what) => showFatal('Terrane stopped unexpectedly: ' + what),
  };
})();
