#pragma once

/// \file
/// NumPy arrays in and out of the engine: points read in place where their layout allows it,
/// results handed to NumPy without a copy.

#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include "lle/base/types.hpp"

namespace lle::python {

namespace py = pybind11;

/// The precision the engine reads points in.
enum class Precision {
    float64,  ///< lle::PointsView
    float32,  ///< lle::PointsViewF: half the memory
};

/// A 2-dimensional array of points as the engine reads them (lle::PointsView, or
/// lle::PointsViewF in single precision).
///
/// The engine reads rows of the chosen precision, each row contiguous, rows any positive number
/// of elements apart. An array already laid out that way (that dtype in native byte order and
/// aligned: a C-ordered array, a slice of its rows such as `X[::2]`, a slice of its columns
/// such as `X[:, :3]`) is read where it is. Any other array (another dtype, integers, Fortran
/// order, a column step, reversed rows, another byte order) is first copied once into a
/// C-ordered array of that precision.
class Points {
  public:
    /// \param array      the points, one per row.
    /// \param name       what messages call the array, e.g. "X".
    /// \param precision  the precision the engine reads.
    /// \throws ValueError (pybind11::value_error) when `array` is not 2-dimensional or its
    /// values cannot be converted to that precision.
    Points(const py::array& array, const char* name, Precision precision = Precision::float64);

    /// The engine's view of float64 points; valid while this object lives. Only for
    /// Precision::float64.
    PointsView view() const;

    /// The engine's view of float32 points; valid while this object lives. Only for
    /// Precision::float32.
    PointsViewF view_single() const;

    /// Calls `function` with view() or view_single(), whichever the precision gives, and
    /// returns its result.
    template <typename Function>
    decltype(auto) visit(Function&& function) const {
        return precision_ == Precision::float32 ? function(view_single()) : function(view());
    }

    /// Address of the first value the engine reads.
    const void* data() const { return data_; }

    /// Whether the points were copied, rather than read in the caller's array.
    bool copied() const { return copied_; }

  private:
    py::array array_;  ///< the memory viewed: the caller's array, or the copy
    const void* data_ = nullptr;
    Precision precision_ = Precision::float64;
    Index rows_ = 0;
    Index cols_ = 0;
    Index row_stride_ = 0;  ///< elements from one row's start to the next
    bool copied_ = false;
};

/// A NumPy array that owns `matrix` (moved in, not copied); the matrix is freed with the
/// array. Works for Eigen vectors (1-dimensional result) and matrices of either storage order.
template <typename Matrix>
py::array adopt(Matrix&& matrix) {
    using Owned = std::decay_t<Matrix>;
    using Scalar = typename Owned::Scalar;
    auto owned = std::make_unique<Owned>(std::forward<Matrix>(matrix));
    const auto item = static_cast<py::ssize_t>(sizeof(Scalar));
    const auto rows = static_cast<py::ssize_t>(owned->rows());
    const auto cols = static_cast<py::ssize_t>(owned->cols());
    std::vector<py::ssize_t> shape;
    std::vector<py::ssize_t> strides;
    if constexpr (Owned::IsVectorAtCompileTime) {
        shape = {rows * cols};
        strides = {item};
    } else if constexpr (Owned::IsRowMajor) {
        shape = {rows, cols};
        strides = {cols * item, item};
    } else {
        shape = {rows, cols};
        strides = {item, rows * item};
    }
    const Scalar* data = owned->data();
    py::capsule owner(owned.get(), [](void* pointer) { delete static_cast<Owned*>(pointer); });
    static_cast<void>(owned.release());  // the capsule owns it now
    return py::array_t<Scalar>(shape, strides, data, owner);
}

/// A read-only NumPy view of `matrix`, which `owner` (a Python object) keeps alive.
py::array read_only_view(const PointMatrix& matrix, py::handle owner);

}  // namespace lle::python
