#pragma once

/// \file
/// The library's exceptions. They are thrown only for the caller's mistakes: invalid parameters,
/// input data that cannot be processed, or a run too large for the memory the caller allows.
/// Numerical outcomes (a regularised Gram matrix, an eigensolver that did not converge) are
/// reported as a status on the result instead.

#include <stdexcept>
#include <string>

#include "lle/base/types.hpp"

namespace lle {

/// Base of every exception the library throws.
class Error : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

/// A parameter breaks a rule; the message names the parameter, the rule and the value given.
class ParameterError : public Error {
  public:
    using Error::Error;
};

/// The input data cannot be processed (NaN, infinity, wrong shape, unreadable file); the
/// message says where.
class DataError : public Error {
  public:
    using Error::Error;
};

/// The run would need more memory than the caller allows; the message gives the estimate, the
/// limit and the option that would fit.
class ResourceError : public Error {
  public:
    using Error::Error;
};

/// The caller asked the run to stop: its `interrupted` callback (Parameters, EigenOptions)
/// returned true.
class Interrupted : public Error {
  public:
    using Error::Error;
};

/// Throws ParameterError with "`name` must satisfy `rule` (got `value`)" unless `ok`.
void require_parameter(bool ok, const std::string& name, const std::string& rule,
                       const std::string& value);

/// The same for a number, written by number_text().
void require_parameter(bool ok, const std::string& name, const std::string& rule, double value);

/// A number as a message shows it: six significant digits, in exponent form where that is
/// shorter (1e-12 and 1e+308, where std::to_string writes 0.000000 and 309 digits).
std::string number_text(double value);

/// Throws DataError naming the row and column of the first NaN or infinite coordinate, or when
/// squared distances between the points, up to D (2 max |x|)^2, would overflow.
void require_finite_points(PointsView points);

/// The same for single-precision points. The bound is single precision's: a neighbour search on
/// such points forms squared norms and dot products in `float`, so `D (2 max |x|)^2` must stay
/// below `FLT_MAX` (about 3.4e38).
void require_finite_points(PointsViewF points);

}  // namespace lle
