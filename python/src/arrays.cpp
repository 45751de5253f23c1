#include "arrays.hpp"

#include <cstdint>
#include <cstring>
#include <string>

namespace lle::python {

namespace {

/// Whether an array of `Scalar` can be read in place: aligned, each row contiguous, rows at a
/// positive stride. Strides along an axis of length 0 or 1 never matter (NumPy may give any).
template <typename Scalar>
bool engine_layout(const py::array& array) {
    constexpr auto item = static_cast<py::ssize_t>(sizeof(Scalar));
    if (reinterpret_cast<std::uintptr_t>(array.data()) % alignof(Scalar) != 0) {
        return false;
    }
    if (array.shape(1) > 1 && array.strides(1) != item) {
        return false;
    }
    return array.shape(0) <= 1 || (array.strides(0) > 0 && array.strides(0) % item == 0);
}

/// `array` itself when the engine can read it as `Scalar` in place, else a C-ordered copy of
/// that dtype; `copied` says which.
template <typename Scalar>
py::array engine_array(const py::array& array, const char* name, bool& copied) {
    copied = false;
    if (py::isinstance<py::array_t<Scalar>>(array) && engine_layout<Scalar>(array)) {
        return array;
    }
    py::array converted =
        py::array_t<Scalar, py::array::c_style | py::array::forcecast>::ensure(array);
    if (!converted) {
        throw py::value_error(std::string(name) + " cannot be converted to " +
                              (sizeof(Scalar) == 4 ? "float32" : "float64") + " (dtype " +
                              py::str(array.dtype()).cast<std::string>() + ")");
    }
    if (!engine_layout<Scalar>(converted)) {
        // Only an unaligned C-ordered array of the dtype comes back from ensure() as it was.
        py::array_t<Scalar> aligned({array.shape(0), array.shape(1)});
        std::memcpy(aligned.mutable_data(), converted.data(),
                    static_cast<std::size_t>(converted.nbytes()));
        converted = std::move(aligned);
    }
    copied = true;
    return converted;
}

template <typename Scalar>
PointsViewOf<Scalar> view_of(const void* data, Index rows, Index cols, Index row_stride) {
    using Stride = Eigen::Stride<Eigen::Dynamic, 1>;
    using Map = Eigen::Map<const PointMatrixOf<Scalar>, Eigen::Unaligned, Stride>;
    return PointsViewOf<Scalar>(
        Map(static_cast<const Scalar*>(data), rows, cols, Stride(row_stride, 1)));
}

}  // namespace

Points::Points(const py::array& array, const char* name, Precision precision)
    : precision_(precision) {
    if (array.ndim() != 2) {
        throw py::value_error(std::string(name) + " must be a 2-dimensional array, got " +
                              std::to_string(array.ndim()) + " dimension(s)");
    }
    rows_ = static_cast<Index>(array.shape(0));
    cols_ = static_cast<Index>(array.shape(1));
    const bool single = precision == Precision::float32;
    array_ = single ? engine_array<float>(array, name, copied_)
                    : engine_array<double>(array, name, copied_);
    data_ = array_.data();
    const auto item = static_cast<py::ssize_t>(single ? sizeof(float) : sizeof(double));
    row_stride_ = rows_ > 1 ? static_cast<Index>(array_.strides(0) / item) : cols_;
}

PointsView Points::view() const {
    return view_of<double>(data_, rows_, cols_, row_stride_);
}

PointsViewF Points::view_single() const {
    return view_of<float>(data_, rows_, cols_, row_stride_);
}

py::array read_only_view(const PointMatrix& matrix, py::handle owner) {
    const auto rows = static_cast<py::ssize_t>(matrix.rows());
    const auto cols = static_cast<py::ssize_t>(matrix.cols());
    constexpr auto item_size = static_cast<py::ssize_t>(sizeof(double));
    py::array_t<double> view({rows, cols}, {cols * item_size, item_size}, matrix.data(), owner);
    py::detail::array_proxy(view.ptr())->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
    return view;
}

}  // namespace lle::python
