#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include <nanoflann.hpp>

#include "lle/neighbors/exact_distance.hpp"
#include "lle/neighbors/knn.hpp"

namespace lle::neighbors::detail {

namespace {

/// nanoflann dataset adaptor over the caller's row-major points; it holds a pointer, not a copy.
template <typename Scalar>
class RowMajorPoints {
  public:
    explicit RowMajorPoints(PointsViewOf<Scalar> points)
        : data_(points.data()),
          count_(points.rows()),
          dimension_(points.cols()),
          stride_(points.outerStride()) {}

    const Scalar* row(std::size_t i) const { return data_ + static_cast<Index>(i) * stride_; }
    Index dimension() const { return dimension_; }

    std::size_t kdtree_get_point_count() const { return static_cast<std::size_t>(count_); }
    Scalar kdtree_get_pt(std::size_t i, std::size_t d) const { return row(i)[d]; }

    /// The tree computes its own bounding box.
    template <class BoundingBox>
    bool kdtree_get_bbox(BoundingBox& /*box*/) const {
        return false;
    }

  private:
    const Scalar* data_;
    Index count_;
    Index dimension_;
    Index stride_;
};

/// Squared Euclidean metric for nanoflann that evaluates point distances with
/// `squared_distance`, so the tree ranks by the same doubles as every other algorithm.
/// `Dim > 0` fixes the dimension at compile time (the loop unrolls, the sum order is the same);
/// `Dim = -1` reads it at run time. Distances are doubles whatever the points' `Scalar`.
template <typename Scalar, int Dim>
struct ExactSquaredL2 {
    using ElementType = Scalar;
    using DistanceType = double;

    explicit ExactSquaredL2(const RowMajorPoints<Scalar>& source) : points(source) {}

    double evalMetric(const Scalar* a, std::size_t b, std::size_t /*dimension*/) const {
        return squared_distance(a, points.row(b), Dim > 0 ? Index{Dim} : points.dimension());
    }

    /// Contribution of one coordinate to the squared distance of a query to a cell. nanoflann
    /// passes coordinates and cut values (stored as DistanceType); float ones widen exactly.
    double accum_dist(double a, double b, std::size_t /*dimension*/) const {
        return (a - b) * (a - b);
    }

    const RowMajorPoints<Scalar>& points;
};

template <typename Scalar, int Dim>
using KdTree = nanoflann::KDTreeSingleIndexAdaptor<ExactSquaredL2<Scalar, Dim>,
                                                   RowMajorPoints<Scalar>, Dim, std::size_t>;

/// Leaf size: 10-20 is the usual sweet spot between tree depth and the linear scan per leaf.
constexpr std::size_t leaf_size = 16;

/// Relative widening of the pruning radius. A cell's squared distance, which nanoflann updates
/// incrementally (`m <- m + cut - old`), and a point's `squared_distance` round differently: the
/// computed `m` of a cell can exceed the computed distance of a point on its boundary by a few
/// ulps per tree level plus about D ulps. Such a point may tie with the current k-th
/// neighbour, so its cell must still be searched. 1e-9 is far above that rounding for any
/// practical depth and D; the widening costs a little extra work, never a different answer.
constexpr double prune_slack = 1.0 + 1e-9;

/// nanoflann result set that keeps the k best neighbours of one query by (squared distance,
/// index), skipping the query's own index.
///
/// nanoflann offers a point only when `dist < worstDist()` and descends into a cell only when
/// its distance is `<= worstDist()`. Once full, worstDist() therefore reports a value strictly
/// above the current k-th distance, so points tying with it are still offered and the index
/// decides; addPoint() then applies the exact (distance, index) order.
class ExclusiveKnnResult {
  public:
    using DistanceType = double;
    using IndexType = std::size_t;
    using CountType = std::size_t;

    /// `heap` is the caller's scratch storage; it is cleared and holds at most `k` entries.
    ExclusiveKnnResult(std::size_t query, std::size_t k, std::vector<Neighbor>& heap)
        : query_(query), k_(k), heap_(heap) {
        heap_.clear();
    }

    std::size_t size() const { return heap_.size(); }
    bool full() const { return heap_.size() == k_; }
    double worstDist() const { return worst_; }

