// What core may know about the machine it runs on, kept in this one place (core includes no
// platform header): whether it may start threads. The page's WebAssembly build has none (no
// -pthread, no SharedArrayBuffer); native builds (the CLI, tests, benchmarks) use them to hash a
// file while reading it, to read large files' rows in parallel and to fault memory in early.
#pragma once

#if defined(__EMSCRIPTEN__)
#define TERRANE_HAS_THREADS 0
#else
#define TERRANE_HAS_THREADS 1
#endif
