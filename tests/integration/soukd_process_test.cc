// The soukd executable as ops run it: start from a config, serve, drain on SIGTERM, exit 0.

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include "../unit/engine/engine_fixture.h"
#include "child_process.h"
#include "souk/engine/index_directory.h"
#include "souk/v1/search.grpc.pb.h"

namespace souk {
namespace {

using ::souk::testing::Child;
using ::souk::testing::ReadServingPort;
using ::souk::testing::Spawn;
using ::souk::testing::TempDir;
using ::souk::testing::WaitFor;

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

  const int port = ReadServingPort(child);
  ASSERT_GT(port, 0) << "soukd did not say it was serving";

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
