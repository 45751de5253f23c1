#pragma once

/// \file
/// Matrix and graph types shared by every stage of the pipeline.

#include <Eigen/Core>
#include <Eigen/SparseCore>

namespace lle {

using Index = Eigen::Index;

/// Points as rows: `n x D`, each point contiguous in memory.
using PointMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// Read-only view of a point matrix owned by the caller (`n x D`, row-major, any row stride).
using PointsView = Eigen::Ref<const PointMatrix, 0, Eigen::Stride<Eigen::Dynamic, 1>>;

/// Dense column-major matrix, used for embeddings (`n x d`) and eigenvectors.
using DenseMatrix = Eigen::MatrixXd;

/// Sparse matrix with rows stored contiguously (compressed sparse row).
using SparseRowMatrix = Eigen::SparseMatrix<double, Eigen::RowMajor, int>;

/// Sparse symmetric matrix in compressed sparse column form, both triangles stored.
using SparseSymmetricMatrix = Eigen::SparseMatrix<double, Eigen::ColMajor, int>;

/// Integer matrix with one row per point, e.g. the neighbour indices (`n x k`).
using IndexMatrix = Eigen::Matrix<Index, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

}  // namespace lle
