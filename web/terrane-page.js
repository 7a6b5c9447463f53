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
    openFilePicker(accept, multiple) {
      fileInput.accept = accept || '';
      fileInput.multiple = !!multiple;
      fileInput.value = '';
      fileInput.click();
    },
    downloads: [],
    _onDownload(name, bytes) {
      api.downloads.push({ name, size: bytes.length, text: () => new TextDecoder().decode(bytes) });
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
