#pragma once

/// \file
/// The message of an exception a call must throw, for tests that check what it names.

#include <gtest/gtest.h>

#include <string>

namespace lle::testing {

/// Runs `action`, which must throw `Exception`, and returns the exception's message; a test
/// failure, and an empty message, when it throws none.
template <typename Exception, typename Action>
std::string message_of(Action&& action) {
    try {
        action();
    } catch (const Exception& error) {
        return error.what();
    }
    ADD_FAILURE() << "no exception was thrown";
    return {};
}

}  // namespace lle::testing