    /// Always returns true: an exact search never stops early.
    bool addPoint(double squared, std::size_t index) {
        if (index == query_) {
            return true;
        }
        const Neighbor candidate{squared, static_cast<Index>(index)};
        if (heap_.size() < k_) {
            heap_.push_back(candidate);
            std::push_heap(heap_.begin(), heap_.end());
        } else if (candidate < heap_.front()) {
            std::pop_heap(heap_.begin(), heap_.end());
            heap_.back() = candidate;
            std::push_heap(heap_.begin(), heap_.end());
        } else {
            return true;
        }
        if (full()) {
            worst_ = std::nextafter(heap_.front().squared_distance * prune_slack,
                                    std::numeric_limits<double>::infinity());
        }
        return true;
    }

    /// The neighbours in increasing (distance, index) order; the result set is spent.
    const std::vector<Neighbor>& sorted() {
        std::sort_heap(heap_.begin(), heap_.end());
        return heap_;
    }

  private:
    std::size_t query_;
    std::size_t k_;
    std::vector<Neighbor>& heap_;  // max-heap on (distance, index): the worst kept is in front
    double worst_ = std::numeric_limits<double>::infinity();
};

/// Sentinel query index for queries that are not reference points: nothing is excluded.
constexpr std::size_t no_exclusion = std::numeric_limits<std::size_t>::max();

/// The k nearest reference points of each query. With `queries` null the queries are the
/// reference points themselves, each excluding its own index, visited in the tree's leaf order
/// (consecutive queries are close in space and walk the same nodes: measured twice as fast as
/// input order for n = 100000, D = 3).
template <typename Scalar, int Dim>
NeighborGraph search(PointsViewOf<Scalar> reference, const PointsViewOf<Scalar>* queries, Index k,
                     ProgressMeter* progress) {
    const RowMajorPoints<Scalar> source(reference);
    const KdTree<Scalar, Dim> tree(static_cast<std::int32_t>(reference.cols()), source,
                                   nanoflann::KDTreeSingleIndexAdaptorParams(leaf_size));
    const Index count = queries != nullptr ? queries->rows() : reference.rows();
    NeighborGraph graph{IndexMatrix(count, k), PointMatrix(count, k)};
    if (progress != nullptr) {
        progress->expect(count);
    }

#pragma omp parallel
    {
        std::vector<Neighbor> heap;
        heap.reserve(static_cast<std::size_t>(k));
        ProgressMeter::Batch counter(progress);
#pragma omp for schedule(dynamic, 256)
        for (Index position = 0; position < count; ++position) {
            counter.advance();
            Index i = position;
            const Scalar* query = nullptr;
            std::size_t excluded = no_exclusion;
            if (queries != nullptr) {
                query = queries->row(i).data();
            } else {
                i = static_cast<Index>(tree.vAcc[static_cast<std::size_t>(position)]);
                query = source.row(static_cast<std::size_t>(i));
                excluded = static_cast<std::size_t>(i);
            }
            ExclusiveKnnResult result(excluded, static_cast<std::size_t>(k), heap);
            tree.findNeighbors(result, query, nanoflann::SearchParams());
            store_row(graph, i, result.sorted());
        }
    }
    return graph;
}

/// Dispatches to a tree specialised at compile time for the common low dimensions.
template <typename Scalar>
NeighborGraph search_any_dimension(PointsViewOf<Scalar> reference,
                                   const PointsViewOf<Scalar>* queries, Index k,
                                   ProgressMeter* progress = nullptr) {
    switch (reference.cols()) {
        case 2:
            return search<Scalar, 2>(reference, queries, k, progress);
        case 3:
            return search<Scalar, 3>(reference, queries, k, progress);
        default:
            return search<Scalar, -1>(reference, queries, k, progress);
    }
}

}  // namespace

NeighborGraph kd_tree_neighbors(PointsView points, Index k, ProgressMeter* progress) {
    return search_any_dimension<double>(points, nullptr, k, progress);
}

NeighborGraph kd_tree_neighbors(PointsViewF points, Index k, ProgressMeter* progress) {
    return search_any_dimension<float>(points, nullptr, k, progress);
}

NeighborGraph kd_tree_query(PointsView reference, PointsView queries, Index k) {
    return search_any_dimension<double>(reference, &queries, k);
}

NeighborGraph kd_tree_query(PointsViewF reference, PointsViewF queries, Index k) {
    return search_any_dimension<float>(reference, &queries, k);
}

}  // namespace lle::neighbors::detail
