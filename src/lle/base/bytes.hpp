#pragma once

/// \file
/// Sizes in memory as people read them.

#include <cstdio>
#include <iterator>
#include <string>

#include "lle/base/error.hpp"

namespace lle {

/// `bytes` in the binary unit that suits it, e.g. "3.2 GiB", "512.0 MiB", "17 B".
inline std::string format_bytes(double bytes) {
    const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    std::size_t unit = 0;
    while (bytes >= 1024.0 && unit + 1 < std::size(units)) {
        bytes /= 1024.0;
        ++unit;
    }
    char text[32];
    std::snprintf(text, sizeof(text), unit == 0 ? "%.0f %s" : "%.1f %s", bytes, units[unit]);
    return text;
}

/// Throws ResourceError, naming `what`, when `bytes` exceed `limit` (0: no limit): the check
/// each stage makes before a large allocation, against the share of the memory limit left for
/// it. The message gives both sizes and the shortfall (the two may round alike).
inline void require_bytes_fit(const std::string& what, double bytes, double limit) {
    if (limit > 0.0 && bytes > limit) {
        throw ResourceError("not enough memory: " + what + " would take about " +
                            format_bytes(bytes) + ", " + format_bytes(bytes - limit) +
                            " more than the " + format_bytes(limit) +
                            " left for it; use fewer points or neighbours, or raise the limit "
                            "(memory_limit, --memory-limit) by at least that if the machine "
                            "has more");
    }
}

}  // namespace lle
