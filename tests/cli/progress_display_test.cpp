#include "cli/progress_display.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>

#include <stdlib.h>
#include <unistd.h>

namespace lle::cli {
namespace {

/// What a display writes, read back from a temporary file opened for appending: its writes
/// land at the end whatever the reads do meanwhile.
class Written {
  public:
    Written() : file_(open_appending(), &std::fclose) {}
    std::FILE* file() { return file_.get(); }
    std::string text() {
        std::fflush(file_.get());
        std::rewind(file_.get());
        std::string text;
        for (int c; (c = std::fgetc(file_.get())) != EOF;) {
            text.push_back(static_cast<char>(c));
        }
        return text;
    }

  private:
    static std::FILE* open_appending() {
        char name[] = "/tmp/lle-progress-XXXXXX";
        const int descriptor = mkstemp(name);
        EXPECT_GE(descriptor, 0);
        unlink(name);
        return fdopen(descriptor, "a+");
    }

    std::unique_ptr<std::FILE, int (*)(std::FILE*)> file_;
};

bool ends_with(const std::string& text, const std::string& end) {
    return text.size() >= end.size() &&
           text.compare(text.size() - end.size(), end.size(), end) == 0;
}

constexpr const char* erase = "\r\033[K";

void wait_seconds(double seconds) {
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
}

TEST(ProgressDisplay, OffATerminalWritesOneLinePerPhaseAndNoBar) {
    Written out;
    {
        ProgressDisplay display(out.file(), false, 0.01);
        display({"weights", "points", 50, 100, 2.0, false});
        display({"eigensolve", "factorising", 0, 0, 5.0, false});
        wait_seconds(0.05);
        display({"eigensolve", {}, 0, 0, 6.25, true});
    }
    EXPECT_EQ(out.text(), "lle: eigensolve 6.250 s\n");
}

TEST(ProgressDisplay, AStepThatReportsNothingWhileItRunsStillShowsItsTime) {
    Written out;
    {
        ProgressDisplay display(out.file(), true, 0.5);
        display({"eigensolve", "factorising", 0, 0, 0.0, false});
        EXPECT_EQ(out.text(), "");  // not before the delay
        wait_seconds(1.0);
        // Redrawn by the display's own thread, with the time so far ("<1s" or "1s").
        const std::string text = out.text();
        const std::string line = std::string(erase) + "lle: eigensolve factorising ... ";
        EXPECT_NE(text.find(line), std::string::npos) << text;
        EXPECT_TRUE(ends_with(text, "s")) << text;
        display({"eigensolve", {}, 0, 0, 1.0, true});
    }
    EXPECT_TRUE(ends_with(out.text(), std::string(erase) + "lle: eigensolve 1.000 s\n"))
        << out.text();
}

TEST(ProgressDisplay, ACountedPhaseShowsItsBarRateAndTimeLeft) {
    Written out;
    ProgressDisplay display(out.file(), true, 1.0);
    // Begun 2 s ago, a quarter done: 500 points a second, 6 s left.
    display({"weights", "points", 1000, 4000, 2.0, false});
    const std::string text = out.text();
    EXPECT_NE(text.find("lle: weights [#######.......................]  25% 1000/4000 points, "
                        "500/s, 6s left"),
              std::string::npos)
        << text;
}

TEST(ProgressDisplay, ALineStaysWithinTheTerminalsWidth) {
    Written out;
    ProgressDisplay display(out.file(), true, 1.0, 40);
    display({"weights", "points", 1000, 4000, 2.0, false});
    // 39 characters: the last column stays free, so that the line does not wrap.
    EXPECT_EQ(out.text(), std::string(erase) + "lle: weights [#######" + std::string(18, '.'));
}

TEST(ProgressDisplay, MessagesTakeALineOfTheirOwnUnderTheBar) {
    Written out;
    ProgressDisplay display(out.file(), true, 0.0);
    display({"eigensolve", "ordering", 0, 0, 1.0, false});
    display.message("lle: the LU of A did not serve");
    const std::string text = out.text();
    const std::string expected_start = std::string(erase) + "lle: eigensolve ordering ... 1s" +
                                       erase + "lle: the LU of A did not serve\n" + erase +
                                       "lle: eigensolve ordering ... 1s";
    EXPECT_EQ(text.substr(0, expected_start.size()), expected_start) << text;
}

TEST(ProgressDisplay, ADisplayEndedMidPhaseErasesItsLine) {
    Written out;
    {
        ProgressDisplay display(out.file(), true, 0.0);
        display({"neighbors", "points", 10, 100, 1.0, false});
    }
    EXPECT_TRUE(ends_with(out.text(), erase)) << out.text();
}

}  // namespace
}  // namespace lle::cli
