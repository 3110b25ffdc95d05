// src/app/sim_command.hpp — registers `simulate`.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>

namespace madoguchi::app {

void DefineSimCommand(CLI::App& cli, std::function<void(std::function<int()>)> set);

}  // namespace madoguchi::app
