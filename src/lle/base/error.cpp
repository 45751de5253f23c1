#include "lle/base/error.hpp"

namespace lle {

void require_parameter(bool ok, const std::string& name, const std::string& rule,
                       const std::string& value) {
    if (!ok) {
        throw ParameterError(name + " must satisfy " + rule + " (got " + value + ")");
    }
}

}  // namespace lle
