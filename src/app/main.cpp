// build/madoguchi — parse the command line, call one command, exit with its code.
#include <sys/stat.h>

#include <CLI/CLI.hpp>

#include <cstdlib>

#include "app/cli_setup.hpp"
#include "app/commands.hpp"

int main(int argc, char** argv) {
  // Whatever the process creates (databases, exports, logs) is its owner's alone: personal data.
  ::umask(0077);
  CLI::App cli{"madoguchi 窓口 — surge contact operations for municipalities and health centers"};
  cli.require_subcommand(1);
  cli.set_help_all_flag("--help-all", "help for every subcommand");
  // One line on stderr for a usage error, naming the option.
  cli.failure_message([](const CLI::App*, const CLI::Error& e) { return std::string("madoguchi: ") + e.what() + "\n"; });
  madoguchi::app::CommandLine commands;
  madoguchi::app::DefineCommands(cli, commands);
  try {
    cli.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return cli.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return cli.exit(e);
  } catch (const CLI::ParseError& e) {
    cli.exit(e);
    return madoguchi::app::kExitUsage;
  }
  return commands.run();
}
