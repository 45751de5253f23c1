#pragma once

/// \file
/// The library prints nothing; it reports progress and remarks through a sink the caller gives.

#include <functional>
#include <string_view>

namespace lle {

enum class LogLevel { debug, info, warning };

/// Receives one message at a time. An empty sink discards everything.
using LogSink = std::function<void(LogLevel, std::string_view)>;

inline void log(const LogSink& sink, LogLevel level, std::string_view message) {
    if (sink) {
        sink(level, message);
    }
}

}  // namespace lle
