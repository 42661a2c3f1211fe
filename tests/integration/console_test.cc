// The web console's side of soukd: its files and its JSON calls on the HTTP port, which must
// answer exactly as the gRPC services do (they are those services, called in-process).
#include <string>
#include <vector>

#include "nlohmann/json.hpp"
#include "rpc_fixture.h"
#include "souk/api/auth.h"

namespace souk {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using json = nlohmann::json;

std::string Post(int port, const std::string& method, const std::string& body,
                 const std::string& headers = "") {
  return testing::HttpPost(port, "/api/" + method, body, headers);
}

class ConsoleTest : public testing::RpcServerTest {
 protected:
  void ConfigureServer(api::ServerOptions* options) override {
    options->console.enabled = true;
    options->console.static_dir = SOUK_CONSOLE_DIR;
  }

  std::string Post(const std::string& method, const std::string& body,
                   const std::string& headers = "") {
    return souk::Post(server_->metrics_port(), method, body, headers);
  }

  // The JSON body of an answer (a failed parse fails the test).
  static json Body(const std::string& answer) {
    json parsed = json::parse(testing::HttpBody(answer), nullptr, /*allow_exceptions=*/false);
    EXPECT_FALSE(parsed.is_discarded()) << answer;
    return parsed;
  }
};

TEST_F(ConsoleTest, ServesThePageAndRedirectsTheRoot) {
  const std::string page = testing::HttpGet(server_->metrics_port(), "/console/");
  EXPECT_THAT(page, StartsWith("HTTP/1.0 200 OK"));
  EXPECT_THAT(page, HasSubstr("Content-Type: text/html"));
  EXPECT_THAT(page, HasSubstr("<title>Souk console</title>"));
  EXPECT_THAT(testing::HttpGet(server_->metrics_port(), "/console/console.js"),
              HasSubstr("text/javascript"));
  const std::string root = testing::HttpGet(server_->metrics_port(), "/");
  EXPECT_THAT(root, StartsWith("HTTP/1.0 302 Found"));
  EXPECT_THAT(root, HasSubstr("\r\nLocation: /console/\r\n"));
  // Metrics still answer beside it.
  EXPECT_THAT(testing::HttpGet(server_->metrics_port(), "/metrics"),
              HasSubstr("souk_index_products 6"));
}

TEST_F(ConsoleTest, NamesNoFileOutsideTheConsole) {
  for (const char* path : {"/console/../CMakeLists.txt", "/console/%2e%2e/README.md",
                           "/console//etc/passwd", "/console/missing.js", "/etc/passwd"}) {
    EXPECT_THAT(testing::HttpGet(server_->metrics_port(), path), StartsWith("HTTP/1.0 404 "))
        << path;
  }
}

TEST_F(ConsoleTest, SearchAnswersAsTheGrpcServiceDoes) {
  const std::string answer = Post("souk.v1.SearchService/Search",
                                  R"({"query": "cordless drill", "page_size": 3, "debug": true,
               "include_products": true, "filters": {"in_stock_only": true}})");
  ASSERT_THAT(answer, StartsWith("HTTP/1.0 200 OK"));
  EXPECT_THAT(answer, HasSubstr("Content-Type: application/json"));
  const json body = Body(answer);
  v1::SearchRequest request = Request("cordless drill", 3);
  request.set_debug(true);
  request.mutable_filters()->set_in_stock_only(true);
  v1::SearchResponse expected;
  ASSERT_TRUE(Search(request, &expected).ok());
  ASSERT_EQ(body["results"].size(), static_cast<size_t>(expected.results_size()));
  ASSERT_GT(expected.results_size(), 0);
  for (int i = 0; i < expected.results_size(); ++i) {
    const json& result = body["results"][i];
    EXPECT_EQ(result["product_id"], expected.results(i).product_id());
    EXPECT_FLOAT_EQ(result["score"].get<float>(), expected.results(i).score());
    EXPECT_EQ(result["product"]["id"], expected.results(i).product_id());
    EXPECT_FLOAT_EQ(result["explanation"]["bm25"].get<float>(),
                    expected.results(i).explanation().bm25());
  }
  EXPECT_EQ(body["variant"], expected.variant());
  EXPECT_FALSE(body["request_id"].get<std::string>().empty());
}

TEST_F(ConsoleTest, EveryConsoleMethodAnswers) {
  const std::pair<const char*, const char*> calls[] = {
      {"souk.v1.SearchService/Suggest", R"({"prefix": "dr"})"},
      {"souk.v1.RecommendService/Recommend", R"({"page_size": 3})"},
      {"souk.v1.RecommendService/SimilarItems", R"({"product_id": "p1", "page_size": 3})"},
      {"souk.v1.CatalogService/GetProduct", R"({"product_id": "p4"})"},
      {"souk.v1.AdminService/Stats", "{}"},
      {"souk.v1.AdminService/GetRules", ""},
  };
  for (const auto& [method, request] : calls) {
    EXPECT_THAT(Post(method, request), StartsWith("HTTP/1.0 200 OK")) << method;
  }
  EXPECT_EQ(Body(Post("souk.v1.CatalogService/GetProduct",
                      R"({"product_id": "p4"})"))["product"]["title"],
            "Gilmour Garden Hose 50 ft");
  EXPECT_EQ(Body(Post("souk.v1.AdminService/Stats", "{}"))["lexical"]["products"], "6");
}

