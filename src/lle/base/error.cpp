#include "lle/base/error.hpp"

#include <cmath>
#include <limits>
#include <sstream>
#include <type_traits>

namespace lle {

void require_parameter(bool ok, const std::string& name, const std::string& rule,
                       const std::string& value) {
    if (!ok) {
        throw ParameterError(name + " must satisfy " + rule + " (got " + value + ")");
    }
}

void require_parameter(bool ok, const std::string& name, const std::string& rule, double value) {
    require_parameter(ok, name, rule, number_text(value));
}

std::string number_text(double value) {
    std::ostringstream text;
    text << value;
    return text.str();
}

namespace {

template <typename Scalar>
void require_finite(PointsViewOf<Scalar> points) {
    if (!points.allFinite()) {
        for (Index i = 0; i < points.rows(); ++i) {
            for (Index d = 0; d < points.cols(); ++d) {
                if (!std::isfinite(points(i, d))) {
                    throw DataError("points must be finite: row " + std::to_string(i) +
                                    ", column " + std::to_string(d) + " holds " +
                                    number_text(static_cast<double>(points(i, d))));
                }
            }
        }
    }
    const auto largest = static_cast<double>(points.cwiseAbs().maxCoeff());
    const auto dimension = static_cast<double>(points.cols());
    if (!(4.0 * largest * largest * dimension <
          static_cast<double>(std::numeric_limits<Scalar>::max()))) {
        throw DataError(
            "points must be small enough for squared distances to stay finite: "
            "largest |coordinate| is " +
            number_text(largest) + " in " + std::to_string(points.cols()) + " dimensions" +
            (std::is_same_v<Scalar, float> ? " (single precision)" : ""));
    }
}

}  // namespace

void require_finite_points(PointsView points) {
    require_finite<double>(points);
}

void require_finite_points(PointsViewF points) {
    require_finite<float>(points);
}

}  // namespace lle
