#pragma once

/// \file
/// A fitted embedding kept for mapping new points into it (out-of-sample extension).

#include "lle/base/types.hpp"
#include "lle/methods/embed.hpp"

namespace lle {

/// What transform() needs: the training points, their coordinates and how they were made.
struct Model {
    Method method = Method::standard;
    Index n_neighbors = 5;
    double reg = 1e-3;
    double hessian_tol = 1e-4;
    double modified_tol = 1e-12;
    PointMatrix training_points;  ///< `n x D`
    PointMatrix embedding;        ///< `n x d`: row i is the embedding of training point i
};

/// Keeps a copy of `points` and of the result's coordinates with the parameters that made them.
Model make_model(PointsView points, const Parameters& parameters, const Result& result);

/// The same for single-precision points, converted once to the model's double (a model, and
/// the model file written from it, always holds double training points).
Model make_model(PointsViewF points, const Parameters& parameters, const Result& result);

/// Maps new points into a fitted embedding.
///
/// Each point `x` is reconstructed from its k nearest training points `y_j` with the same
/// regularised barycentric weights as standard LLE's first step (`reg` from the model), and
/// mapped to `sum_j w_j z_j`, the same combination of their coordinates. A point equal to a
/// training point maps exactly to that point's coordinates (the first such point, by index).
/// The mapping is the same whatever the method that made the embedding: for modified, Hessian
/// and LTSA embeddings it interpolates the training coordinates linearly within each
/// neighbourhood, as scikit-learn's `transform` does for every method.
///
/// \param points  `m x D`, the same D as the training points (ParameterError otherwise).
/// \return `m x d` coordinates.
PointMatrix transform(const Model& model, PointsView points);

}  // namespace lle
