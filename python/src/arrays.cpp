#include "arrays.hpp"

#include <cstdint>
#include <cstring>
#include <string>

namespace lle::python {

namespace {

constexpr auto item_size = static_cast<py::ssize_t>(sizeof(double));

/// Whether a float64 array can be read in place: aligned, each row contiguous, rows at a
/// positive stride. Strides along an axis of length 0 or 1 never matter (NumPy may give any).
bool engine_layout(const py::array& array) {
    if (reinterpret_cast<std::uintptr_t>(array.data()) % alignof(double) != 0) {
        return false;
    }
    if (array.shape(1) > 1 && array.strides(1) != item_size) {
        return false;
    }
    return array.shape(0) <= 1 || (array.strides(0) > 0 && array.strides(0) % item_size == 0);
}

}  // namespace

Points::Points(const py::array& array, const char* name) {
    if (array.ndim() != 2) {
        throw py::value_error(std::string(name) + " must be a 2-dimensional array, got " +
                              std::to_string(array.ndim()) + " dimension(s)");
    }
    rows_ = static_cast<Index>(array.shape(0));
    cols_ = static_cast<Index>(array.shape(1));
    if (py::isinstance<py::array_t<double>>(array) && engine_layout(array)) {
        array_ = array;
    } else {
        array_ = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(array);
        if (!array_) {
            throw py::value_error(std::string(name) + " cannot be converted to float64 (dtype " +
                                  py::str(array.dtype()).cast<std::string>() + ")");
        }
        if (!engine_layout(array_)) {
            // Only an unaligned C-ordered float64 array comes back from ensure() as it was.
            py::array_t<double> aligned({array.shape(0), array.shape(1)});
            std::memcpy(aligned.mutable_data(), array_.data(),
                        static_cast<std::size_t>(array_.nbytes()));
            array_ = std::move(aligned);
        }
        copied_ = true;
    }
    data_ = static_cast<const double*>(array_.data());
    row_stride_ = rows_ > 1 ? static_cast<Index>(array_.strides(0) / item_size) : cols_;
}

PointsView Points::view() const {
    using Stride = Eigen::Stride<Eigen::Dynamic, 1>;
    using Map = Eigen::Map<const PointMatrix, Eigen::Unaligned, Stride>;
    return PointsView(Map(data_, rows_, cols_, Stride(row_stride_, 1)));
}

py::array read_only_view(const PointMatrix& matrix, py::handle owner) {
    const auto rows = static_cast<py::ssize_t>(matrix.rows());
    const auto cols = static_cast<py::ssize_t>(matrix.cols());
    py::array_t<double> view({rows, cols}, {cols * item_size, item_size}, matrix.data(), owner);
    py::detail::array_proxy(view.ptr())->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
    return view;
}

}  // namespace lle::python
