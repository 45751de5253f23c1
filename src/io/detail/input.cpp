#include "io/detail/input.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <new>
#include <string>

#include "io/detail/support.hpp"

namespace lle::io::detail {
namespace {

/// Raw bytes read from a file at a time.
constexpr std::size_t file_buffer_size = std::size_t{1} << 18;

/// zlib counts in `unsigned int`: hand it at most 1 GiB at a time.
constexpr std::size_t zlib_chunk = std::size_t{1} << 30;

/// Window bits for inflateInit2: a 32 KiB window (15), gzip wrapper only (+16).
constexpr int gzip_window_bits = 15 + 16;

bool starts_gzip(std::string_view bytes) {
    return bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f &&
           static_cast<unsigned char>(bytes[1]) == 0x8b;
}

}  // namespace

Input::Input(const std::filesystem::path& path, Compression compression)
    : name_(path), compression_(compression), buffer_(file_buffer_size) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) {
        fail(name_, "cannot open (" + describe_errno(errno) + ")");
    }
    struct stat info {};
    if (::fstat(fd_, &info) != 0) {
        const int error = errno;
        ::close(fd_);
        fail(name_, "cannot read (" + describe_errno(error) + ")");
    }
    if (S_ISDIR(info.st_mode)) {
        ::close(fd_);
        fail(name_, "cannot read (" + describe_errno(EISDIR) + ")");
    }
    if (S_ISREG(info.st_mode)) {
        stored_size_ = static_cast<std::uint64_t>(info.st_size);
    }
}

Input::Input(const MemoryFile& file, Compression compression)
    : name_(file.name),
      compression_(compression),
      pending_(file.contents),
      stored_size_(file.contents.size()) {}

Input::~Input() {
    if (gzip_) {
        inflateEnd(&stream_);
    }
    if (fd_ >= 0) {
        ::close(fd_);
    }
}

std::size_t Input::read_file(unsigned char* out, std::size_t size) {
    while (true) {
        const ::ssize_t got = ::read(fd_, out, size);
        if (got >= 0) {
            return static_cast<std::size_t>(got);
        }
        if (errno != EINTR) {
            fail(name_, "cannot read (" + describe_errno(errno) + ")");
        }
    }
}

bool Input::refill() {
    if (!pending_.empty()) {
        return true;
    }
    return ensure_pending(1);
}

bool Input::ensure_pending(std::size_t count) {
    if (pending_.size() >= count) {
        return true;
    }
    if (fd_ < 0) {
        return false;  // a MemoryFile's bytes are all pending from the start
    }
    // Keep what is left at the front of the buffer and append to it.
    auto* data = buffer_.data();
    const std::size_t kept = pending_.size();
    if (kept > 0) {  // an empty view's data() may be null, which memmove must not get
        std::memmove(data, pending_.data(), kept);
    }
    std::size_t filled = kept;
    while (filled < count) {
        const std::size_t got = read_file(data + filled, buffer_.size() - filled);
        if (got == 0) {
            break;
        }
        filled += got;
    }
    pending_ = std::string_view(reinterpret_cast<const char*>(data), filled);
    return filled >= count;
}

void Input::start() {
    started_ = true;
    if (compression_ != Compression::gzip || !ensure_pending(2) || !starts_gzip(pending_)) {
        return;
    }
    const int code = inflateInit2(&stream_, gzip_window_bits);
    if (code == Z_MEM_ERROR) {
        throw std::bad_alloc();
    }
    if (code != Z_OK) {
        fail_gzip(stream_.msg != nullptr ? stream_.msg : "cannot start decompression");
    }
    gzip_ = true;
}

std::size_t Input::read(void* buffer, std::size_t size) {
    if (!started_) {
        start();
    }
    auto* out = static_cast<unsigned char*>(buffer);
    return gzip_ ? read_gzip(out, size) : read_stored(out, size);
}

std::size_t Input::read_stored(unsigned char* out, std::size_t size) {
    std::size_t total = 0;
    while (total < size) {
        if (pending_.empty() && fd_ >= 0 && size - total >= buffer_.size()) {
            // A large request with nothing pending goes straight from the file.
            const std::size_t got = read_file(out + total, size - total);
            if (got == 0) {
                break;
            }
            total += got;
            continue;
        }
        if (!refill()) {
            break;
        }
        const std::size_t count = std::min(size - total, pending_.size());
        std::memcpy(out + total, pending_.data(), count);
        pending_.remove_prefix(count);
        total += count;
    }
    return total;
}

std::size_t Input::read_gzip(unsigned char* out, std::size_t size) {
    std::size_t total = 0;
    while (total < size && !gzip_done_) {
        if (!refill()) {
            fail_gzip("unexpected end of file");
        }
        const std::size_t in_size = std::min(pending_.size(), zlib_chunk);
        const std::size_t out_size = std::min(size - total, zlib_chunk);
        stream_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(pending_.data()));
        stream_.avail_in = static_cast<uInt>(in_size);
        stream_.next_out = out + total;
        stream_.avail_out = static_cast<uInt>(out_size);
        const int code = inflate(&stream_, Z_NO_FLUSH);
        const std::size_t consumed = in_size - stream_.avail_in;
        const std::size_t produced = out_size - stream_.avail_out;
        pending_.remove_prefix(consumed);
        total += produced;
        if (code == Z_STREAM_END) {
            // Another member may follow; anything else after the last one is ignored.
            if (ensure_pending(2) && starts_gzip(pending_)) {
                inflateReset(&stream_);
            } else {
                gzip_done_ = true;
            }
        } else if (code == Z_MEM_ERROR) {
            throw std::bad_alloc();
        } else if (code == Z_BUF_ERROR && consumed == 0 && produced == 0) {
            fail_gzip("unexpected end of file");
        } else if (code != Z_OK && code != Z_BUF_ERROR) {
            fail_gzip(stream_.msg != nullptr ? stream_.msg : "invalid data");
        }
    }
    return total;
}

std::uint64_t Input::skip(std::uint64_t count) {
    if (!started_) {
        start();
    }
    std::uint64_t skipped = 0;
    if (!gzip_) {
        const auto from_pending =
            static_cast<std::size_t>(std::min<std::uint64_t>(count, pending_.size()));
        pending_.remove_prefix(from_pending);
        skipped = from_pending;
        if (fd_ >= 0 && skipped < count && stored_size_) {
            // A regular file: seek, but not past its end.
            const ::off_t position = ::lseek(fd_, 0, SEEK_CUR);
            if (position >= 0) {
                const std::uint64_t left =
                    *stored_size_ - std::min(*stored_size_, static_cast<std::uint64_t>(position));
                const std::uint64_t step = std::min(count - skipped, left);
                if (::lseek(fd_, static_cast<::off_t>(step), SEEK_CUR) >= 0) {
                    skipped += step;
                    return skipped;
                }
            }
        }
    }
    // Compressed data, or a file that cannot seek: read and drop.
    unsigned char scratch[1 << 14];
    while (skipped < count) {
        const auto want =
            static_cast<std::size_t>(std::min<std::uint64_t>(count - skipped, sizeof(scratch)));
        const std::size_t got = read(scratch, want);
        skipped += got;
        if (got < want) {
            break;
        }
    }
    return skipped;
}

void Input::fail_gzip(const char* reason) const {
    fail(name_, std::string("corrupt or truncated gzip data (") + reason + ")");
}

}  // namespace lle::io::detail
