// src/app/files.hpp — reading inputs and writing outputs for the subcommands.
#pragma once

#include <optional>
#include <string>

namespace madoguchi::app {

// The whole file, or nullopt when it cannot be read.
std::optional<std::string> ReadFile(const std::string& path);

// Writes `content` to `path` through a temporary file renamed into place, so readers never see
// half a file and a failure leaves the old one (or none). False on failure.
bool WriteAtomically(const std::string& path, const std::string& content);

}  // namespace madoguchi::app
