#pragma once

/// \file
/// Scatter plots of an embedding, drawn with Cairo and written as PNG or SVG.
///
/// A plot shows `n` points in two dimensions, each a filled circle coloured by a class label
/// (a categorical palette and a legend), or by a number (a continuous colour map and a colour
/// bar). The points are drawn in a random order fixed by a seed, so that no class hides under
/// another because it came later in the file; their radius and opacity shrink with `n`, so
/// that a million points still show where they are dense.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "io/atomic_file.hpp"
#include "lle/base/types.hpp"
#include "lle/methods/embed.hpp"

namespace lle::io {

/// The plot formats, chosen by the file's extension.
enum class PlotFormat {
    png,  ///< `.png`: a raster image, `width x height` pixels
    svg,  ///< `.svg`: vector graphics, `width x height` points; text drawn as outlines
};

/// The format named by `path`'s extension, in any case (`.png`, `.svg`); nullopt for any other.
std::optional<PlotFormat> plot_format(const std::filesystem::path& path);

/// An SVG holds one element per point (about 280 bytes each): above this many points
/// write_plot() refuses SVG and asks for PNG, whose size does not grow with `n`.
constexpr Index svg_max_points = 50'000;

/// Labels with at most this many distinct values get a categorical palette and a legend; more
/// get the continuous colour map and a colour bar over their values.
constexpr std::size_t max_categories = 20;

/// Throws lle::ParameterError when `path`'s format cannot hold `n` points: SVG above
/// svg_max_points (the message names the path and both counts and suggests `.png`).
void check_plot_size(const std::filesystem::path& path, Index n);

/// An sRGB colour, each channel in [0, 1].
struct Colour {
    double red = 0.0;
    double green = 0.0;
    double blue = 0.0;
};

/// Colour of class `index` (from 0, below max_categories): ten strong, distinct hues, then
/// lighter versions of the same ten.
Colour category_colour(std::size_t index);

/// The continuous colour map at `t` in [0, 1] (clamped): from a dark blue-violet through blue,
/// teal and green to yellow, its lightness rising all the way, so that order reads in grey
/// too. Linear in sRGB between nine control points.
Colour continuous_colour(double t);

/// How the points are coloured.
struct PlotColouring {
    /// One value per point; empty: every point in the first category colour, no legend.
    std::vector<double> values;
    /// Whether `values` are class labels: up to max_categories distinct ones get the palette
    /// (in increasing order of value) and a legend; more, like any non-label values, get
    /// continuous_colour() over their range and a colour bar.
    bool categorical = false;
    /// Heading of the legend or the colour bar, e.g. "label" or "coordinate 1".
    std::string name;
};

/// What to draw besides the points.
struct PlotDescription {
    std::string title;                     ///< above the plot
    std::string x_label = "coordinate 1";  ///< under the horizontal axis
    std::string y_label = "coordinate 2";  ///< beside the vertical axis
    PlotColouring colouring;
    int width = 960;         ///< pixels (PNG) or points (SVG), at least 320
    int height = 720;        ///< pixels (PNG) or points (SVG), at least 240
    double radius = 0.0;     ///< of each point, in pixels; 0: point_radius(n)
    double alpha = 0.0;      ///< opacity of each point, in (0, 1]; 0: point_alpha(n)
    std::uint64_t seed = 0;  ///< seeds the drawing order
};

/// The default point radius for `n` points: `18 / n^(1/4)` pixels, within [0.5, 4] (about 2.4
/// at 3,000 points, 1.1 at 70,000, 0.57 at a million).
double point_radius(Index n);

/// The default opacity for `n` points: `0.9 (2000 / n)^0.35`, within [0.08, 0.9] (0.78 at
/// 3,000 points, 0.26 at 70,000, 0.1 at a million), so that overlapping points add up to show
/// density.
double point_alpha(Index n);

/// The order the points are drawn in: a permutation of `0 .. n-1`, shuffled by a generator
/// seeded with `seed`, the same for the same arguments.
std::vector<Index> drawing_order(Index n, std::uint64_t seed);

/// Round tick values for an axis over `[low, high]` (`low < high`): multiples of 1, 2 or 5
/// times a power of ten, about `target` of them, every one within the range.
std::vector<double> nice_ticks(double low, double high, int target = 6);

/// A tick value as text: rounded to the tick step `step > 0`, so that 0.30000000000000004 reads
/// 0.3 and a tick at zero never reads -0, with the significant digits that tell ticks one step
/// apart (at least 6): on a range from 7 to 7 + 2e-11 the ticks read 7, 7.000000000005, ...
std::string tick_text(double value, double step);

/// Where the points are drawn: the plot area in pixels (from the image's top left) and the
/// data range it shows, each axis padded by 4 % of its extent beyond the points.
struct PlotFrame {
    double left = 0.0;    ///< pixels from the image's left edge
    double top = 0.0;     ///< pixels from the image's top edge
    double width = 0.0;   ///< pixels
    double height = 0.0;  ///< pixels
    double x_min = 0.0;   ///< data value at the left edge
    double x_max = 1.0;   ///< data value at the right edge
    double y_min = 0.0;   ///< data value at the bottom edge
    double y_max = 1.0;   ///< data value at the top edge

