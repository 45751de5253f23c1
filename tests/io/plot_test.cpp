#include "io/plot.hpp"

#include <cairo.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <numeric>
#include <sstream>
#include <string>
#include <vector>

#include "lle/base/error.hpp"
#include "test_files.hpp"

namespace lle::io {
namespace {

using testing::message_of;

/// Relative luminance (Rec. 709 weights on linearised sRGB), for the colour map's ordering.
double luminance(const Colour& c) {
    const auto linear = [](double v) {
        return v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * linear(c.red) + 0.7152 * linear(c.green) + 0.0722 * linear(c.blue);
}

/// A PNG read back with Cairo, and its pixels as 8-bit channels.
class Image {
  public:
    explicit Image(const std::filesystem::path& path)
        : surface_(cairo_image_surface_create_from_png(path.c_str()), cairo_surface_destroy) {}

    bool ok() const { return cairo_surface_status(surface_.get()) == CAIRO_STATUS_SUCCESS; }
    int width() const { return cairo_image_surface_get_width(surface_.get()); }
    int height() const { return cairo_image_surface_get_height(surface_.get()); }

    /// The pixel covering the image position (x, y), as 0xRRGGBB.
    std::uint32_t pixel(double x, double y) const {
        cairo_surface_flush(surface_.get());
        const unsigned char* data = cairo_image_surface_get_data(surface_.get());
        const int stride = cairo_image_surface_get_stride(surface_.get());
        const auto row = static_cast<std::size_t>(std::floor(y));
        const auto column = static_cast<std::size_t>(std::floor(x));
        std::uint32_t value = 0;
        std::memcpy(&value, data + row * static_cast<std::size_t>(stride) + 4 * column, 4);
        return value & 0xFFFFFFU;
    }

  private:
    std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)> surface_;
};

/// `colour` as 0xRRGGBB, each channel rounded to 8 bits.
std::uint32_t packed(const Colour& colour) {
    const auto channel = [](double v) { return static_cast<std::uint32_t>(std::lround(v * 255)); };
    return (channel(colour.red) << 16) | (channel(colour.green) << 8) | channel(colour.blue);
}

/// Whether two packed colours differ by at most `tolerance` in every channel.
bool close(std::uint32_t a, std::uint32_t b, int tolerance = 1) {
    for (int shift = 0; shift <= 16; shift += 8) {
        const int ca = static_cast<int>((a >> shift) & 0xFFU);
        const int cb = static_cast<int>((b >> shift) & 0xFFU);
        if (std::abs(ca - cb) > tolerance) {
            return false;
        }
    }
    return true;
}

DenseMatrix matrix(std::initializer_list<std::pair<double, double>> rows) {
    DenseMatrix points(static_cast<Index>(rows.size()), 2);
    Index i = 0;
    for (const auto& [x, y] : rows) {
        points(i, 0) = x;
        points(i, 1) = y;
        ++i;
    }
    return points;
}

/// Small, opaque, large points: each point's centre pixel shows its colour exactly.
PlotDescription opaque(std::vector<double> labels, bool categorical = true) {
    PlotDescription description;
    description.title = "test plot";
    description.width = 480;
    description.height = 360;
    description.radius = 6.0;
    description.alpha = 1.0;
    description.colouring.values = std::move(labels);
    description.colouring.categorical = categorical;
    description.colouring.name = "label";
    return description;
}

class PlotTest : public testing::TempDirTest {};

TEST(PlotFormat, IsChosenByExtensionInAnyCase) {
    EXPECT_EQ(plot_format("a.png"), PlotFormat::png);
    EXPECT_EQ(plot_format("dir/b.PNG"), PlotFormat::png);
    EXPECT_EQ(plot_format("c.svg"), PlotFormat::svg);
    EXPECT_EQ(plot_format("d.Svg"), PlotFormat::svg);
    EXPECT_EQ(plot_format("e.jpg"), std::nullopt);
    EXPECT_EQ(plot_format("png"), std::nullopt);
    EXPECT_EQ(plot_format("f.png.gz"), std::nullopt);
}

TEST(NiceTicks, AreRoundStepsWithinTheRange) {
    const std::vector<double> unit = nice_ticks(0.0, 1.0);
    ASSERT_EQ(unit.size(), 6U);
    for (std::size_t k = 0; k < unit.size(); ++k) {
        EXPECT_NEAR(unit[k], 0.2 * static_cast<double>(k), 1e-12);
    }
    // Extent 0.078, about 6 ticks: a step of 0.01 from -0.03 to 0.04.
    const std::vector<double> small = nice_ticks(-0.037, 0.041);
    ASSERT_EQ(small.size(), 8U);
    EXPECT_NEAR(small.front(), -0.03, 1e-12);
    EXPECT_NEAR(small.back(), 0.04, 1e-12);
    // Extent 94: a step of 20.
    EXPECT_EQ(nice_ticks(3.0, 97.0), (std::vector<double>{20, 40, 60, 80}));
    EXPECT_THROW(nice_ticks(1.0, 1.0), ParameterError);
}

TEST(TickText, RoundsToTheStepAndTellsNeighbouringTicksApart) {
    EXPECT_EQ(tick_text(0.30000000000000004, 0.1), "0.3");
    EXPECT_EQ(tick_text(-1e-18, 0.1), "0");
    EXPECT_EQ(tick_text(40.0, 20.0), "40");
    EXPECT_EQ(tick_text(-0.035, 0.005), "-0.035");
    // A range of 2.4e-11 around 7: each tick one step of 5e-12 from the next reads differently.
    const std::vector<double> ticks = nice_ticks(7.0, 7.0 + 2.4e-11);
    ASSERT_GE(ticks.size(), 3U);
    for (std::size_t k = 1; k < ticks.size(); ++k) {
        EXPECT_NE(tick_text(ticks[k - 1], 5e-12), tick_text(ticks[k], 5e-12)) << k;
    }
    EXPECT_EQ(tick_text(7.0 + 5e-12, 5e-12), "7.000000000005");
}

TEST(ContinuousColour, RunsFromDarkVioletToYellowGettingLighterAllTheWay) {
    EXPECT_EQ(packed(continuous_colour(0.0)), 0x440154U);
    EXPECT_EQ(packed(continuous_colour(1.0)), 0xFDE725U);
    EXPECT_EQ(packed(continuous_colour(-3.0)), 0x440154U);
    EXPECT_EQ(packed(continuous_colour(7.0)), 0xFDE725U);
    // Half way between the 4th and 5th control points (t = 3/8 and 4/8).
    const Colour mid = continuous_colour(7.0 / 16.0);
    EXPECT_NEAR(mid.red * 255, (49 + 38) / 2.0, 1e-9);
    EXPECT_NEAR(mid.green * 255, (104 + 130) / 2.0, 1e-9);
    EXPECT_NEAR(mid.blue * 255, (142 + 142) / 2.0, 1e-9);
    double previous = -1.0;
    for (int k = 0; k <= 200; ++k) {
        const double value = luminance(continuous_colour(k / 200.0));
        EXPECT_GT(value, previous) << "t = " << k / 200.0;
        previous = value;
    }
}

TEST(CategoryColour, TwentyColoursAllDistinct) {
    for (std::size_t a = 0; a < max_categories; ++a) {
        for (std::size_t b = a + 1; b < max_categories; ++b) {
            const Colour ca = category_colour(a);
            const Colour cb = category_colour(b);
            const double difference =
                std::max({std::abs(ca.red - cb.red), std::abs(ca.green - cb.green),
                          std::abs(ca.blue - cb.blue)});
            EXPECT_GT(difference, 0.1) << a << " and " << b;
        }
    }
}

TEST(PointStyle, ShrinksWithTheNumberOfPoints) {
    EXPECT_NEAR(point_radius(3000), 2.43, 0.01);
    EXPECT_NEAR(point_radius(1'000'000), 0.569, 0.001);
    EXPECT_EQ(point_radius(10), 4.0);
    EXPECT_EQ(point_radius(100'000'000), 0.5);
    EXPECT_NEAR(point_alpha(3000), 0.7809, 0.0001);       // 0.9 (2/3)^0.35
    EXPECT_NEAR(point_alpha(1'000'000), 0.1022, 0.0001);  // 0.9 (1/500)^0.35
    EXPECT_EQ(point_alpha(100), 0.9);
    EXPECT_EQ(point_alpha(100'000'000), 0.08);
    for (Index n = 1; n < 10'000'000; n *= 3) {
        EXPECT_GE(point_radius(n), point_radius(3 * n));
        EXPECT_GE(point_alpha(n), point_alpha(3 * n));
    }
}

TEST(DrawingOrder, IsASeededPermutation) {
    const std::vector<Index> order = drawing_order(1000, 7);
    std::vector<Index> sorted = order;
    std::sort(sorted.begin(), sorted.end());
    std::vector<Index> identity(1000);
    std::iota(identity.begin(), identity.end(), Index{0});
    EXPECT_EQ(sorted, identity);
    EXPECT_NE(order, identity);
    EXPECT_EQ(drawing_order(1000, 7), order);
    EXPECT_NE(drawing_order(1000, 8), order);
    // Points of the second half (a class listed last) are spread through the order: about half
    // of the first 500 drawn.
    const auto late =
        std::count_if(order.begin(), order.begin() + 500, [](Index i) { return i >= 500; });
    EXPECT_GT(late, 200);
    EXPECT_LT(late, 300);
}

TEST_F(PlotTest, PngHasTheSizeAndEachPointItsClassColour) {
    // Labels 7, 3, 5: the palette follows their order, so 3 gets colour 0, 5 colour 1, 7 colour 2.
    const DenseMatrix points = matrix({{0, 0}, {1, 0}, {0, 1}, {1, 1}, {0.5, 0.5}});
    const PlotDescription description = opaque({7, 3, 5, 7, 3});
    const auto path = dir_ / "plot.png";
    write_plot(path, points, description);

    const std::string bytes = read(path);
    ASSERT_GE(bytes.size(), 24U);
    EXPECT_EQ(bytes.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
    EXPECT_EQ(bytes.substr(12, 4), "IHDR");
    EXPECT_EQ(bytes.substr(16, 8), std::string("\0\0\x01\xe0\0\0\x01\x68", 8));  // 480 x 360

    const Image image(path);
    ASSERT_TRUE(image.ok());
    EXPECT_EQ(image.width(), 480);
    EXPECT_EQ(image.height(), 360);
    const PlotFrame frame = plot_frame(points, description);
    const std::uint32_t expected[] = {packed(category_colour(2)), packed(category_colour(0)),
                                      packed(category_colour(1)), packed(category_colour(2)),
                                      packed(category_colour(0))};
    for (Index i = 0; i < points.rows(); ++i) {
        const std::uint32_t pixel =
            image.pixel(frame.x_pixel(points(i, 0)), frame.y_pixel(points(i, 1)));
        EXPECT_TRUE(close(pixel, expected[i]))
            << "point " << i << ": " << std::hex << pixel << " != " << expected[i];
    }
    // Between the points, inside the frame: the white background.
    EXPECT_EQ(image.pixel(frame.x_pixel(0.25), frame.y_pixel(0.75)), 0xFFFFFFU);
    EXPECT_EQ(image.pixel(frame.x_pixel(0.75), frame.y_pixel(0.25)), 0xFFFFFFU);
    // The frame's data range is the points' padded by 4 %.
    EXPECT_NEAR(frame.x_min, -0.04, 1e-12);
    EXPECT_NEAR(frame.y_max, 1.04, 1e-12);
}

TEST_F(PlotTest, ManyDistinctLabelsGetTheContinuousColourMap) {
    DenseMatrix points(25, 2);
    std::vector<double> labels;
    for (Index i = 0; i < 25; ++i) {
        points(i, 0) = static_cast<double>(i % 5);
        points(i, 1) = static_cast<double>(i / 5);
        labels.push_back(static_cast<double>(100 + 2 * i));  // 100 .. 148
    }
    const auto path = dir_ / "many.png";
    const PlotDescription description = opaque(labels);
    write_plot(path, points, description);
    const Image image(path);
    ASSERT_TRUE(image.ok());
    const PlotFrame frame = plot_frame(points, description);
    for (const Index i : {Index{0}, Index{12}, Index{24}}) {
        const std::uint32_t pixel =
            image.pixel(frame.x_pixel(points(i, 0)), frame.y_pixel(points(i, 1)));
        const std::uint32_t expected = packed(continuous_colour(static_cast<double>(i) / 24.0));
        EXPECT_TRUE(close(pixel, expected)) << i << ": " << std::hex << pixel;
    }
}

TEST_F(PlotTest, SvgCarriesTheTitleAndLegendAsText) {
    PlotDescription description = opaque({2, 1, 2});
    description.title = "LLE <of> points & more";
    std::ostringstream out;
    write_plot(out, PlotFormat::svg, matrix({{0, 0}, {1, 1}, {2, 0}}), description);
    const std::string svg = out.str();
    EXPECT_EQ(svg.rfind("<?xml", 0), 0U);
    EXPECT_NE(svg.find("<title>LLE &lt;of&gt; points &amp; more</title>"), std::string::npos);
    EXPECT_NE(svg.find("<desc>horizontal: coordinate 1; vertical: coordinate 2; colour by label: "
                       "1, 2</desc>"),
              std::string::npos);
    EXPECT_NE(svg.find("</svg>"), std::string::npos);
}

TEST_F(PlotTest, LegendEntriesKeepEveryDigitOfTheirLabels) {
    std::ostringstream out;
    write_plot(out, PlotFormat::svg, matrix({{0, 0}, {1, 1}, {2, 0}}),
               opaque({123456790, 2.5, 123456789}));
    EXPECT_NE(out.str().find("colour by label: 2.5, 123456789, 123456790</desc>"),
              std::string::npos);
}

TEST_F(PlotTest, SvgRefusesMoreThanItsLimitAndLeavesNoFile) {
    const DenseMatrix points = DenseMatrix::Random(svg_max_points + 1, 2);
    const auto path = dir_ / "big.svg";
    const std::string message =
        message_of<ParameterError>([&] { write_plot(path, points, PlotDescription{}); });
    EXPECT_EQ(message, path.string() +
                           ": an SVG holds one element per point, and is limited to 50000 points "
                           "(got 50001); use .png for more");
    EXPECT_FALSE(std::filesystem::exists(path));
    EXPECT_NO_THROW(check_plot_size(dir_ / "big.png", svg_max_points + 1));
    EXPECT_NO_THROW(check_plot_size(path, svg_max_points));
}

TEST_F(PlotTest, BadExtensionMissingFolderAndWrongCountsFailAndLeaveNoFile) {
    const DenseMatrix points = matrix({{0, 0}, {1, 1}});
    const auto jpg = dir_ / "plot.jpg";
    EXPECT_EQ(message_of<ParameterError>([&] { write_plot(jpg, points, PlotDescription{}); }),
              jpg.string() + ": unsupported plot extension (use .png or .svg)");
    const auto missing = dir_ / "absent" / "plot.png";
    const std::string message =
        message_of<DataError>([&] { write_plot(missing, points, PlotDescription{}); });
    EXPECT_NE(message.find(missing.string()), std::string::npos) << message;
    const auto png = dir_ / "plot.png";
    EXPECT_THROW(write_plot(png, points, opaque({1, 2, 3})), ParameterError);
    EXPECT_THROW(write_plot(png, DenseMatrix::Zero(2, 3), PlotDescription{}), ParameterError);
    EXPECT_TRUE(std::filesystem::is_empty(dir_));
}

TEST_F(PlotTest, AFailedWriteKeepsTheFileItWouldReplace) {
    const auto path = write("plot.png", "previous");
    EXPECT_THROW(write_plot(path, matrix({{0, 0}, {1, 1}}), opaque({1, 2, 3})), ParameterError);
    EXPECT_EQ(read(path), "previous");
}

TEST(EmbeddingPlot, TwoDimensionsColouredByCoordinateOne) {
    DenseMatrix coordinates(3, 2);
    coordinates << 0.1, 0.2, -0.3, 0.4, 0.5, -0.6;
    const EmbeddingPlot plot = embedding_plot(coordinates, {}, 3, {}, Method::standard, 10);
    EXPECT_EQ(plot.points, coordinates);
    EXPECT_EQ(plot.description.title, "standard LLE: n = 3, k = 10");
    EXPECT_EQ(plot.description.x_label, "coordinate 1");
    EXPECT_EQ(plot.description.y_label, "coordinate 2");
    EXPECT_FALSE(plot.description.colouring.categorical);
    EXPECT_EQ(plot.description.colouring.name, "coordinate 1");
    EXPECT_EQ(plot.description.colouring.values, (std::vector<double>{0.1, -0.3, 0.5}));
}

TEST(EmbeddingPlot, ThreeDimensionsShowTheFirstTwoAndSaySo) {
    DenseMatrix coordinates(2, 3);
    coordinates << 1, 2, 3, 4, 5, 6;
    const EmbeddingPlot plot = embedding_plot(coordinates, {}, 2, {8, 9}, Method::ltsa, 5);
    EXPECT_EQ(plot.points, coordinates.leftCols(2));
    EXPECT_EQ(plot.description.title, "LTSA: n = 2, k = 5, d = 3 (coordinates 1 and 2)");
    EXPECT_TRUE(plot.description.colouring.categorical);
    EXPECT_EQ(plot.description.colouring.name, "label");
    EXPECT_EQ(plot.description.colouring.values, (std::vector<double>{8, 9}));
}

TEST(EmbeddingPlot, OneDimensionAgainstTheInputRowOfEmbeddedRowsOnly) {
    // Rows 1, 3 and 4 of 5 were embedded (the largest component).
    DenseMatrix coordinates(3, 1);
    coordinates << 0.5, -0.5, 0.25;
    const EmbeddingPlot plot =
        embedding_plot(coordinates, {1, 3, 4}, 5, {10, 11, 12, 13, 14}, Method::hessian, 6);
    EXPECT_EQ(plot.points, matrix({{1, 0.5}, {3, -0.5}, {4, 0.25}}));
    EXPECT_EQ(plot.description.x_label, "input row");
    EXPECT_EQ(plot.description.y_label, "coordinate 1");
    EXPECT_EQ(plot.description.title, "Hessian LLE: 3 of n = 5 points embedded, k = 6, d = 1");
    EXPECT_EQ(plot.description.colouring.values, (std::vector<double>{11, 13, 14}));
}

TEST(EmbeddingPlot, LabelsMustCoverEveryInputRow) {
    const DenseMatrix coordinates = DenseMatrix::Zero(3, 2);
    EXPECT_EQ(message_of<ParameterError>([&] {
                  embedding_plot(coordinates, {}, 3, {1, 2}, Method::standard, 2);
              }),
              "labels must satisfy one per input row (3) (got 2)");
}

}  // namespace
}  // namespace lle::io
