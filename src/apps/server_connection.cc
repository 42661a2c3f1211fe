#include "server_connection.h"

#include <cstdlib>
#include <utility>
#include <vector>

#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/client_interceptor.h"
#include "souk/base/file_util.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"

namespace souk::apps {
namespace {

// Adds the API key to every call's initial metadata. Call credentials would do this only over
// TLS; the key must also reach a plaintext loopback server.
class ApiKeyInterceptor : public grpc::experimental::Interceptor {
 public:
  explicit ApiKeyInterceptor(const std::string* header) : header_(header) {}
  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            grpc::experimental::InterceptionHookPoints::PRE_SEND_INITIAL_METADATA)) {
      methods->GetSendInitialMetadata()->emplace("authorization", *header_);
    }
    methods->Proceed();
  }

 private:
  const std::string* header_;
};

class ApiKeyInterceptorFactory : public grpc::experimental::ClientInterceptorFactoryInterface {
 public:
  explicit ApiKeyInterceptorFactory(const std::string& key) : header_("Bearer " + key) {}
  grpc::experimental::Interceptor* CreateClientInterceptor(
      grpc::experimental::ClientRpcInfo*) override {
    return new ApiKeyInterceptor(&header_);
  }

 private:
  const std::string header_;  // lives as long as the channel, which owns the factory
};

absl::StatusOr<std::string> ReadFlagFile(const Flags& flags, const std::string& name) {
  absl::StatusOr<std::string> text = ReadFileToString(flags.Get(name));
  if (!text.ok()) return Annotate(text.status(), StrCat("--", name));
  return text;
}

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> Credentials(const Flags& flags) {
  if (!flags.Has("tls-ca")) {
    if (flags.Has("tls-cert") || flags.Has("tls-key")) {
      return absl::InvalidArgumentError("--tls-cert and --tls-key need --tls-ca");
    }
    return grpc::InsecureChannelCredentials();
  }
  if (flags.Has("tls-cert") != flags.Has("tls-key")) {
    return absl::InvalidArgumentError("--tls-cert and --tls-key go together");
  }
  grpc::SslCredentialsOptions ssl;
  SOUK_ASSIGN_OR_RETURN(ssl.pem_root_certs, ReadFlagFile(flags, "tls-ca"));
  if (flags.Has("tls-cert")) {
    SOUK_ASSIGN_OR_RETURN(ssl.pem_cert_chain, ReadFlagFile(flags, "tls-cert"));
    SOUK_ASSIGN_OR_RETURN(ssl.pem_private_key, ReadFlagFile(flags, "tls-key"));
  }
  return grpc::SslCredentials(ssl);
}

}  // namespace

const std::set<std::string>& ServerConnectionFlags() {
  static const std::set<std::string> kFlags = {"server",   "api-key", "tls-ca",
                                               "tls-cert", "tls-key", "tls-server-name"};
  return kFlags;
}

const char kServerConnectionUsage[] =
    R"(Connection flags: [--server 127.0.0.1:50051] [--api-key KEY (or $SOUK_API_KEY)]
  [--tls-ca CA.pem [--tls-cert CERT.pem --tls-key KEY.pem] [--tls-server-name NAME]]
)";

absl::StatusOr<ServerConnection> ServerConnection::FromFlags(const Flags& flags) {
  ServerConnection connection;
  SOUK_ASSIGN_OR_RETURN(connection.credentials_, Credentials(flags));
  connection.address_ = flags.Get("server", "127.0.0.1:50051");
  connection.server_name_ = flags.Get("tls-server-name");
  const char* env_key = std::getenv("SOUK_API_KEY");
  connection.api_key_ = flags.Get("api-key", env_key != nullptr ? env_key : "");
  return connection;
}

std::shared_ptr<grpc::Channel> ServerConnection::Connect(grpc::ChannelArguments args) const {
  if (!server_name_.empty()) args.SetSslTargetNameOverride(server_name_);
  std::vector<std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>> interceptors;
  if (!api_key_.empty())
    interceptors.push_back(std::make_unique<ApiKeyInterceptorFactory>(api_key_));
  return grpc::experimental::CreateCustomChannelWithInterceptors(address_, credentials_, args,
                                                                 std::move(interceptors));
}

}  // namespace souk::apps
