#include "io/diagnostics_csv.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "lle/base/error.hpp"

namespace lle::io {
namespace {

weights::LocalFitDiagnostics two_points() {
    weights::LocalFitDiagnostics diagnostics;
    diagnostics.residual.resize(2);
    diagnostics.condition.resize(2);
    diagnostics.regularised.resize(2);
    diagnostics.kth_distance.resize(2);
    diagnostics.residual << 0.1, 1.0 / 3.0;
    diagnostics.condition << 4.0, std::numeric_limits<double>::infinity();
    diagnostics.regularised << false, true;
    diagnostics.kth_distance << 2.0, 1e-300;
    return diagnostics;
}

std::string written(const weights::LocalFitDiagnostics& diagnostics,
                    const std::vector<double>& labels = {}) {
    std::ostringstream out;
    write_diagnostics_csv(out, diagnostics, labels);
    return out.str();
}

TEST(DiagnosticsCsv, HeaderThenOneLinePerPoint) {
    EXPECT_EQ(written(two_points()),
              "row,residual,condition,regularised,kth_distance\n"
              "0,0.1,4,0,2\n"
              "1,0.3333333333333333,inf,1,1e-300\n");
}

TEST(DiagnosticsCsv, LabelsInALastColumn) {
    EXPECT_EQ(written(two_points(), {7.0, -0.5}),
              "row,residual,condition,regularised,kth_distance,label\n"
              "0,0.1,4,0,2,7\n"
              "1,0.3333333333333333,inf,1,1e-300,-0.5\n");
}

TEST(DiagnosticsCsv, NoPointsGiveTheHeaderAlone) {
    EXPECT_EQ(written(weights::LocalFitDiagnostics()),
              "row,residual,condition,regularised,kth_distance\n");
}

TEST(DiagnosticsCsv, LabelsMustMatchThePoints) {
    EXPECT_THROW(written(two_points(), {1.0}), ParameterError);
}

}  // namespace
}  // namespace lle::io
