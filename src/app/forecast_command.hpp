// src/app/forecast_command.hpp — registers `forecast`, `forecast backtest` and `forecast calibrate`.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>

namespace madoguchi::app {

void DefineForecastCommand(CLI::App& cli, std::function<void(std::function<int()>)> set);

}  // namespace madoguchi::app
