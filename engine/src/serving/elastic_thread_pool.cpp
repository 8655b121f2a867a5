#include "serving/elastic_thread_pool.hpp"

#include <algorithm>

namespace stepwise::serving {

ElasticThreadPool::ElasticThreadPool(std::size_t minThreads, std::size_t maxThreads,
                                     std::chrono::milliseconds idleTime)
    : m_minThreads(std::max<std::size_t>(1, minThreads)),
      m_maxThreads(std::max(std::max<std::size_t>(1, minThreads), maxThreads)),
      m_idleTime(idleTime)
{
    const std::lock_guard lock(m_mutex);
    while (m_alive < m_minThreads)
        startWorkerLocked();
}

ElasticThreadPool::~ElasticThreadPool() { shutdown(); }

void ElasticThreadPool::startWorkerLocked()
{
    ++m_alive;
    ++m_idle;  // counted idle until it takes a task, so two enqueues do not start two
    m_threads.emplace_back([this] { work(); });
}

void ElasticThreadPool::joinFinishedLocked()
{
    for (const std::thread::id id : m_finished) {
        const auto thread = std::find_if(m_threads.begin(), m_threads.end(),
                                         [id](const std::thread& t) { return t.get_id() == id; });
        if (thread != m_threads.end()) {
            thread->join();
            m_threads.erase(thread);
        }
    }
    m_finished.clear();
}

void ElasticThreadPool::enqueue(std::function<void()> task)
{
    {
        const std::lock_guard lock(m_mutex);
        joinFinishedLocked();
        m_tasks.push_back(std::move(task));
        if (m_idle < m_tasks.size() && m_alive < m_maxThreads)
            startWorkerLocked();
    }
    m_wake.notify_one();
}

void ElasticThreadPool::shutdown()
{
    std::list<std::thread> threads;
    {
        const std::lock_guard lock(m_mutex);
        m_shutdown = true;
        threads.swap(m_threads);
        m_finished.clear();
    }
    m_wake.notify_all();
    for (std::thread& thread : threads)
        if (thread.joinable())
            thread.join();
}

std::size_t ElasticThreadPool::threadCount() const
{
    const std::lock_guard lock(m_mutex);
    return m_alive;
}

void ElasticThreadPool::work()
{
    std::unique_lock lock(m_mutex);
    for (;;) {
        const bool woken = m_wake.wait_for(lock, m_idleTime, [this] { return !m_tasks.empty() || m_shutdown; });
        if (!woken) {
            if (m_alive > m_minThreads) {
                --m_alive;
                --m_idle;
                m_finished.push_back(std::this_thread::get_id());
                return;
            }
            continue;
        }
        if (m_tasks.empty())  // shut down with nothing left to run
            break;
        std::function<void()> task = std::move(m_tasks.front());
        m_tasks.pop_front();
        --m_idle;
        lock.unlock();
        task();
        task = nullptr;  // the connection's captures go before the worker waits again
        lock.lock();
        ++m_idle;
    }
    --m_alive;
    --m_idle;
}

} // namespace stepwise::serving
