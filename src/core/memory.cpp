#include "core/memory.hpp"

#include <cstdint>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace terrane {

void adviseHugePages(const void* p, std::size_t bytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    if (!p || bytes < (std::size_t{1} << 20)) return;
    constexpr std::uintptr_t kPage = 4096;
    const auto begin = (reinterpret_cast<std::uintptr_t>(p) + kPage - 1) & ~(kPage - 1);
    const auto end = (reinterpret_cast<std::uintptr_t>(p) + bytes) & ~(kPage - 1);
    if (end <= begin) return;
    if (bytes >= (std::size_t{4} << 20)) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
#if defined(MADV_POPULATE_WRITE)
    // Fault the region in with one call (Linux 5.14+; older kernels refuse it and pages fault in
    // as they are written): what huge pages do not cover otherwise takes a fault per 4 KB, and
    // faults are dear in virtual machines.
    madvise(reinterpret_cast<void*>(begin), end - begin, MADV_POPULATE_WRITE);
#endif
#else
    (void)p;
    (void)bytes;
#endif
}

} // namespace terrane
