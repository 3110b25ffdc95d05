// src/app/process_setup.hpp — what every long-running subcommand (serve, worker) does first: logs
// as key=value lines on stderr, and the stop signals blocked so one waiter thread receives them.
#pragma once

#include <signal.h>

namespace madoguchi::app {

void SetUpLogging();

// Blocks SIGTERM and SIGINT in this thread (and the threads it starts) and ignores SIGPIPE;
// returns the set for sigwait.
sigset_t BlockStopSignals();

}  // namespace madoguchi::app
