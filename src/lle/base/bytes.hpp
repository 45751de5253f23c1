#pragma once

/// \file
/// Sizes in memory as people read them.

#include <cstdio>
#include <iterator>
#include <string>

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

}  // namespace lle
