// How the `souk` subcommands that call a running soukd reach it: address, API key and TLS.
//
//   --server host:port   (default 127.0.0.1:50051)
//   --api-key KEY        or the SOUK_API_KEY environment variable (preferred: flags show in ps);
//                        sent as `authorization: Bearer KEY` on every call
//   --tls-ca FILE        TLS, trusting the server certificates this CA file signs
//   --tls-cert FILE --tls-key FILE   a client certificate, for servers that ask for mutual TLS
//   --tls-server-name NAME           the name to check the server certificate against, when the
//                                    address does not carry it (an IP address)
#pragma once

#include <memory>
#include <set>
#include <string>

#include "absl/status/statusor.h"
#include "flags.h"
#include "grpcpp/channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"

namespace souk::apps {

/// The flags above, to add to a command's FlagSpec::with_value.
const std::set<std::string>& ServerConnectionFlags();
extern const char kServerConnectionUsage[];

/// Where and how to reach soukd: read once from the flags (files and all), then any number of
/// channels. Thread-safe once made.
class ServerConnection {
 public:
  /// Errors name the flag (a TLS file that cannot be read, --tls-cert without --tls-key).
  static absl::StatusOr<ServerConnection> FromFlags(const Flags& flags);

  /// A new channel; every call on it carries the API key, if any.
  std::shared_ptr<grpc::Channel> Connect(
      grpc::ChannelArguments args = grpc::ChannelArguments()) const;
  const std::string& address() const { return address_; }

 private:
  std::string address_;
  std::string api_key_;
  std::string server_name_;
  std::shared_ptr<grpc::ChannelCredentials> credentials_;
};

}  // namespace souk::apps
