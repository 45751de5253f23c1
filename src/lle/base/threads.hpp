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

}  // namespace lle
