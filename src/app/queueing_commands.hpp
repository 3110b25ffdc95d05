// src/app/queueing_commands.hpp — registers `erlang b|c|a` and `staff`.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>

namespace madoguchi::app {

// `set` receives the command to run after parsing.
void DefineQueueingCommands(CLI::App& cli, std::function<void(std::function<int()>)> set);

}  // namespace madoguchi::app
