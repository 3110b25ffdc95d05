// tests/app/process.hpp — run build/madoguchi as a child process, as a user would.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace madoguchi::testing {

struct ProcessResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Starts `args` (args[0] is the program) with stdin from `stdin_text` and stdout/stderr to files.
inline pid_t Spawn(const std::vector<std::string>& args, const std::string& stdin_text, const std::string& out_path,
                   const std::string& err_path) {
  int in_pipe[2];
  if (pipe(in_pipe) != 0) return -1;
  pid_t pid = fork();
  if (pid == 0) {
    dup2(in_pipe[0], 0);
    close(in_pipe[1]);
    int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(out, 1);
    dup2(err, 2);
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(in_pipe[0]);
  if (!stdin_text.empty()) {
    ssize_t ignored = write(in_pipe[1], stdin_text.data(), stdin_text.size());
    (void)ignored;
  }
  close(in_pipe[1]);
  return pid;
}

// A loopback port that was free a moment ago.
inline int FreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  socklen_t len = sizeof(addr);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

// Waits up to `timeout` for `pid`; returns its exit code, or -1 (and kills it) on timeout.
inline int WaitExit(pid_t pid, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  return -1;
}

inline ProcessResult RunProcess(const std::vector<std::string>& args, const std::string& dir, const std::string& stdin_text = "") {
  const std::string out = dir + "/out.txt", err = dir + "/err.txt";
  pid_t pid = Spawn(args, stdin_text, out, err);
  ProcessResult r;
  r.exit_code = WaitExit(pid, std::chrono::seconds(60));
  r.out = ReadFile(out);
  r.err = ReadFile(err);
  return r;
}

// Polls `done` every 50 ms for up to `seconds`; whether it came true.
template <typename F>
bool WaitUntil(F done, int seconds) {
  for (int i = 0; i < seconds * 20; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

#ifdef MADOGUCHI_BINARY
// build/madoguchi with `args` and `--db db_url`, run in `dir`.
inline ProcessResult RunMadoguchi(std::vector<std::string> args, const std::string& db_url, const std::string& dir,
                                  const std::string& stdin_text = "") {
  args.insert(args.begin(), MADOGUCHI_BINARY);
  args.push_back("--db");
  args.push_back(db_url);
  return RunProcess(args, dir, stdin_text);
}
#endif

}  // namespace madoguchi::testing
