#pragma once

/// \file
/// Matrix and graph types shared by every stage of the pipeline.

#include <Eigen/Core>
#include <Eigen/SparseCore>

namespace lle {

using Index = Eigen::Index;

/// Points as rows, `n x D`, each point contiguous in memory, with coordinates of type `Scalar`
/// (`double` or `float`).
template <typename Scalar>
using PointMatrixOf = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// Read-only view of a point matrix owned by the caller (`n x D`, row-major, any row stride).
template <typename Scalar>
using PointsViewOf = Eigen::Ref<const PointMatrixOf<Scalar>, 0, Eigen::Stride<Eigen::Dynamic, 1>>;

/// Points in double precision: the default input, and every matrix computed from points.
using PointMatrix = PointMatrixOf<double>;

/// Read-only view of double-precision points.
using PointsView = PointsViewOf<double>;

/// Points in single precision: half the memory of PointMatrix. The library reads such points
/// (neighbour search, local neighbourhoods) but computes everything from them in double.
using PointMatrixF = PointMatrixOf<float>;

/// Read-only view of single-precision points.
using PointsViewF = PointsViewOf<float>;

/// Dense column-major matrix, used for embeddings (`n x d`) and eigenvectors.
using DenseMatrix = Eigen::MatrixXd;

/// Sparse matrix with rows stored contiguously (compressed sparse row).
using SparseRowMatrix = Eigen::SparseMatrix<double, Eigen::RowMajor, int>;

/// Sparse symmetric matrix in compressed sparse column form, both triangles stored.
using SparseSymmetricMatrix = Eigen::SparseMatrix<double, Eigen::ColMajor, int>;

/// Integer matrix with one row per point, e.g. the neighbour indices (`n x k`).
using IndexMatrix = Eigen::Matrix<Index, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

}  // namespace lle
