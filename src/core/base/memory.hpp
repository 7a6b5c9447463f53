// Large buffers: a hint that lets the operating system back them with huge pages, so filling a
// few hundred megabytes of columns does not take one page fault per 4 KB.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace terrane {

// Hints that [p, p + bytes) is about to be written in full. On Linux, regions of 1 MB and more
// are faulted in at once, and those of 4 MB and more are advised for transparent huge pages;
// elsewhere (and in WebAssembly) nothing happens.
void adviseHugePages(const void* p, std::size_t bytes);

// While one of these is alive on a thread, adviseHugePages on that thread only notes the regions
// to fault in; launch() then faults them in on a second thread (native Linux builds), from the
// end of each region backwards, while this thread starts filling them from the front. Faulting in
// is only a hint: it never changes memory, so a region freed meanwhile costs nothing but time.
// The destructor stops and joins the thread. Where there are no threads, launch() faults the
// regions in on this thread, as adviseHugePages would have.
class DeferredPopulate {
  public:
    DeferredPopulate();
    ~DeferredPopulate();
    DeferredPopulate(const DeferredPopulate&) = delete;
    DeferredPopulate& operator=(const DeferredPopulate&) = delete;
    void launch();
    void stop(); // waits for the thread (or cuts it short) and stops noting regions

    struct State;

  private:
    std::unique_ptr<State> m_s;
};

// v.reserve(n) plus the hint for the new, still untouched storage.
template <class T, class A> void reserveLarge(std::vector<T, A>& v, std::size_t n) {
    if (n <= v.capacity()) return;
    v.reserve(n);
    adviseHugePages(v.data() + v.size(), (v.capacity() - v.size()) * sizeof(T));
}

inline void reserveLarge(std::string& s, std::size_t n) {
    if (n <= s.capacity()) return;
    s.reserve(n);
    adviseHugePages(s.data() + s.size(), s.capacity() - s.size());
}

} // namespace terrane
