#include "cli/system.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <string>

namespace lle::cli {
namespace {

/// The number in a one-value control-group file; 0 when missing or "max".
double read_cgroup_value(const char* path) {
    std::ifstream file(path);
    std::string value;
    if (!(file >> value) || value == "max") {
        return 0.0;
    }
    try {
        return std::stod(value);
    } catch (const std::exception&) {
        return 0.0;
    }
}

/// A size line of /proc/self/status ("VmRSS:   1234 kB") in bytes; 0 when it cannot be read.
double process_status_bytes(const std::string& key) {
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);) {
        if (line.rfind(key, 0) == 0) {
            return std::strtod(line.c_str() + key.size(), nullptr) * 1024.0;  // kB
        }
    }
    return 0.0;
}

}  // namespace

double available_memory_bytes() {
    double available = 0.0;
    std::ifstream meminfo("/proc/meminfo");
    const std::string key = "MemAvailable:";
    for (std::string line; std::getline(meminfo, line);) {
        if (line.rfind(key, 0) == 0) {
            available = std::strtod(line.c_str() + key.size(), nullptr) * 1024.0;  // kB
            break;
        }
    }
    const double limit = read_cgroup_value("/sys/fs/cgroup/memory.max");
    if (limit > 0.0) {
        const double room =
            std::max(0.0, limit - read_cgroup_value("/sys/fs/cgroup/memory.current"));
        available = available > 0.0 ? std::min(available, room) : room;
    }
    return available;
}

double resident_bytes() {
    return process_status_bytes("VmRSS:");
}

double peak_resident_bytes() {
    // VmHWM is the high-water mark of this program's own address space, which exec replaces.
    // ru_maxrss also keeps the peak of what the process ran before exec: Linux carries it over,
    // so a small run started by a large Python process would report the Python's peak.
    const double peak = process_status_bytes("VmHWM:");
    if (peak > 0.0) {
        return peak;
    }
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) * 1024.0;  // Linux reports KiB
}

}  // namespace lle::cli
