// src/app/process_setup.cpp — see process_setup.hpp.
#include "app/process_setup.hpp"

#include <pthread.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace madoguchi::app {

void SetUpLogging() {
  spdlog::set_default_logger(spdlog::stderr_color_mt("madoguchi"));  // logs on stderr; stdout stays for output
  // One line per event: time (UTC), level, then key=value pairs. No personal data is logged.
  spdlog::set_pattern("ts=%Y-%m-%dT%H:%M:%S.%eZ level=%l %v", spdlog::pattern_time_type::utc);
  spdlog::flush_on(spdlog::level::info);
}

sigset_t BlockStopSignals() {
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);
  return stop_signals;
}

}  // namespace madoguchi::app
