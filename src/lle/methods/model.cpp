#include "lle/methods/model.hpp"

#include "lle/base/error.hpp"
#include "lle/neighbors/knn.hpp"
#include "lle/weights/barycentric.hpp"

namespace lle {

namespace {

/// make_model() for points of either precision: the one copy is made in double.
template <typename Scalar>
Model model_of(PointsViewOf<Scalar> points, const Parameters& parameters, const Result& result) {
    Model model;
    model.method = parameters.method;
    model.n_neighbors = parameters.n_neighbors;
    model.reg = parameters.reg;
    model.hessian_tol = parameters.hessian_tol;
    model.modified_tol = parameters.modified_tol;
    if (result.rows.empty()) {
        model.training_points = points.template cast<double>();
    } else {
        // Only some rows were embedded (the largest component): the model holds those.
        model.training_points.resize(static_cast<Index>(result.rows.size()), points.cols());
        for (std::size_t r = 0; r < result.rows.size(); ++r) {
            model.training_points.row(static_cast<Index>(r)) =
                points.row(result.rows[r]).template cast<double>();
        }
    }
    model.embedding = result.coordinates;
    return model;
}

}  // namespace

Model make_model(PointsView points, const Parameters& parameters, const Result& result) {
    return model_of<double>(points, parameters, result);
}

Model make_model(PointsViewF points, const Parameters& parameters, const Result& result) {
    return model_of<float>(points, parameters, result);
}

PointMatrix transform(const Model& model, PointsView points) {
    const Index n = model.training_points.rows();
    require_parameter(model.embedding.rows() == n, "model embedding",
                      "one row per training point (" + std::to_string(n) + ")",
                      std::to_string(model.embedding.rows()) + " rows");
    require_parameter(
        points.cols() == model.training_points.cols(), "points",
        "D = " + std::to_string(model.training_points.cols()) + " columns, as the training points",
        std::to_string(points.cols()) + " columns");
    if (points.rows() == 0) {
        return PointMatrix(0, model.embedding.cols());
    }

    const neighbors::NeighborGraph graph =
        neighbors::k_nearest_among(model.training_points, points, model.n_neighbors);
    // The closed form, whatever solver made the embedding: both give the same weights.
    const PointMatrix weights = weights::barycentric_weights(points, model.training_points,
                                                             graph.indices, {.reg = model.reg})
                                    .values;

    // y_i = sum_j w_ij z_{N(i)_j}, or z of an identical training point.
    PointMatrix mapped = PointMatrix::Zero(points.rows(), model.embedding.cols());
#pragma omp parallel for schedule(static)
    for (Index i = 0; i < points.rows(); ++i) {
        if (graph.distances(i, 0) == 0.0) {
            mapped.row(i) = model.embedding.row(graph.indices(i, 0));
            continue;
        }
        for (Index j = 0; j < graph.k(); ++j) {
            mapped.row(i) += weights(i, j) * model.embedding.row(graph.indices(i, j));
        }
    }
    return mapped;
}

}  // namespace lle
