// Long work that runs in slices, so the page never freezes: the app calls step() once a frame
// with a time budget and shows progress() with a cancel button. The CLI runs it to completion.
#pragma once

#include <chrono>
#include <string>

namespace terrane {

class Job {
  public:
    virtual ~Job() = default;
    virtual std::string title() const = 0;
    // Works for about `budgetMs` milliseconds; returns true when finished (or cancelled).
    virtual bool step(double budgetMs) = 0;
    // 0..1; for display.
    virtual double progress() const = 0;
    // One line about where the job is ("Parsing rows: 120,000 of 1,000,000").
    virtual std::string detail() const { return {}; }
    // The share of each frame the job may take, in ms: short for work that runs beside editing
    // (imports, checks), longer for work the user waits on with a progress bar (optimising), so
    // the job is not starved when drawing a frame is slow. The UI stays interactive either way.
    virtual double sliceMs() const { return 10.0; }
    void cancel() { m_cancelled = true; }
    bool cancelled() const { return m_cancelled; }

  protected:
    bool m_cancelled = false;
};

// Milliseconds elapsed since construction, for slicing loops.
class Stopwatch {
  public:
    Stopwatch() : m_start(std::chrono::steady_clock::now()) {}
    double ms() const {
        return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - m_start).count();
    }

  private:
    std::chrono::steady_clock::time_point m_start;
};

// Runs a job to the end (CLI and tests).
inline void runToCompletion(Job& job) {
    while (!job.step(1e9)) {
    }
}

} // namespace terrane
