#include "io/plot.hpp"

#include <cairo-svg.h>
#include <cairo.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <memory>
#include <numeric>
#include <random>
#include <string>
#include <string_view>

#include "io/atomic_file.hpp"
#include "io/detail/support.hpp"
#include "lle/base/error.hpp"

namespace lle::io {
namespace {

constexpr double pi = 3.14159265358979323846;

/// sRGB from 8-bit channels.
constexpr Colour rgb(int red, int green, int blue) {
    return {red / 255.0, green / 255.0, blue / 255.0};
}

/// The categorical palette: ten hues picked to differ in hue and lightness, then each one
/// lighter, for labels 11 to 20.
constexpr std::array<Colour, max_categories> palette = {
    rgb(42, 111, 219),  rgb(242, 142, 28),  rgb(44, 164, 68),   rgb(217, 58, 58),
    rgb(140, 95, 199),  rgb(143, 90, 60),   rgb(224, 107, 184), rgb(111, 111, 111),
    rgb(181, 184, 44),  rgb(31, 181, 196),  rgb(156, 194, 245), rgb(252, 201, 138),
    rgb(155, 224, 160), rgb(245, 163, 163), rgb(205, 184, 236), rgb(207, 169, 147),
    rgb(245, 191, 225), rgb(196, 196, 196), rgb(224, 226, 142), rgb(151, 227, 234)};

/// The continuous map's control points, evenly spaced in t from 0 to 1.
constexpr std::array<Colour, 9> colour_map = {
    rgb(68, 1, 84),    rgb(71, 39, 119),  rgb(62, 74, 137),  rgb(49, 104, 142), rgb(38, 130, 142),
    rgb(31, 158, 137), rgb(53, 183, 121), rgb(145, 213, 66), rgb(253, 231, 37)};

const Colour ink = rgb(40, 40, 40);
const Colour background = rgb(255, 255, 255);

// Layout, in pixels: margins around the plot area and the side panel for a legend.
constexpr double margin_left = 84.0;
constexpr double margin_top = 48.0;
constexpr double margin_bottom = 62.0;
constexpr double margin_right_plain = 28.0;
constexpr double side_panel = 170.0;
constexpr double tick_length = 5.0;
constexpr double padding = 0.04;  // data range padding on each side, as a share of the extent

using Context = std::unique_ptr<cairo_t, decltype(&cairo_destroy)>;
using Surface = std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)>;
using Pattern = std::unique_ptr<cairo_pattern_t, decltype(&cairo_pattern_destroy)>;

void set_colour(cairo_t* cr, const Colour& colour, double alpha = 1.0) {
    cairo_set_source_rgba(cr, colour.red, colour.green, colour.blue, alpha);
}

/// Draws `text` with its anchor at (x, y): `align` 0 puts the left end there, 0.5 the middle,
/// 1 the right end; vertically `y` is the middle of a digit's height.
void draw_text(cairo_t* cr, const std::string& text, double x, double y, double align) {
    cairo_text_extents_t digit;
    cairo_text_extents(cr, "0", &digit);
    cairo_text_extents_t extents;
    cairo_text_extents(cr, text.c_str(), &extents);
    cairo_move_to(cr, x - align * extents.x_advance, y + digit.height / 2.0);
    cairo_show_text(cr, text.c_str());
}

void set_font(cairo_t* cr, double size, bool bold = false) {
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
}

/// A label as text, in the shortest form that reads back as the same number, so that distinct
/// labels never read alike (123456789 stays whole, 3.0 reads 3).
std::string label_text(double value) {
    return fmt::format("{}", value);
}

/// Distinct values in increasing order.
std::vector<double> distinct(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    return values;
}

/// The range [low, high] of `values`, widened when it is a single value.
std::pair<double, double> value_range(const std::vector<double>& values) {
    const auto [low, high] = std::minmax_element(values.begin(), values.end());
    if (*low < *high) {
        return {*low, *high};
    }
    const double half = std::max(0.5, 0.1 * std::abs(*low));
    return {*low - half, *high + half};
}

/// Colours of the points, and what the side panel shows.
struct ColourPlan {
    std::vector<Colour> colours;     ///< one per point
    std::vector<double> categories;  ///< the classes in legend order, when categorical
    bool colour_bar = false;         ///< a continuous scale over [low, high]
    double low = 0.0;
    double high = 1.0;
};

ColourPlan plan_colours(const PlotColouring& colouring, Index n) {
    ColourPlan plan;
    if (colouring.values.empty()) {
        plan.colours.assign(static_cast<std::size_t>(n), category_colour(0));
        return plan;
    }
    if (colouring.categorical) {
        std::vector<double> classes = distinct(colouring.values);
        if (classes.size() <= max_categories) {
            for (const double value : colouring.values) {
                const auto position = std::lower_bound(classes.begin(), classes.end(), value);
                plan.colours.push_back(
                    category_colour(static_cast<std::size_t>(position - classes.begin())));
            }
            plan.categories = std::move(classes);
            return plan;
        }
    }
    plan.colour_bar = true;
    std::tie(plan.low, plan.high) = value_range(colouring.values);
    for (const double value : colouring.values) {
        plan.colours.push_back(continuous_colour((value - plan.low) / (plan.high - plan.low)));
    }
    return plan;
}

void draw_points(cairo_t* cr, const DenseMatrix& points, const PlotFrame& frame,
                 const ColourPlan& plan, double radius, double alpha, std::uint64_t seed) {
    cairo_save(cr);
    cairo_rectangle(cr, frame.left, frame.top, frame.width, frame.height);
    cairo_clip(cr);
    for (const Index i : drawing_order(points.rows(), seed)) {
        set_colour(cr, plan.colours[static_cast<std::size_t>(i)], alpha);
        cairo_new_path(cr);
        cairo_arc(cr, frame.x_pixel(points(i, 0)), frame.y_pixel(points(i, 1)), radius, 0.0,
                  2.0 * pi);
        cairo_fill(cr);
    }
    cairo_restore(cr);
}

void draw_axes(cairo_t* cr, const PlotFrame& frame, const PlotDescription& description) {
    set_colour(cr, ink);
    cairo_set_line_width(cr, 1.0);
    cairo_rectangle(cr, frame.left, frame.top, frame.width, frame.height);
    cairo_stroke(cr);

    set_font(cr, 11.0);
    const double bottom = frame.top + frame.height;
    const std::vector<double> x_ticks = nice_ticks(frame.x_min, frame.x_max);
    const double x_step = x_ticks.size() > 1 ? x_ticks[1] - x_ticks[0] : 1.0;
    for (const double tick : x_ticks) {
        const double x = frame.x_pixel(tick);
        cairo_move_to(cr, x, bottom);
        cairo_line_to(cr, x, bottom + tick_length);
        cairo_stroke(cr);
        draw_text(cr, tick_text(tick, x_step), x, bottom + tick_length + 10.0, 0.5);
    }
    const std::vector<double> y_ticks = nice_ticks(frame.y_min, frame.y_max);
    const double y_step = y_ticks.size() > 1 ? y_ticks[1] - y_ticks[0] : 1.0;
    for (const double tick : y_ticks) {
        const double y = frame.y_pixel(tick);
        cairo_move_to(cr, frame.left, y);
        cairo_line_to(cr, frame.left - tick_length, y);
        cairo_stroke(cr);
        draw_text(cr, tick_text(tick, y_step), frame.left - tick_length - 4.0, y, 1.0);
    }

    set_font(cr, 13.0);
    draw_text(cr, description.x_label, frame.left + frame.width / 2.0, bottom + 42.0, 0.5);
    cairo_save(cr);
    cairo_translate(cr, 18.0, frame.top + frame.height / 2.0);
    cairo_rotate(cr, -pi / 2.0);
    draw_text(cr, description.y_label, 0.0, 0.0, 0.5);
    cairo_restore(cr);

    set_font(cr, 16.0, true);
    draw_text(cr, description.title, frame.left + frame.width / 2.0, margin_top / 2.0, 0.5);
}

/// The classes' colours and values, one line each, beside the plot area.
void draw_legend(cairo_t* cr, const PlotFrame& frame, const ColourPlan& plan,
                 const std::string& name) {
    const double x = frame.left + frame.width + 22.0;
    set_colour(cr, ink);
    set_font(cr, 13.0, true);
    draw_text(cr, name, x, frame.top + 8.0, 0.0);
    set_font(cr, 12.0);
    const double spacing =
        std::min(20.0, (frame.height - 30.0) / static_cast<double>(plan.categories.size()));
    for (std::size_t c = 0; c < plan.categories.size(); ++c) {
        const double y = frame.top + 32.0 + spacing * static_cast<double>(c);
        set_colour(cr, category_colour(c));
        cairo_new_path(cr);
        cairo_arc(cr, x + 6.0, y, 5.5, 0.0, 2.0 * pi);
        cairo_fill(cr);
        set_colour(cr, ink);
        draw_text(cr, label_text(plan.categories[c]), x + 18.0, y, 0.0);
    }
}

/// A vertical bar of the continuous map, low values at the bottom, with ticks at round values.
void draw_colour_bar(cairo_t* cr, const PlotFrame& frame, const ColourPlan& plan,
                     const std::string& name) {
    const double x = frame.left + frame.width + 22.0;
    const double bar_width = 18.0;
    const double top = frame.top + 28.0;
    const double bottom = frame.top + frame.height;
    set_colour(cr, ink);
    set_font(cr, 13.0, true);
    draw_text(cr, name, x, frame.top + 8.0, 0.0);

    // The map is linear in sRGB between its control points, as Cairo's gradient is between
    // stops: the bar shows exactly the colours the points get.
    Pattern gradient(cairo_pattern_create_linear(0.0, bottom, 0.0, top), cairo_pattern_destroy);
    for (std::size_t k = 0; k < colour_map.size(); ++k) {
        const Colour& c = colour_map[k];
        cairo_pattern_add_color_stop_rgb(gradient.get(),
                                         static_cast<double>(k) / (colour_map.size() - 1), c.red,
                                         c.green, c.blue);
    }
    cairo_rectangle(cr, x, top, bar_width, bottom - top);
    cairo_set_source(cr, gradient.get());
    cairo_fill_preserve(cr);
    set_colour(cr, ink);
    cairo_set_line_width(cr, 1.0);
    cairo_stroke(cr);

    set_font(cr, 11.0);
    const std::vector<double> ticks = nice_ticks(plan.low, plan.high);
    const double step = ticks.size() > 1 ? ticks[1] - ticks[0] : 1.0;
    for (const double tick : ticks) {
        const double y = bottom - (tick - plan.low) / (plan.high - plan.low) * (bottom - top);
        cairo_move_to(cr, x + bar_width, y);
        cairo_line_to(cr, x + bar_width + tick_length, y);
        cairo_stroke(cr);
        draw_text(cr, tick_text(tick, step), x + bar_width + tick_length + 4.0, y, 0.0);
    }
}

void draw(cairo_t* cr, const DenseMatrix& points, const PlotDescription& description) {
    const PlotFrame frame = plot_frame(points, description);
    const ColourPlan plan = plan_colours(description.colouring, points.rows());
    set_colour(cr, background);
    cairo_paint(cr);
    const double radius =
        description.radius > 0.0 ? description.radius : point_radius(points.rows());
    const double alpha = description.alpha > 0.0 ? description.alpha : point_alpha(points.rows());
    draw_points(cr, points, frame, plan, radius, alpha, description.seed);
    draw_axes(cr, frame, description);
    if (!plan.categories.empty()) {
        draw_legend(cr, frame, plan, description.colouring.name);
    } else if (plan.colour_bar) {
        draw_colour_bar(cr, frame, plan, description.colouring.name);
    }
}

/// Cairo's write callback: appends to a std::string.
cairo_status_t append_to_string(void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
}

/// Cairo's write callback: writes to a std::ostream.
cairo_status_t write_to_stream(void* closure, const unsigned char* data, unsigned int length) {
    auto* out = static_cast<std::ostream*>(closure);
    out->write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(length));
    return *out ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

void require_success(cairo_status_t status, const std::filesystem::path& shown) {
    if (status != CAIRO_STATUS_SUCCESS) {
        detail::fail(shown, std::string("cannot draw the plot (Cairo: ") +
                                cairo_status_to_string(status) + ")");
    }
}

std::string escape_xml(std::string_view text) {
    std::string out;
    for (const char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

/// The plot's words for an SVG's `<desc>`: the axes, and the legend's entries or the colour
/// bar's range.
std::string describe(const PlotDescription& description, const ColourPlan& plan) {
    std::string text = "horizontal: " + description.x_label + "; vertical: " + description.y_label;
    if (!plan.categories.empty()) {
        text += "; colour by " + description.colouring.name + ":";
        for (std::size_t c = 0; c < plan.categories.size(); ++c) {
            text += (c == 0 ? " " : ", ") + label_text(plan.categories[c]);
        }
    } else if (plan.colour_bar) {
        text += fmt::format("; colour by {}, from {:.6g} to {:.6g}", description.colouring.name,
                            plan.low, plan.high);
    }
    return text;
}

/// Puts `<title>` and `<desc>` first in the root `<svg>` element of Cairo's output.
std::string with_title(std::string svg, const PlotDescription& description, const ColourPlan& plan,
                       const std::filesystem::path& shown) {
    const std::size_t root = svg.find("<svg");
    const std::size_t end = root == std::string::npos ? root : svg.find('>', root);
    if (end == std::string::npos) {
        detail::fail(shown, "cannot draw the plot (Cairo wrote no <svg> element)");
    }
    const std::string elements = "\n<title>" + escape_xml(description.title) + "</title>\n<desc>" +
                                 escape_xml(describe(description, plan)) + "</desc>";
    svg.insert(end + 1, elements);
    return svg;
}

void validate(const DenseMatrix& points, const PlotDescription& description) {
    require_parameter(points.cols() == 2, "plot points", "2 columns",
                      std::to_string(points.cols()));
    require_parameter(points.allFinite(), "plot points", "finite values", "NaN or infinity");
    const auto& values = description.colouring.values;
    require_parameter(values.empty() || static_cast<Index>(values.size()) == points.rows(),
                      "plot colour values", "one per point (" + std::to_string(points.rows()) + ")",
                      std::to_string(values.size()));
    require_parameter(
        std::all_of(values.begin(), values.end(), [](double v) { return std::isfinite(v); }),
        "plot colour values", "finite values", "NaN or infinity");
    require_parameter(description.width >= 320 && description.width <= 20000, "plot width",
                      "320 <= width <= 20000", std::to_string(description.width));
    require_parameter(description.height >= 240 && description.height <= 20000, "plot height",
                      "240 <= height <= 20000", std::to_string(description.height));
    require_parameter(description.alpha >= 0.0 && description.alpha <= 1.0, "plot alpha",
                      "0 <= alpha <= 1 (0: automatic)", fmt::format("{}", description.alpha));
    require_parameter(description.radius >= 0.0 && description.radius <= 100.0, "plot radius",
                      "0 <= radius <= 100 (0: automatic)", fmt::format("{}", description.radius));
}

void check_size(PlotFormat format, Index n, const std::filesystem::path& shown) {
    if (format == PlotFormat::svg && n > svg_max_points) {
        throw ParameterError(fmt::format(
            "{}: an SVG holds one element per point, and is limited to {} points (got {}); use "
            ".png for more",
            detail::shown(shown), svg_max_points, n));
    }
}

}  // namespace

std::optional<PlotFormat> plot_format(const std::filesystem::path& path) {
    const std::string name = detail::lowercase_filename(path);
    if (detail::ends_with(name, ".png")) {
        return PlotFormat::png;
    }
    if (detail::ends_with(name, ".svg")) {
        return PlotFormat::svg;
    }
    return std::nullopt;
}

void check_plot_size(const std::filesystem::path& path, Index n) {
    if (const std::optional<PlotFormat> format = plot_format(path)) {
        check_size(*format, n, path);
    }
}

Colour category_colour(std::size_t index) {
    return palette[index % palette.size()];
}

Colour continuous_colour(double t) {
    t = std::isnan(t) ? 0.0 : std::clamp(t, 0.0, 1.0);
    const double position = t * static_cast<double>(colour_map.size() - 1);
    const auto k = std::min(static_cast<std::size_t>(position), colour_map.size() - 2);
    const double f = position - static_cast<double>(k);
    const Colour& a = colour_map[k];
    const Colour& b = colour_map[k + 1];
    return {a.red + f * (b.red - a.red), a.green + f * (b.green - a.green),
            a.blue + f * (b.blue - a.blue)};
}

double point_radius(Index n) {
    return std::clamp(18.0 / std::pow(static_cast<double>(std::max<Index>(n, 1)), 0.25), 0.5, 4.0);
}

double point_alpha(Index n) {
    return std::clamp(0.9 * std::pow(2000.0 / static_cast<double>(std::max<Index>(n, 1)), 0.35),
                      0.08, 0.9);
}

std::vector<Index> drawing_order(Index n, std::uint64_t seed) {
    std::vector<Index> order(static_cast<std::size_t>(n));
    std::iota(order.begin(), order.end(), Index{0});
    // Fisher-Yates with our own index draw, so that the order is the same with any standard
    // library (std::shuffle's is unspecified).
    std::mt19937_64 random(seed);
    for (std::size_t i = order.size(); i > 1; --i) {
        const std::size_t j = static_cast<std::size_t>(random() % i);
        std::swap(order[i - 1], order[j]);
    }
    return order;
}

std::vector<double> nice_ticks(double low, double high, int target) {
    require_parameter(low < high && std::isfinite(low) && std::isfinite(high), "tick range",
                      "finite low < high", fmt::format("[{}, {}]", low, high));
    // The step: 1, 2 or 5 times a power of ten, the closest to (high - low) / target.
    const double rough = (high - low) / std::max(target, 1);
    const double power = std::pow(10.0, std::floor(std::log10(rough)));
    double step = 10.0 * power;
    for (const double multiple : {1.0, 2.0, 5.0}) {
        if (rough <= multiple * power * 1.5) {
            step = multiple * power;
            break;
        }
    }
    std::vector<double> ticks;
    for (double k = std::ceil(low / step - 1e-9); k * step <= high + 1e-9 * step; k += 1.0) {
        ticks.push_back(k * step);
    }
    return ticks;
}

std::string tick_text(double value, double step) {
    if (std::abs(value) < 1e-9 * step) {
        value = 0.0;
    }
    if (step >= 1.0 && std::abs(value) < 1e15) {
        return fmt::format("{:.0f}", value);
    }
    const double magnitude = std::max(std::abs(value), step);
    const int digits = static_cast<int>(std::ceil(std::log10(magnitude / step))) + 1;
    return fmt::format("{:.{}g}", value, std::clamp(digits, 6, 17));
}

PlotFrame plot_frame(const DenseMatrix& points, const PlotDescription& description) {
    PlotFrame frame;
    const double right = description.colouring.values.empty() ? margin_right_plain : side_panel;
    frame.left = margin_left;
    frame.top = margin_top;
    frame.width = description.width - margin_left - right;
    frame.height = description.height - margin_top - margin_bottom;
    if (points.rows() == 0) {
        return frame;
    }
    const auto pad = [](double low, double high) {
        if (!(low < high)) {
            const double half = std::max(0.5, 0.1 * std::abs(low));
            return std::pair{low - half, high + half};
        }
        return std::pair{low - padding * (high - low), high + padding * (high - low)};
    };
    std::tie(frame.x_min, frame.x_max) = pad(points.col(0).minCoeff(), points.col(0).maxCoeff());
    std::tie(frame.y_min, frame.y_max) = pad(points.col(1).minCoeff(), points.col(1).maxCoeff());
    return frame;
}

void write_plot(std::ostream& out, PlotFormat format, const DenseMatrix& points,
                const PlotDescription& description, const std::filesystem::path& shown) {
    validate(points, description);
    check_size(format, points.rows(), shown);
    if (format == PlotFormat::svg) {
        std::string svg;
        {
            Surface surface(cairo_svg_surface_create_for_stream(
                                append_to_string, &svg, description.width, description.height),
                            cairo_surface_destroy);
            cairo_svg_surface_restrict_to_version(surface.get(), CAIRO_SVG_VERSION_1_1);
            Context cr(cairo_create(surface.get()), cairo_destroy);
            draw(cr.get(), points, description);
            require_success(cairo_status(cr.get()), shown);
            cairo_surface_finish(surface.get());
            require_success(cairo_surface_status(surface.get()), shown);
        }
        const ColourPlan plan = plan_colours(description.colouring, points.rows());
        svg = with_title(std::move(svg), description, plan, shown);
        out.write(svg.data(), static_cast<std::streamsize>(svg.size()));
        return;
    }
    Surface surface(
        cairo_image_surface_create(CAIRO_FORMAT_RGB24, description.width, description.height),
        cairo_surface_destroy);
    Context cr(cairo_create(surface.get()), cairo_destroy);
    draw(cr.get(), points, description);
    require_success(cairo_status(cr.get()), shown);
    cairo_surface_flush(surface.get());
    const cairo_status_t written =
        cairo_surface_write_to_png_stream(surface.get(), write_to_stream, &out);
    if (written == CAIRO_STATUS_WRITE_ERROR) {
        detail::fail(shown, "cannot write");
    }
    require_success(written, shown);
}

void write_plot(OutputSet& output, const std::filesystem::path& path, const DenseMatrix& points,
                const PlotDescription& description) {
    const std::optional<PlotFormat> format = plot_format(path);
    if (!format) {
        throw ParameterError(detail::shown(path) +
                             ": unsupported plot extension (use .png or .svg)");
    }
    check_plot_size(path, points.rows());
    validate(points, description);
    output.add(path,
               [&](std::ostream& out) { write_plot(out, *format, points, description, path); });
}

void write_plot(const std::filesystem::path& path, const DenseMatrix& points,
                const PlotDescription& description) {
    OutputSet output;
    write_plot(output, path, points, description);
    output.commit();
}

EmbeddingPlot embedding_plot(const DenseMatrix& coordinates, const std::vector<Index>& rows,
                             Index input_points, const std::vector<double>& labels, Method method,
                             Index n_neighbors) {
    const Index m = coordinates.rows();
    const Index d = coordinates.cols();
    require_parameter(d >= 1, "embedding dimension", ">= 1", std::to_string(d));
    require_parameter(
        rows.empty() ? m == input_points : static_cast<Index>(rows.size()) == m, "embedded rows",
        "one per coordinate row (" + std::to_string(m) + ")",
        std::to_string(rows.empty() ? input_points : static_cast<Index>(rows.size())));
    require_parameter(labels.empty() || static_cast<Index>(labels.size()) == input_points, "labels",
                      "one per input row (" + std::to_string(input_points) + ")",
                      std::to_string(labels.size()));
    const auto input_row = [&](Index i) { return rows.empty() ? i : rows[i]; };

    EmbeddingPlot plot;
    PlotDescription& description = plot.description;
    plot.points.resize(m, 2);
    if (d == 1) {
        // One coordinate: plotted against the point's input row, as a sequence.
        for (Index i = 0; i < m; ++i) {
            plot.points(i, 0) = static_cast<double>(input_row(i));
        }
        plot.points.col(1) = coordinates.col(0);
        description.x_label = "input row";
        description.y_label = "coordinate 1";
    } else {
        plot.points = coordinates.leftCols(2);
    }

    PlotColouring& colouring = description.colouring;
    if (!labels.empty()) {
        colouring.categorical = true;
        colouring.name = "label";
        colouring.values.reserve(static_cast<std::size_t>(m));
        for (Index i = 0; i < m; ++i) {
            colouring.values.push_back(labels[static_cast<std::size_t>(input_row(i))]);
        }
    } else {
        colouring.name = "coordinate 1";
        colouring.values.assign(coordinates.col(0).data(), coordinates.col(0).data() + m);
    }

    description.title = display_name(method) + ": ";
    description.title += m == input_points
                             ? fmt::format("n = {}", input_points)
                             : fmt::format("{} of n = {} points embedded", m, input_points);
    description.title += fmt::format(", k = {}", n_neighbors);
    if (d == 1) {
        description.title += ", d = 1";
    } else if (d > 2) {
        description.title += fmt::format(", d = {} (coordinates 1 and 2)", d);
    }
    return plot;
}

}  // namespace lle::io
