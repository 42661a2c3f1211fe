// Starting soukd (or any executable) as a child process with its stdout on a pipe, and waiting
// for it with a timeout: what the process-level integration tests share.
#pragma once

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace souk::testing {

struct Child {
  pid_t pid = -1;
  FILE* out = nullptr;  // the child's stdout
};

inline Child Spawn(const std::vector<std::string>& args) {
  int fds[2];
  if (pipe(fds) != 0) return {};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, fds[0]);
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  Child child;
  if (posix_spawn(&child.pid, argv[0], &actions, nullptr, argv.data(), environ) != 0)
    child.pid = -1;
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  child.out = fdopen(fds[0], "r");
  return child;
}

// Waits up to `timeout` for the child to exit; returns its wait status or -1 (then kills it).
inline int WaitFor(pid_t pid, std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    if (waitpid(pid, &status, WNOHANG) == pid) return status;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  kill(pid, SIGKILL);
  waitpid(pid, &status, 0);
  return -1;
}

// Reads the child's "soukd serving on port N" line; 0 when it printed something else or nothing.
inline int ReadServingPort(const Child& child) {
  char line[256] = {0};
  if (std::fgets(line, sizeof(line), child.out) == nullptr) return 0;
  int port = 0;
  return std::sscanf(line, "soukd serving on port %d", &port) == 1 ? port : 0;
}

}  // namespace souk::testing
