#include "http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <optional>

#include "souk/base/ascii.h"
#include "souk/base/numbers.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"
#include "souk/base/text_lines.h"

namespace souk::api::internal {
namespace {

constexpr size_t kMaxHeadBytes = 8192;

absl::StatusOr<sockaddr_in> ParseAddress(const std::string& address) {
  const size_t colon = address.rfind(':');
  const std::optional<int> port =
      colon == std::string::npos ? std::nullopt : ParseWhole<int>(address.substr(colon + 1));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  if (!port || *port < 0 || *port > 65535 ||
      inet_pton(AF_INET, address.substr(0, colon).c_str(), &addr.sin_addr) != 1) {
    return absl::InvalidArgumentError(StrCat("server.metrics_address: '", address,
                                             "' is not IPv4-address:port (e.g. 0.0.0.0:9464)"));
  }
  addr.sin_port = htons(static_cast<uint16_t>(*port));
  return addr;
}

using Clock = std::chrono::steady_clock;

// Reads until `data` holds `want` bytes, the peer stops, or the deadline passes (each read also
// stops at the socket's own 2 s deadline).
void ReadUpTo(int connection, size_t want, Clock::time_point deadline, std::string* data) {
  char buffer[4096];
  while (data->size() < want && Clock::now() < deadline) {
    const ssize_t n = read(connection, buffer, std::min(sizeof(buffer), want - data->size()));
    if (n <= 0) return;
    data->append(buffer, static_cast<size_t>(n));
  }
}

// Reads the request head (up to a blank line, kMaxHeadBytes or the deadline); bytes read past
// the blank line are the body's start.
std::string ReadHead(int connection, Clock::time_point deadline) {
  std::string head;
  char buffer[1024];
  while (head.size() < kMaxHeadBytes && head.find("\r\n\r\n") == std::string::npos &&
         Clock::now() < deadline) {
    const ssize_t n = read(connection, buffer, sizeof(buffer));
    if (n <= 0) break;
    head.append(buffer, static_cast<size_t>(n));
  }
  return head;
}

void WriteAll(int connection, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = send(connection, data.data(), data.size(), MSG_NOSIGNAL);
    if (n <= 0) return;
    data.remove_prefix(static_cast<size_t>(n));
  }
}

std::string Serialize(const HttpResponse& r) {
  std::string out = StrCat("HTTP/1.0 ", r.status, " ", ReasonPhrase(r.status),
                           "\r\nContent-Type: ", r.content_type,
                           "\r\nContent-Length: ", r.body.size(), "\r\nConnection: close\r\n");
  for (const auto& [name, value] : r.headers) out += StrCat(name, ": ", value, "\r\n");
  out += "\r\n";
  out += r.body;
  return out;
}

HttpResponse Error(int status, std::string message) {
  return HttpResponse{.status = status, .body = std::move(message) + "\n"};
}

// The request line and headers of `head` (which ends with the blank line); an error response
// when they are malformed.
std::optional<HttpResponse> ParseHead(std::string_view head, HttpRequest* request) {
  const size_t line_end = head.find("\r\n");
  const std::string_view line = head.substr(0, line_end);
  const size_t sp1 = line.find(' ');
  const size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || !line.substr(sp2 + 1).starts_with("HTTP/")) {
    return Error(400, "malformed request line; expected e.g. 'GET /metrics HTTP/1.0'");
  }
  request->method = std::string(line.substr(0, sp1));
  const std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  request->path = std::string(target.substr(0, target.find('?')));
  for (size_t start = line_end + 2; start < head.size();) {
    const size_t end = head.find("\r\n", start);
    const std::string_view field = head.substr(start, end - start);
    start = end == std::string_view::npos ? head.size() : end + 2;
    if (field.empty()) break;
    const size_t colon = field.find(':');
    if (colon == std::string_view::npos) return Error(400, "malformed header line");
    request->headers[AsciiLower(field.substr(0, colon))] =
        std::string(TrimBlanks(field.substr(colon + 1)));
  }
  return std::nullopt;
}

}  // namespace

std::string HttpRequest::Header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? "" : it->second;
}

const char* ReasonPhrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 302:
      return "Found";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 413:
      return "Payload Too Large";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "Error";
  }
}

absl::StatusOr<std::unique_ptr<HttpServer>> HttpServer::Start(const std::string& address,
                                                              Handler handler) {
  SOUK_ASSIGN_OR_RETURN(sockaddr_in addr, ParseAddress(address));
  std::unique_ptr<HttpServer> server(new HttpServer(std::move(handler)));
  server->listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int on = 1;
  setsockopt(server->listen_fd_, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
  socklen_t length = sizeof(addr);
  if (server->listen_fd_ < 0 ||
      bind(server->listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      listen(server->listen_fd_, 16) != 0 ||
      getsockname(server->listen_fd_, reinterpret_cast<sockaddr*>(&addr), &length) != 0) {
    return absl::UnavailableError(StrCat("server.metrics_address: could not listen on ", address,
                                         ": ", std::strerror(errno)));
  }
  server->port_ = ntohs(addr.sin_port);
  server->thread_ = std::thread([s = server.get()] { s->Serve(); });
  return server;
}

HttpServer::~HttpServer() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
  if (listen_fd_ >= 0) close(listen_fd_);
}

void HttpServer::Serve() {
  while (!stopping_) {
    // Wake up every 200 ms to notice the destructor.
    pollfd ready{listen_fd_, POLLIN, 0};
    if (poll(&ready, 1, 200) <= 0) continue;
    const int connection = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (connection < 0) continue;
    const timeval deadline{2, 0};
    setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &deadline, sizeof(deadline));
    setsockopt(connection, SOL_SOCKET, SO_SNDTIMEO, &deadline, sizeof(deadline));
    Answer(connection);
    close(connection);
  }
}

void HttpServer::Answer(int connection) const {
  // One deadline for the whole request: a client trickling bytes cannot hold the port.
  const Clock::time_point deadline = Clock::now() + kRequestDeadline;
  std::string head = ReadHead(connection, deadline);
  const size_t head_end = head.find("\r\n\r\n");
  if (head_end == std::string::npos) {
    WriteAll(connection,
             Serialize(head.size() >= kMaxHeadBytes ? Error(431, "request head over 8 KiB")
                       : Clock::now() >= deadline   ? Error(408, "request not received within 5 s")
                                                    : Error(400, "incomplete request head")));
    return;
  }
  HttpRequest request;
  if (std::optional<HttpResponse> error = ParseHead(head.substr(0, head_end + 2), &request)) {
    WriteAll(connection, Serialize(*error));
    return;
  }
  const std::string length_text = request.Header("content-length");
  const std::optional<size_t> length =
      length_text.empty() ? std::optional<size_t>(0) : ParseWhole<size_t>(length_text);
  if (!length) {
    WriteAll(connection, Serialize(Error(400, "Content-Length is not a number")));
    return;
  }
  if (*length > kMaxBodyBytes) {
    WriteAll(connection,
             Serialize(Error(413, StrCat("request body over ", kMaxBodyBytes, " bytes"))));
    return;
  }
  request.body = head.substr(head_end + 4);
  ReadUpTo(connection, *length, deadline, &request.body);
  if (request.body.size() < *length) {
    WriteAll(connection, Serialize(Error(400, "request body shorter than its Content-Length")));
    return;
  }
  request.body.resize(*length);
  WriteAll(connection, Serialize(handler_(request)));
}

}  // namespace souk::api::internal
