#include "core/base/memory.hpp"
#include "core/base/platform.hpp"

#include <cstdint>
#include <exception>
#include <utility>

#if defined(__linux__)
#include <sys/mman.h>
#endif
#if TERRANE_HAS_THREADS
#define TERRANE_POPULATE_THREAD 1
#include <atomic>
#include <thread>
#endif

namespace terrane {

struct DeferredPopulate::State {
    std::vector<std::pair<std::uintptr_t, std::size_t>> regions; // page-aligned start, bytes
    bool collecting = true;
#ifdef TERRANE_POPULATE_THREAD
    std::thread worker;
    std::atomic<bool> cancel{false};
#endif
};

namespace {
thread_local DeferredPopulate::State* t_collector = nullptr;

void populate([[maybe_unused]] std::uintptr_t begin, [[maybe_unused]] std::size_t bytes) {
#if defined(__linux__) && defined(MADV_POPULATE_WRITE)
    // Fault the region in with one call (Linux 5.14+; older kernels refuse it and pages fault in
    // as they are written): what huge pages do not cover otherwise takes a fault per 4 KB, and
    // faults are dear in virtual machines.
    if (bytes) madvise(reinterpret_cast<void*>(begin), bytes, MADV_POPULATE_WRITE);
#endif
}

// Faults the regions in by slices of their length, the last slice of every region first.
void populateBackwards(const std::vector<std::pair<std::uintptr_t, std::size_t>>& regions, const std::atomic<bool>* cancel) {
    constexpr int kSlices = 64;
    constexpr std::uintptr_t kPage = 4096;
    for (int s = kSlices; s > 0; --s) {
        for (const auto& [begin, bytes] : regions) {
            if (cancel && cancel->load(std::memory_order_relaxed)) return;
            const auto lo = (begin + bytes / kSlices * (s - 1)) & ~(kPage - 1);
            const auto hi = s == kSlices ? begin + bytes : (begin + bytes / kSlices * s) & ~(kPage - 1);
            if (hi > lo) populate(lo, hi - lo);
        }
    }
}
} // namespace

DeferredPopulate::DeferredPopulate() : m_s(std::make_unique<State>()) {
    if (!t_collector) t_collector = m_s.get();
    else m_s->collecting = false; // an outer one is collecting already
}

DeferredPopulate::~DeferredPopulate() { stop(); }

void DeferredPopulate::launch() {
    if (t_collector == m_s.get()) t_collector = nullptr;
    if (!m_s->collecting) return;
    m_s->collecting = false;
    if (m_s->regions.empty()) return;
#ifdef TERRANE_POPULATE_THREAD
    try {
        m_s->worker = std::thread([s = m_s.get()] { populateBackwards(s->regions, &s->cancel); });
        return;
    } catch (const std::exception&) {
    }
#endif
    populateBackwards(m_s->regions, nullptr);
}

void DeferredPopulate::stop() {
    if (t_collector == m_s.get()) t_collector = nullptr;
    m_s->collecting = false;
#ifdef TERRANE_POPULATE_THREAD
    if (m_s->worker.joinable()) {
        m_s->cancel = true;
        m_s->worker.join();
    }
#endif
}

void adviseHugePages([[maybe_unused]] const void* p, [[maybe_unused]] std::size_t bytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    if (!p || bytes < (std::size_t{1} << 20)) return;
    constexpr std::uintptr_t kPage = 4096;
    const auto begin = (reinterpret_cast<std::uintptr_t>(p) + kPage - 1) & ~(kPage - 1);
    const auto end = (reinterpret_cast<std::uintptr_t>(p) + bytes) & ~(kPage - 1);
    if (end <= begin) return;
    if (bytes >= (std::size_t{4} << 20)) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
    if (t_collector) t_collector->regions.emplace_back(begin, end - begin);
    else populate(begin, end - begin);
#endif
}

} // namespace terrane
