#include "io/model_file.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <sstream>
#include <string>

#include "io/test_files.hpp"
#include "lle/base/error.hpp"

namespace lle::io {
namespace {

using ModelFileTest = testing::TempDirTest;

Model small_model() {
    Model model;
    model.method = Method::hessian;
    model.n_neighbors = 2;
    model.reg = 0.25;
    model.hessian_tol = 1e-3;
    model.modified_tol = 1e-9;
    model.training_points.resize(3, 2);
    model.training_points << 1, 2, 3, 4, 5, 6;
    model.embedding.resize(3, 1);
    model.embedding << -0.5, 0.0, 0.5;
    return model;
}

std::string bytes_of(const Model& model) {
    std::ostringstream out;
    write_model(out, model);
    return out.str();
}

TEST_F(ModelFileTest, HandCheckedLayout) {
    const std::string bytes = bytes_of(small_model());
    ASSERT_EQ(bytes.size(), 72U + 8U * 3U * (2U + 1U));
    EXPECT_EQ(bytes.substr(0, 8), "LLEMODEL");
    std::uint32_t version = 0, method = 0;
    std::uint64_t n = 0, k = 0;
    double first_point = 0.0, last_coordinate = 0.0;
    std::memcpy(&version, bytes.data() + 8, 4);
    std::memcpy(&method, bytes.data() + 12, 4);
    std::memcpy(&n, bytes.data() + 16, 8);
    std::memcpy(&k, bytes.data() + 40, 8);
    std::memcpy(&first_point, bytes.data() + 72, 8);
    std::memcpy(&last_coordinate, bytes.data() + bytes.size() - 8, 8);
    EXPECT_EQ(version, 1U);
    EXPECT_EQ(method, 2U);
    EXPECT_EQ(n, 3U);
    EXPECT_EQ(k, 2U);
    EXPECT_EQ(first_point, 1.0);
    EXPECT_EQ(last_coordinate, 0.5);
}

TEST_F(ModelFileTest, RoundTrips) {
    const Model model = small_model();
    const Model read = read_model(write("m.lle", bytes_of(model)));
    EXPECT_EQ(read.method, model.method);
    EXPECT_EQ(read.n_neighbors, model.n_neighbors);
    EXPECT_EQ(read.reg, model.reg);
    EXPECT_EQ(read.hessian_tol, model.hessian_tol);
    EXPECT_EQ(read.modified_tol, model.modified_tol);
    EXPECT_EQ(read.training_points, model.training_points);
    EXPECT_EQ(read.embedding, model.embedding);
}

TEST_F(ModelFileTest, RejectsForeignTruncatedAndHostileFiles) {
    const std::string good = bytes_of(small_model());
    EXPECT_NE(testing::message_of<DataError>([&] {
                  read_model(write("a.lle", "hello, world"));
              }).find("not an lle model file"),
              std::string::npos);
    EXPECT_NE(testing::message_of<DataError>([&] {
                  read_model(write("b.lle", good.substr(0, 50)));
              }).find("truncated"),
              std::string::npos);
    EXPECT_NE(testing::message_of<DataError>([&] {
                  read_model(write("c.lle", good.substr(0, good.size() - 1)));
              }).find("truncated"),
              std::string::npos);
    EXPECT_NE(testing::message_of<DataError>([&] {
                  read_model(write("d.lle", good + "x"));
              }).find("trailing data"),
              std::string::npos);

    // A declared shape of 2^61 points must fail on the size check, before any allocation.
    std::string huge = good;
    const std::uint64_t n = std::uint64_t{1} << 61;
    std::memcpy(huge.data() + 16, &n, 8);
    const std::string message =
        testing::message_of<DataError>([&] { read_model(write("e.lle", huge)); });
    EXPECT_TRUE(message.find("too large") != std::string::npos ||
                message.find("truncated") != std::string::npos)
        << message;

    std::string future = good;
    const std::uint32_t version = 7;
    std::memcpy(future.data() + 8, &version, 4);
    EXPECT_NE(testing::message_of<DataError>([&] {
                  read_model(write("f.lle", future));
              }).find("version 7"),
              std::string::npos);

    std::string k_too_large = good;
    const std::uint64_t k = 4;
    std::memcpy(k_too_large.data() + 40, &k, 8);
    EXPECT_NE(testing::message_of<DataError>([&] {
                  read_model(write("g.lle", k_too_large));
              }).find("k = 4"),
              std::string::npos);
    // d above D: no embedding of D-dimensional points has more coordinates than they do.
    std::string d_too_large = good;
    const std::uint64_t components = 3;
    std::memcpy(d_too_large.data() + 32, &components, 8);
    EXPECT_NE(testing::message_of<DataError>([&] {
                  read_model(write("h.lle", d_too_large));
              }).find("inconsistent header: n = 3, D = 2, d = 3"),
              std::string::npos);
    EXPECT_NE(testing::message_of<DataError>([&] {
                  read_model(dir_ / "absent.lle");
              }).find("cannot open"),
              std::string::npos);
}

TEST_F(ModelFileTest, MemoryFileReadsLikeTheFile) {
    const std::string bytes = bytes_of(small_model());
    const Model read = read_model(MemoryFile{"in-memory.lle", bytes});
    EXPECT_EQ(read.training_points, small_model().training_points);
    EXPECT_EQ(read.embedding, small_model().embedding);
    EXPECT_EQ(read.n_neighbors, 2);
    EXPECT_EQ(testing::message_of<DataError>([&] {
                  read_model(MemoryFile{"m.lle", bytes.substr(0, 100)});
              }),
              "m.lle: truncated model file: 3 points of D = 2 and d = 1 need 144 bytes, the file "
              "has 100");
}

// Hostile headers: each is refused with the problem named, before the model's matrices are
// allocated.
TEST_F(ModelFileTest, HostileHeadersNameTheProblem) {
    const std::string good = bytes_of(small_model());
    const auto error = [&](std::size_t offset, std::uint64_t value) {
        std::string bytes = good;
        std::memcpy(bytes.data() + offset, &value, 8);
        return testing::message_after_name<DataError>("h.lle", [&] {
            read_model(MemoryFile{"h.lle", bytes});
        });
    };
    // Huge: 2^40 points declared in a 144-byte file.
    EXPECT_EQ(error(16, std::uint64_t{1} << 40),
              "truncated model file: 1099511627776 points of D = 2 and d = 1 need "
              "26388279066696 bytes, the file has 144");
    // A "negative" size: -1 written as an unsigned 64-bit count.
    EXPECT_EQ(error(24, static_cast<std::uint64_t>(-1)), "declared shape is too large");
    // 8 n (D + d) overflows 64 bits.
    EXPECT_EQ(error(16, std::uint64_t{1} << 61), "declared shape is too large");
    // Truncated: handled in RejectsForeignTruncatedAndHostileFiles; here the header itself.
    EXPECT_EQ(testing::message_of<DataError>([&] {
                  read_model(MemoryFile{"h.lle", good.substr(0, 40)});
              }),
              "h.lle: truncated model file: the header needs 72 bytes, the file has 40");
}

}  // namespace
}  // namespace lle::io
