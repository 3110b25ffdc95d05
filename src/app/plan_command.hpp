// src/app/plan_command.hpp — registers `plan`.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>

namespace madoguchi::app {

void DefinePlanCommand(CLI::App& cli, std::function<void(std::function<int()>)> set);

}  // namespace madoguchi::app
