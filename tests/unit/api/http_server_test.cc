#include "http_server.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <mutex>
#include <string>

#include "support/http_client.h"
#include "support/test_support.h"

namespace souk::api::internal {
namespace {

using ::souk::testing::HttpBody;
using ::souk::testing::HttpExchange;
using ::souk::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// A server that answers with what it parsed and remembers the last request.
class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = HttpServer::Start("127.0.0.1:0", [this](const HttpRequest& request) {
      std::lock_guard<std::mutex> lock(mu_);
      last_ = request;
      return HttpResponse{.status = 200,
                          .body = request.method + " " + request.path + " " + request.body,
                          .headers = {{"X-Test", "yes"}}};
    });
    ASSERT_OK(server);
    server_ = std::move(*server);
  }

  HttpRequest Last() {
    std::lock_guard<std::mutex> lock(mu_);
    return last_;
  }

  std::string Send(const std::string& request) { return HttpExchange(server_->port(), request); }

  std::mutex mu_;
  HttpRequest last_;
  std::unique_ptr<HttpServer> server_;
};

TEST_F(HttpServerTest, ParsesMethodPathHeadersAndBody) {
  const std::string answer = Send(
      "POST /api/x?debug=1 HTTP/1.1\r\nHost: a\r\nX-Api-Key:  secret \r\n"
      "Content-Length: 11\r\n\r\n{\"q\": \"ab\"}");
  EXPECT_THAT(answer, StartsWith("HTTP/1.0 200 OK\r\n"));
  EXPECT_THAT(answer, HasSubstr("\r\nX-Test: yes\r\n"));
  EXPECT_THAT(answer, HasSubstr("\r\nContent-Length: 23\r\n"));
  EXPECT_EQ(HttpBody(answer), "POST /api/x {\"q\": \"ab\"}");
  const HttpRequest last = Last();
  EXPECT_EQ(last.Header("x-api-key"), "secret");  // names folded, value trimmed
  EXPECT_EQ(last.Header("host"), "a");
  EXPECT_EQ(last.Header("absent"), "");
}

TEST_F(HttpServerTest, KeepsOnlyContentLengthBytesOfTheBody) {
  EXPECT_EQ(HttpBody(Send("POST /a HTTP/1.0\r\nContent-Length: 2\r\n\r\nabcdef")), "POST /a ab");
}

TEST_F(HttpServerTest, RefusesMalformedRequestsWithoutCallingTheHandler) {
  EXPECT_THAT(Send("hello\r\n\r\n"), StartsWith("HTTP/1.0 400 Bad Request"));
  EXPECT_THAT(Send("GET /metrics\r\n\r\n"), StartsWith("HTTP/1.0 400 Bad Request"));
  EXPECT_THAT(Send("GET / HTTP/1.0\r\nno colon here\r\n\r\n"), HasSubstr("malformed header"));
  EXPECT_THAT(Send("POST / HTTP/1.0\r\nContent-Length: ten\r\n\r\n"),
              HasSubstr("Content-Length is not a number"));
  EXPECT_THAT(Send("POST / HTTP/1.0\r\nContent-Length: 9\r\n\r\nshort"),
              HasSubstr("shorter than its Content-Length"));
  EXPECT_EQ(Last().method, "");  // the handler never ran
}

TEST_F(HttpServerTest, RefusesOversizedHeadsAndBodies) {
  EXPECT_THAT(Send("GET / HTTP/1.0\r\nX: " + std::string(9000, 'a') + "\r\n\r\n"),
              StartsWith("HTTP/1.0 431 "));
  EXPECT_THAT(Send("POST / HTTP/1.0\r\nContent-Length: " +
                   std::to_string(HttpServer::kMaxBodyBytes + 1) + "\r\n\r\n"),
              StartsWith("HTTP/1.0 413 Payload Too Large"));
  EXPECT_EQ(Last().method, "");
}

TEST_F(HttpServerTest, ASlowClientIsCutOffAtTheRequestDeadline) {
  const int fd = ::souk::testing::ConnectLoopback(server_->port());
  ASSERT_GE(fd, 0);
  const auto start = std::chrono::steady_clock::now();
  std::string answer;
  // One header byte every 100 ms, never the blank line, until the server answers (bounded).
  ASSERT_EQ(send(fd, "GET / HTTP/1.0\r\nX: ", 19, MSG_NOSIGNAL), 19);
  while (answer.empty() && std::chrono::steady_clock::now() - start < std::chrono::seconds(20)) {
    send(fd, "a", 1, MSG_NOSIGNAL);
    pollfd readable{fd, POLLIN, 0};
    if (poll(&readable, 1, 100) == 1) {
      char buffer[512];
      for (ssize_t n; (n = read(fd, buffer, sizeof(buffer))) > 0;) answer.append(buffer, n);
    }
  }
  close(fd);
  EXPECT_THAT(answer, StartsWith("HTTP/1.0 408 Request Timeout"));
  EXPECT_EQ(Last().method, "");
  // The port serves the next client.
  EXPECT_EQ(HttpBody(Send("GET /next HTTP/1.0\r\n\r\n")), "GET /next ");
}

TEST_F(HttpServerTest, ServesOneConnectionAfterAnother) {
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(HttpBody(Send("GET /n" + std::to_string(i) + " HTTP/1.0\r\n\r\n")),
              "GET /n" + std::to_string(i) + " ");
  }
}

TEST(HttpServerStartTest, NamesTheConfigKeyOfABadAddress) {
  auto handler = [](const HttpRequest&) { return HttpResponse{}; };
  EXPECT_THAT(HttpServer::Start("localhost", handler),
              StatusIs(absl::StatusCode::kInvalidArgument, "server.metrics_address"));
  EXPECT_THAT(HttpServer::Start("127.0.0.1:99999", handler),
              StatusIs(absl::StatusCode::kInvalidArgument, "server.metrics_address"));
  auto first = HttpServer::Start("127.0.0.1:0", handler);
  ASSERT_OK(first);
  EXPECT_THAT(HttpServer::Start("127.0.0.1:" + std::to_string((*first)->port()), handler),
              StatusIs(absl::StatusCode::kUnavailable, "could not listen"));
}

}  // namespace
}  // namespace souk::api::internal
