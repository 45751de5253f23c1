#pragma once

/// \file
/// What the command reads off the machine it runs on: free memory and its own peak use.

namespace lle::cli {

/// Bytes this process may still allocate: the kernel's estimate of available memory
/// (`MemAvailable` in /proc/meminfo), lowered to the room left under the control group's limit
/// when one is set (cgroup v2 `memory.max` less `memory.current`). 0 when neither can be read.
double available_memory_bytes();

/// The process's resident set size now, in bytes (`VmRSS` in /proc/self/status); 0 when it
/// cannot be read.
double resident_bytes();

/// This program's peak resident set size so far, in bytes: `VmHWM` in /proc/self/status, which
/// starts afresh at exec, or where that cannot be read getrusage's `ru_maxrss`, which on Linux
/// also counts the peak of whatever the process ran before exec (e.g. the parent that forked
/// it).
double peak_resident_bytes();

}  // namespace lle::cli
