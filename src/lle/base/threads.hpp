#pragma once

/// \file
/// One place that sets how many threads the library's parallel loops and BLAS may use.

namespace lle {

/// Sets the thread count for OpenMP loops and for OpenBLAS. `count <= 0` leaves the defaults
/// (all cores) in place.
void set_thread_count(int count);

/// The number of threads OpenMP loops will use.
int thread_count();

}  // namespace lle
