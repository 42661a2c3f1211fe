// The soukd executable as ops run it: start from a config, serve, drain on SIGTERM, exit 0.

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <thread>

#include "../unit/engine/engine_fixture.h"
#include "souk/engine/index_directory.h"
#include "souk/v1/search.grpc.pb.h"

extern char** environ;

namespace souk {
namespace {

using ::souk::testing::TempDir;

struct Child {
  pid_t pid = -1;
  FILE* out = nullptr;  // the child's stdout
};

Child Spawn(const std::vector<std::string>& args) {
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
int WaitFor(pid_t pid, std::chrono::seconds timeout) {
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

TEST(SoukdProcessTest, ServesThenDrainsOnSigterm) {
  TempDir tmp;
  ASSERT_OK(engine::WriteIndexDirectory(engine::testing::SmallCatalog(),
                                        engine::testing::OptionsFor(tmp.File("index"))));
  const std::string config = tmp.WriteFile(
      "souk.yaml", "server: {address: '127.0.0.1:0', shutdown_grace_ms: 2000}\nindex: {dir: '" +
                       tmp.File("index") + "'}\nlogging: {level: warn}\n");
  Child child = Spawn({SOUKD_PATH, "--config", config});
  ASSERT_GT(child.pid, 0);
  ASSERT_NE(child.out, nullptr);

  char line[256] = {0};
  ASSERT_NE(std::fgets(line, sizeof(line), child.out), nullptr) << "soukd printed nothing";
  int port = 0;
  ASSERT_EQ(std::sscanf(line, "soukd serving on port %d", &port), 1) << line;

  auto stub = v1::SearchService::NewStub(
      grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  v1::SearchRequest request;
  request.set_query("garden hose");
  request.set_page_size(5);
  v1::SearchResponse response;
  grpc::Status status = stub->Search(&context, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_GE(response.results_size(), 1);
  EXPECT_EQ(response.results(0).product_id(), "p4");

  ASSERT_EQ(kill(child.pid, SIGTERM), 0);
  const int exit_status = WaitFor(child.pid, std::chrono::seconds(20));
  ASSERT_NE(exit_status, -1) << "soukd did not stop after SIGTERM";
  EXPECT_TRUE(WIFEXITED(exit_status));
  EXPECT_EQ(WEXITSTATUS(exit_status), 0);
  std::fclose(child.out);
}

TEST(SoukdProcessTest, BadConfigExitsWithTheKeyNamed) {
  TempDir tmp;
  const std::string config = tmp.WriteFile("bad.yaml", "index: {dir: x}\nlexical: {k1: fast}\n");
  Child child = Spawn({SOUKD_PATH, "--config", config});
  ASSERT_GT(child.pid, 0);
  const int exit_status = WaitFor(child.pid, std::chrono::seconds(20));
  ASSERT_TRUE(WIFEXITED(exit_status));
  EXPECT_EQ(WEXITSTATUS(exit_status), 1);
  std::fclose(child.out);
}

}  // namespace
}  // namespace souk
