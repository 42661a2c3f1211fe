// HttpServer (private to api/): the server's small HTTP/1.0 port (server.metrics_address), which
// answers GET /metrics and, with server.console.enabled, the web console's files and its JSON
// calls (Server::AnswerHttp routes them).
//
// A minimal responder of our own rather than prometheus-cpp's civetweb, which starts its threads
// with a fixed stack smaller than the thread-local storage libtorch and OpenBLAS bring into the
// process, and fails. One thread answers one connection at a time (scrapes are seconds apart and
// the console is one person's browser), each with a 2 s socket deadline per read and write and
// kRequestDeadline for the whole request, a head of at most 8 KiB and a body of at most
// kMaxBodyBytes; every answer closes its connection.
//
// Thread-safety: the handler runs on the server's thread only. The destructor stops the thread
// (within 200 ms of an idle wait, or after the connection being answered).
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"

namespace souk::api::internal {

struct HttpRequest {
  std::string method;  ///< "GET", "POST", ...
  std::string path;    ///< the target without its query string, e.g. "/metrics"
  std::map<std::string, std::string> headers;  ///< names in lower case
  std::string body;                            ///< Content-Length bytes

  /// The header's value, or "" when absent; `name` in lower case.
  std::string Header(const std::string& name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body = {};
  std::map<std::string, std::string> headers = {};  ///< extra ones, e.g. Location, Cache-Control
};

class HttpServer {
 public:
  using Handler = std::function<HttpResponse(const HttpRequest&)>;

  static constexpr size_t kMaxBodyBytes = 1 << 20;
  /// A request not received in full by then is answered 408 (a slow client cannot hold the
  /// port, which also serves the metrics).
  static constexpr std::chrono::seconds kRequestDeadline{5};

  /// Listens on `address` (IPv4 host:port; port 0 picks one) and answers every request with
  /// `handler`. INVALID_ARGUMENT for a malformed address, UNAVAILABLE when it cannot listen; both
  /// name server.metrics_address.
  static absl::StatusOr<std::unique_ptr<HttpServer>> Start(const std::string& address,
                                                           Handler handler);
  ~HttpServer();

  int port() const { return port_; }

 private:
  explicit HttpServer(Handler handler) : handler_(std::move(handler)) {}
  void Serve();
  void Answer(int connection) const;

  const Handler handler_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

/// The reason phrase of the status codes the server uses ("Not Found"); "Error" for others.
const char* ReasonPhrase(int status);

}  // namespace souk::api::internal
