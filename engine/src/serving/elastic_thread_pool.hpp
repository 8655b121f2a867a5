#pragma once
/// \file
/// \brief The prediction server's worker pool (private): cpp-httplib hands it one task
/// per accepted connection, and each task holds its thread until the connection closes.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <list>
#include <mutex>
#include <thread>

#include <httplib.h>

namespace stepwise::serving {

/// \brief A pool that keeps `minThreads` workers and starts more, up to `maxThreads`,
/// when every worker is busy; a worker above the minimum leaves after `idleTime`
/// without work. A fixed pool lets a few dozen slow clients occupy every worker while
/// the connections behind them wait; a pool with no cap lets them start threads
/// without end. Tasks past the cap wait in order for a free worker.
class ElasticThreadPool final : public httplib::TaskQueue {
public:
    /// \brief Starts `minThreads` workers (`1 <= minThreads <= maxThreads`).
    ElasticThreadPool(std::size_t minThreads, std::size_t maxThreads,
                      std::chrono::milliseconds idleTime = std::chrono::seconds(30));
    /// \brief Joins every worker (call `shutdown` first to finish queued tasks).
    ~ElasticThreadPool() override;
    ElasticThreadPool(const ElasticThreadPool&) = delete;
    ElasticThreadPool& operator=(const ElasticThreadPool&) = delete;

    /// \brief Queues `task`; starts a worker when none is idle and the cap allows.
    void enqueue(std::function<void()> task) override;
    /// \brief Runs every queued task, then joins every worker.
    void shutdown() override;

    /// \brief Workers alive now.
    std::size_t threadCount() const;

private:
    void work();
    void startWorkerLocked();
    void joinFinishedLocked();

    const std::size_t m_minThreads;
    const std::size_t m_maxThreads;
    const std::chrono::milliseconds m_idleTime;

    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<std::function<void()>> m_tasks;
    std::list<std::thread> m_threads;
    // Workers that left while the pool runs, joined by the next enqueue or shutdown.
    std::list<std::thread::id> m_finished;
    std::size_t m_alive = 0;
    std::size_t m_idle = 0;
    bool m_shutdown = false;
};

} // namespace stepwise::serving