TEST_F(ConsoleTest, ErrorsCarryTheirCodeAndTheServicesMessage) {
  const std::string empty = Post("souk.v1.SearchService/Search", R"({"query": ""})");
  EXPECT_THAT(empty, StartsWith("HTTP/1.0 400 Bad Request"));
  EXPECT_EQ(Body(empty)["code"], "INVALID_ARGUMENT");
  EXPECT_THAT(Body(empty)["message"].get<std::string>(), HasSubstr("query"));
  const std::string unknown = Post("souk.v1.CatalogService/GetProduct", R"({"product_id": "x"})");
  EXPECT_THAT(unknown, StartsWith("HTTP/1.0 404 Not Found"));
  EXPECT_EQ(Body(unknown)["code"], "NOT_FOUND");
}

TEST_F(ConsoleTest, MalformedJsonNamesTheMessageAndField) {
  const std::string answer = Post("souk.v1.SearchService/Search", R"({"qurey": "drill"})");
  EXPECT_THAT(answer, StartsWith("HTTP/1.0 400 Bad Request"));
  EXPECT_THAT(Body(answer)["message"].get<std::string>(),
              ::testing::AllOf(HasSubstr("souk.v1.SearchRequest"), HasSubstr("qurey")));
  EXPECT_THAT(Post("souk.v1.SearchService/Search", "{not json"), StartsWith("HTTP/1.0 400 "));
  // Bytes that are not UTF-8 come back replaced inside valid JSON.
  const std::string bad_utf8 = Post("souk.v1.SearchService/Search", "{\"query\": \"\xff\xfe\"}");
  EXPECT_THAT(bad_utf8, StartsWith("HTTP/1.0 400 "));
  EXPECT_EQ(Body(bad_utf8)["code"], "INVALID_ARGUMENT");
}

TEST_F(ConsoleTest, WritesAndUnknownMethodsAreNotReachable) {
  for (const char* method :
       {"souk.v1.FeedbackService/LogEvents", "souk.v1.AdminService/Reload",
        "souk.v1.CatalogService/UpsertProducts", "souk.v1.AdminService/SetRules",
        "souk.v1.SearchService/Nope", "grpc.health.v1.Health/Check"}) {
    const std::string answer = Post(method, "{}");
    EXPECT_THAT(answer, StartsWith("HTTP/1.0 404 Not Found")) << method;
    EXPECT_EQ(Body(answer)["code"], "NOT_FOUND") << method;
  }
  EXPECT_THAT(testing::HttpGet(server_->metrics_port(), "/api/souk.v1.SearchService/Search"),
              StartsWith("HTTP/1.0 405 "));
  EXPECT_EQ(feedback_->logged(), 0u);
}

// With API keys, the console's calls need one like any client's, sent as a header.
class ConsoleAuthTest : public ConsoleTest {
 protected:
  void ConfigureServer(api::ServerOptions* options) override {
    ConsoleTest::ConfigureServer(options);
    options->auth.keys = {{.name = "console",
                           .key_sha256 = api::ToHex(api::Sha256("console-key-0123456789")),
                           .roles = {"query"}}};
  }
};

TEST_F(ConsoleAuthTest, CallsCarryTheKeyHeader) {
  const std::string search = R"({"query": "drill", "page_size": 2})";
  const std::string without = Post("souk.v1.SearchService/Search", search);
  EXPECT_THAT(without, StartsWith("HTTP/1.0 401 Unauthorized"));
  EXPECT_EQ(Body(without)["code"], "UNAUTHENTICATED");
  EXPECT_THAT(Post("souk.v1.SearchService/Search", search, "X-Api-Key: console-key-0123456789\r\n"),
              StartsWith("HTTP/1.0 200 OK"));
  EXPECT_THAT(Post("souk.v1.SearchService/Search", search,
                   "Authorization: Bearer console-key-0123456789\r\n"),
              StartsWith("HTTP/1.0 200 OK"));
  // The query role does not reach Stats (admin).
  EXPECT_THAT(Post("souk.v1.AdminService/Stats", "{}", "X-Api-Key: console-key-0123456789\r\n"),
              StartsWith("HTTP/1.0 403 Forbidden"));
}

using NoConsoleTest = testing::RpcServerTest;

TEST_F(NoConsoleTest, ConsoleIsOffByDefault) {
  EXPECT_THAT(testing::HttpGet(server_->metrics_port(), "/console/"), StartsWith("HTTP/1.0 404 "));
  EXPECT_THAT(Post(server_->metrics_port(), "souk.v1.SearchService/Search", R"({"query": "x"})"),
              StartsWith("HTTP/1.0 404 "));
  EXPECT_THAT(testing::HttpGet(server_->metrics_port(), "/metrics"), StartsWith("HTTP/1.0 200 "));
}

TEST_F(NoConsoleTest, AConsoleThatCannotStartStopsTheServer) {
  api::ServerOptions options;
  options.address = "127.0.0.1:0";
  options.console.enabled = true;
  const api::Engines engines{.search = engine_.get(),
                             .recommend = recommend_.get(),
                             .feedback = feedback_.get(),
                             .suggest = suggest_.get()};
  EXPECT_THAT(api::Server::Start(options, engines, options_),
              testing::StatusIs(absl::StatusCode::kInvalidArgument, "server.metrics_address"));
  options.metrics_address = "127.0.0.1:0";
  options.console.static_dir = tmp_.File("no-such-dir");
  EXPECT_THAT(api::Server::Start(options, engines, options_),
              testing::StatusIs(absl::StatusCode::kNotFound, "server.console.static_dir"));
}

}  // namespace
}  // namespace souk
