#include "lle/base/threads.hpp"

#include <omp.h>

extern "C" void openblas_set_num_threads(int num_threads);

namespace lle {

void set_thread_count(int count) {
    if (count <= 0) {
        return;
    }
    omp_set_num_threads(count);
    openblas_set_num_threads(count);
}

int thread_count() {
    return omp_get_max_threads();
}

}  // namespace lle
