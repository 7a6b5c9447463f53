// The product version, set by CMake from project(VERSION).
#pragma once

#ifndef TERRANE_VERSION
#define TERRANE_VERSION "0.0.0-dev"
#endif

namespace terrane {
inline constexpr const char* kVersion = TERRANE_VERSION;
}
