#pragma once

/// \file
/// One place that sets how many threads the library's parallel loops and BLAS may use.

namespace lle {

/// Most threads a caller may ask for: far above any core count, far below what would
/// exhaust the process (each thread reserves its stack).
inline constexpr int max_thread_count = 1024;

/// Sets the thread count for OpenMP loops and for OpenBLAS. `count <= 0` leaves the defaults
/// (all cores) in place. Throws ParameterError above max_thread_count.
void set_thread_count(int count);

/// The number of threads OpenMP loops will use.
int thread_count();

/// Runs the calling thread's OpenMP loops on `count` fewer threads (at least one) while alive,
/// then restores their count: for loops that share the cores with work on a thread of its own.
class FewerThreads {
  public:
    explicit FewerThreads(int count);
    ~FewerThreads();
    FewerThreads(const FewerThreads&) = delete;
    FewerThreads& operator=(const FewerThreads&) = delete;

  private:
    int saved_;
};

/// Returns the freed pages of every thread's heap to the system (glibc's `malloc_trim`; nothing
/// with another C library). A thread other than the main one allocates from an arena of its
/// own, and what it frees there stays in the process, out of the other threads' reach: the LU's
/// analysis on a thread of its own left about 6 MiB so at 100,000 points, which the
/// factorisation after it then took anew (a peak of 208.7 MiB against 201.0 MiB with the pages
/// returned).
void release_freed_memory();

/// Keeps OpenBLAS on one thread while alive, then restores its thread count.
class SerialBlas {
  public:
    SerialBlas();
    ~SerialBlas();
    SerialBlas(const SerialBlas&) = delete;
    SerialBlas& operator=(const SerialBlas&) = delete;

  private:
    int saved_;
};

/// Stops OpenBLAS's worker threads until its next threaded call, which starts them again.
/// OpenBLAS starts them as it loads, and each spins, yielding, for about 2^28 cycles (0.1 s)
/// before it sleeps, there and after every threaded call. On 2 cores the spinning thread took
/// a core from the OpenMP loops of a run's first phase: the neighbour search of 100,000 points
/// took 0.10-0.11 s in 9 runs of 10 against 0.07 s with the threads stopped. For a program's
/// start, before any BLAS work: it must not run while another thread of the process may be in
/// a BLAS call (a Python session's NumPy shares the library). Does nothing with another BLAS.
void stop_idle_blas_threads();

}  // namespace lle
