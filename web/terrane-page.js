// Page glue between the browser and the wasm app: the window.terrane API (also the test hook),
// file picking, drag-and-drop, paste. Loaded before terrane.js (the Emscripten output).
'use strict';
(function () {
  const canvas = document.getElementById('canvas');
  const loading = document.getElementById('loading');
  const fatal = document.getElementById('fatal');
  const fileInput = document.getElementById('file-input');
  const errors = [];

  function showFatal(msg) {
    loading.classList.add('hidden');
    fatal.textContent = msg;
    fatal.hidden = false;
  }

  const api = {
    ready: false,
    errors,
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
      const withName = (s, fn) => {
        const len = Module.lengthBytesUTF8(s) + 1;
        const p = Module._malloc(len);
        Module.stringToUTF8(s, p, len);
        try { return fn(p); } finally { Module._free(p); }
      };
      return withName(name, (np) => withName(text, (tp) => Module._terrane_open_scenario_text(np, tp))) === 1;
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
    // The same as File > New sample workspace.
    loadSample(accounts, reps, seed) {
      Module._terrane_load_sample(accounts, reps, seed);
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
    _ready() {
      api.ready = true;
      loading.classList.add('hidden');
      canvas.focus();
    },
    _fatal: showFatal,
  };
  window.terrane = api;

  window.addEventListener('error', (e) => errors.push(String(e.message || e)));
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

  window.Module = {
    canvas,
    print: (t) => console.log(t),
    printErr: (t) => console.warn(t),
    onAbort: (what) => showFatal('Terrane stopped unexpectedly: ' + what),
  };
})();
