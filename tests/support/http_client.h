// A minimal HTTP/1.0 client for tests of soukd's HTTP port (metrics, the web console): one
// request per connection to 127.0.0.1, the whole answer read until the server closes.
#pragma once

#include <string>

namespace souk::testing {

/// A socket connected to 127.0.0.1:port, or -1; the caller closes it.
int ConnectLoopback(int port);
/// The whole answer (status line, headers, body) to the raw `request` sent to 127.0.0.1:port;
/// "" when the connection fails.
std::string HttpExchange(int port, const std::string& request);
/// The whole answer of `GET path`.
std::string HttpGet(int port, const std::string& path);
/// The whole answer of `POST path` with `body` and extra header lines ("Name: value\r\n").
std::string HttpPost(int port, const std::string& path, const std::string& body,
                     const std::string& headers = "");
/// The body of an HTTP answer (after the blank line).
std::string HttpBody(const std::string& answer);

}  // namespace souk::testing
