// src/app/cli_setup.hpp — declares every subcommand and its options (CLI11).
#pragma once

#include <CLI/CLI.hpp>

#include <functional>

namespace madoguchi::app {

struct CommandLine {
  std::function<int()> run = [] { return 0; };
};

// Registers the subcommands on `cli`; after parsing, `out.run` executes the chosen one.
void DefineCommands(CLI::App& cli, CommandLine& out);

}  // namespace madoguchi::app
