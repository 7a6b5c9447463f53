// A handle on a job in the app's queue (App::startJob) that cannot dangle: the queue owns the
// job, and the handle empties by itself once the job has finished and its completion callback
// returned (or the job was dropped). Panels keep these instead of raw pointers.
#pragma once

#include "core/base/job.hpp"

#include <memory>

namespace terrane {

template <class T> class JobHandle {
  public:
    JobHandle() = default;
    JobHandle(const std::shared_ptr<T>& job) : m_job(job) {}
    // The job while it is queued or running, else nullptr.
    T* get() const { return m_job.lock().get(); }
    T* operator->() const { return get(); }
    explicit operator bool() const { return !m_job.expired(); }
    // True when this handle holds `job` (a completion callback telling its own job from a newer one).
    bool holds(const Job& job) const { return get() == &job; }
    void reset() { m_job.reset(); }

  private:
    std::weak_ptr<T> m_job;
};

} // namespace terrane
