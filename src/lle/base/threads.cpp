#include "lle/base/threads.hpp"

#include <omp.h>

#if __has_include(<malloc.h>)
#include <malloc.h>
#endif

#include <algorithm>
#include <string>

#include "lle/base/error.hpp"

extern "C" void openblas_set_num_threads(int num_threads);
extern "C" int openblas_get_num_threads(void);
// OpenBLAS's pthreads build exports this for its fork handler, to stop its worker threads; with
// another BLAS the weak symbol stays null.
extern "C" void blas_thread_shutdown_(void) __attribute__((weak));

namespace lle {

void set_thread_count(int count) {
    if (count <= 0) {
        return;
    }
    require_parameter(count <= max_thread_count, "threads",
                      "at most " + std::to_string(max_thread_count), std::to_string(count));
    omp_set_num_threads(count);
    openblas_set_num_threads(count);
}

int thread_count() {
    return omp_get_max_threads();
}

FewerThreads::FewerThreads(int count) : saved_(omp_get_max_threads()) {
    omp_set_num_threads(std::max(1, saved_ - count));
}

FewerThreads::~FewerThreads() {
    omp_set_num_threads(saved_);
}

void release_freed_memory() {
#ifdef __GLIBC__
    malloc_trim(0);
#endif
}

SerialBlas::SerialBlas() : saved_(openblas_get_num_threads()) {
    openblas_set_num_threads(1);
}

SerialBlas::~SerialBlas() {
    openblas_set_num_threads(saved_);
}

void stop_idle_blas_threads() {
    if (blas_thread_shutdown_ != nullptr) {
        blas_thread_shutdown_();
    }
}

}  // namespace lle
