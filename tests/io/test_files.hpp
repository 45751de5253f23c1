#pragma once

/// \file
/// Scratch files for the io tests: a per-test temporary folder, raw file writing, a minimal
/// gzip encoder, and (from support/errors.hpp) the message of an expected exception.

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <string_view>
#include <utility>

#include "support/errors.hpp"

namespace lle::io::testing {

/// A fresh folder under the system's temporary directory, removed with its contents at the end
/// of the test.
class TempDirTest : public ::testing::Test {
  protected:
    void SetUp() override {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        std::random_device random;
        dir_ = std::filesystem::temp_directory_path() /
               (std::string("lle-io-") + info->test_suite_name() + "-" + info->name() + "-" +
                std::to_string(::getpid()) + "-" + std::to_string(random()));
        std::filesystem::create_directories(dir_);
    }

    void TearDown() override {
        std::error_code ignored;
        std::filesystem::remove_all(dir_, ignored);
    }

    /// Writes `bytes` verbatim to `name` in the folder and returns its path.
    std::filesystem::path write(const std::string& name, std::string_view bytes) const {
        const auto path = dir_ / name;
        std::ofstream out(path, std::ios::binary);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        EXPECT_TRUE(out.good()) << "cannot write " << path;
        return path;
    }

    static std::string read(const std::filesystem::path& path) {
        std::ifstream in(path, std::ios::binary);
        return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    }

    std::filesystem::path dir_;
};

/// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320) as the gzip trailer needs it.
inline std::uint32_t crc32(std::string_view bytes) {
    std::uint32_t crc = 0xFFFFFFFFU;
    for (const char c : bytes) {
        crc ^= static_cast<unsigned char>(c);
        for (int bit = 0; bit < 8; ++bit) {
            crc = (crc >> 1) ^ (0xEDB88320U & (0U - (crc & 1U)));
        }
    }
    return ~crc;
}

/// `bytes` as a gzip file (RFC 1952) whose deflate stream (RFC 1951) is made of stored,
/// uncompressed blocks: enough for a reader, and independent of the library under test.
inline std::string gzip(std::string_view bytes) {
    const auto append_le = [](std::string& out, std::uint32_t value, int count) {
        for (int k = 0; k < count; ++k) {
            out += static_cast<char>((value >> (8 * k)) & 0xFFU);
        }
    };
    std::string out("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff", 10);
    std::size_t pos = 0;
    do {
        const std::size_t size = std::min<std::size_t>(bytes.size() - pos, 65535);
        const bool last = pos + size == bytes.size();
        out += static_cast<char>(last ? 1 : 0);  // BFINAL, BTYPE = 00 (stored)
        append_le(out, static_cast<std::uint32_t>(size), 2);
        append_le(out, static_cast<std::uint32_t>(~size & 0xFFFFU), 2);
        out.append(bytes.substr(pos, size));
        pos += size;
    } while (pos < bytes.size());
    append_le(out, crc32(bytes), 4);
    append_le(out, static_cast<std::uint32_t>(bytes.size()), 4);
    return out;
}

using lle::testing::message_of;

/// Runs `action`, which must throw `Exception` with a message starting "`name`: ", and returns
/// the rest of the message.
template <typename Exception, typename Action>
std::string message_after_name(const std::string& name, Action&& action) {
    const std::string message = message_of<Exception>(std::forward<Action>(action));
    const std::string prefix = name + ": ";
    EXPECT_EQ(message.substr(0, prefix.size()), prefix);
    return message.substr(std::min(prefix.size(), message.size()));
}

}  // namespace lle::io::testing