    /// Horizontal pixel position of the data value `x`.
    double x_pixel(double x) const { return left + (x - x_min) / (x_max - x_min) * width; }
    /// Vertical pixel position of the data value `y` (up in the data is up in the image).
    double y_pixel(double y) const { return top + (y_max - y) / (y_max - y_min) * height; }
};

/// The frame write_plot() draws `points` (`n x 2`) in, for `description`'s size.
PlotFrame plot_frame(const DenseMatrix& points, const PlotDescription& description);

/// Draws `points` (`n x 2`: horizontal, vertical) as described and writes the plot to `out`.
/// Throws lle::ParameterError for an invalid description (wrong shape, a colour value count
/// other than `n`, a size out of range, SVG with more than svg_max_points points) and
/// lle::DataError when Cairo fails or the stream cannot be written, naming `shown`.
/// \note SVG text is drawn as outlines (as in the PNG, with no font needed to view it); the
/// title is also the SVG's `<title>`, and the axis names and legend entries its `<desc>`.
void write_plot(std::ostream& out, PlotFormat format, const DenseMatrix& points,
                const PlotDescription& description, const std::filesystem::path& shown = "plot");

/// Writes the plot to `path` in the format of its extension, through write_atomically(): a
/// failure leaves no file and an existing one untouched. An extension other than `.png` or
/// `.svg` is a ParameterError naming the path.
void write_plot(const std::filesystem::path& path, const DenseMatrix& points,
                const PlotDescription& description);

/// As write_plot(path, ...), but adds the file to `output`, to appear with the others when
/// it is committed.
void write_plot(OutputSet& output, const std::filesystem::path& path, const DenseMatrix& points,
                const PlotDescription& description);

/// A plot of an embedding: the points and their description.
struct EmbeddingPlot {
    DenseMatrix points;  ///< `m x 2`, one row per embedded point
    PlotDescription description;
};

/// The plot of lle::embed()'s result for `input_points` input rows.
///
/// - `coordinates` is `m x d`, its row i the embedding of input row `rows[i]` (`rows` empty:
///   of row i, and `m` is `input_points`), as in lle::Result.
/// - `labels`, when not empty, has one value per input row (ParameterError otherwise); the
///   embedded rows' labels colour the points. Without labels the points are coloured by
///   coordinate 1.
/// - `d >= 2`: coordinate 2 against coordinate 1; for `d >= 3` the title says that these are
///   the first two of `d`. `d == 1`: coordinate 1 against the input row number.
/// - The title names the method and gives `n` (and how many of them were embedded when only
///   some were), `k`, and `d` when it is not 2.
EmbeddingPlot embedding_plot(const DenseMatrix& coordinates, const std::vector<Index>& rows,
                             Index input_points, const std::vector<double>& labels, Method method,
                             Index n_neighbors);

}  // namespace lle::io
