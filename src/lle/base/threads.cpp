#include "lle/base/threads.hpp"

#include <omp.h>

#include <string>

#include "lle/base/error.hpp"

extern "C" void openblas_set_num_threads(int num_threads);

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

}  // namespace lle
