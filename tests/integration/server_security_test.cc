// API keys with roles and TLS (plain and mutual) on a real server over loopback. The test
// certificates are made here, with OpenSSL, for "localhost".
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <functional>
#include <memory>
#include <random>
#include <string>
#include <utility>

#include "rpc_fixture.h"
#include "souk/api/auth.h"
#include "souk/base/file_util.h"
#include "souk/v1/admin.grpc.pb.h"
#include "souk/v1/catalog.grpc.pb.h"
#include "souk/v1/feedback.grpc.pb.h"
#include "souk/v1/recommend.grpc.pb.h"

namespace souk {
namespace {

using ::testing::HasSubstr;

// ---- keys and roles ------------------------------------------------------------------------

constexpr const char* kQueryKey = "query-key-0123456789";
constexpr const char* kAdminKey = "admin-key-0123456789";
constexpr const char* kCatalogKey = "catalog-key-0123456789";

class AuthRpcTest : public testing::RpcServerTest {
 protected:
  void ConfigureServer(api::ServerOptions* options) override {
    options->auth.keys = {
        {.name = "storefront",
         .key_sha256 = api::ToHex(api::Sha256(kQueryKey)),
         .roles = {"query", "feedback"}},
        {.name = "ops", .key_sha256 = api::ToHex(api::Sha256(kAdminKey)), .roles = {"admin"}},
        {.name = "feed", .key_sha256 = api::ToHex(api::Sha256(kCatalogKey)), .roles = {"catalog"}},
    };
  }

  // A context carrying `key` as a bearer token (none when empty).
  static std::unique_ptr<grpc::ClientContext> ContextWith(const std::string& key) {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    if (!key.empty()) context->AddMetadata("authorization", "Bearer " + key);
    return context;
  }

  grpc::Status SearchWith(const std::string& key) {
    v1::SearchResponse response;
    return search_->Search(ContextWith(key).get(), Request("shoes"), &response);
  }

  grpc::Status GetRulesWith(const std::string& key) {
    auto admin = v1::AdminService::NewStub(channel_);
    v1::GetRulesResponse response;
    return admin->GetRules(ContextWith(key).get(), v1::GetRulesRequest{}, &response);
  }
};

TEST_F(AuthRpcTest, CallWithoutKeyIsUnauthenticated) {
  const grpc::Status status = SearchWith("");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(status.error_message(), HasSubstr("no API key"));
}

TEST_F(AuthRpcTest, UnknownKeyIsUnauthenticated) {
  const grpc::Status status = SearchWith("query-key-0123456788");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(status.error_message(), HasSubstr("unknown API key"));
}

TEST_F(AuthRpcTest, KeyWithTheRoleIsServed) {
  EXPECT_TRUE(SearchWith(kQueryKey).ok());
  EXPECT_TRUE(GetRulesWith(kAdminKey).ok());
}

TEST_F(AuthRpcTest, KeyWithoutTheRoleIsPermissionDenied) {
  const grpc::Status admin = GetRulesWith(kQueryKey);
  EXPECT_EQ(admin.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(admin.error_message(), HasSubstr("'storefront' lacks the 'admin' role"));
  EXPECT_EQ(SearchWith(kAdminKey).error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(AuthRpcTest, EveryServiceChecksItsRole) {
  // Reload and LogEvents do not go through RunUnary: they check on their own.
  auto admin = v1::AdminService::NewStub(channel_);
  v1::ReloadResponse reloaded;
  EXPECT_EQ(
      admin->Reload(ContextWith(kQueryKey).get(), v1::ReloadRequest{}, &reloaded).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  auto feedback = v1::FeedbackService::NewStub(channel_);
  v1::LogEventsResponse logged;
  EXPECT_EQ(feedback->LogEvents(ContextWith(kAdminKey).get(), v1::LogEventsRequest{}, &logged)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  auto catalog = v1::CatalogService::NewStub(channel_);
  v1::UpsertProductsResponse upserted;
  EXPECT_EQ(
      catalog->UpsertProducts(ContextWith(kQueryKey).get(), v1::UpsertProductsRequest{}, &upserted)
          .error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  // With the catalog role the call gets through to the handler.
  EXPECT_EQ(
      catalog
          ->UpsertProducts(ContextWith(kCatalogKey).get(), v1::UpsertProductsRequest{}, &upserted)
          .error_code(),
      grpc::StatusCode::UNIMPLEMENTED);
  auto recommend = v1::RecommendService::NewStub(channel_);
  v1::RecommendResponse recommended;
  EXPECT_EQ(recommend->Recommend(ContextWith("").get(), v1::RecommendRequest{}, &recommended)
                .error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(AuthRpcTest, XApiKeyMetadataIsAccepted) {
  grpc::ClientContext context;
  context.AddMetadata("x-api-key", kQueryKey);
  v1::SearchResponse response;
  EXPECT_TRUE(search_->Search(&context, Request("shoes"), &response).ok());
}

TEST_F(AuthRpcTest, CallsAreCountedByRpcAndCode) {
  ASSERT_TRUE(SearchWith(kQueryKey).ok());
  ASSERT_FALSE(SearchWith("").ok());
  ASSERT_FALSE(GetRulesWith(kQueryKey).ok());
  const std::string scrape = testing::HttpGet(server_->metrics_port(), "/metrics");
  EXPECT_THAT(scrape, HasSubstr("souk_rpc_requests_total{code=\"OK\",rpc=\"Search\"} 1"));
  EXPECT_THAT(scrape,
              HasSubstr("souk_rpc_requests_total{code=\"UNAUTHENTICATED\",rpc=\"Search\"} 1"));
  EXPECT_THAT(scrape,
              HasSubstr("souk_rpc_requests_total{code=\"PERMISSION_DENIED\",rpc=\"GetRules\"} 1"));
  EXPECT_THAT(scrape, HasSubstr("souk_rpc_latency_seconds_count{code=\"OK\",rpc=\"Search\"} 1"));
  // The one search that ran: its analysis and BM25F stages; no encoder, so no encode stage.
  EXPECT_THAT(scrape, HasSubstr("souk_search_stage_seconds_count{stage=\"lexical\"} 1"));
  EXPECT_THAT(scrape, HasSubstr("souk_search_stage_seconds_count{stage=\"encode\"} 0"));
  EXPECT_THAT(scrape, HasSubstr("souk_request_queue_wait_seconds_count 1"));
  EXPECT_THAT(scrape, HasSubstr("souk_request_queue_capacity 16"));
  EXPECT_THAT(scrape, HasSubstr("souk_request_queue_shed_total{reason=\"full\"} 0"));
  EXPECT_THAT(scrape, HasSubstr("souk_index_products 6"));
}

class AccessLogRpcTest : public AuthRpcTest {
 protected:
  void ConfigureServer(api::ServerOptions* options) override {
    AuthRpcTest::ConfigureServer(options);
    options->access_log = true;
  }
};

TEST_F(AccessLogRpcTest, EachCallIsLoggedWithTheUserHashed) {
  v1::SearchRequest request = Request("shoes");
  request.set_user_id("alice@example.com");
  v1::SearchResponse response;
  ::testing::internal::CaptureStderr();
  const grpc::Status status = search_->Search(ContextWith(kQueryKey).get(), request, &response);
  (void)SearchWith("");
  // Each line is written before its answer is sent.
  const std::string log = ::testing::internal::GetCapturedStderr();
  ASSERT_TRUE(status.ok());
  EXPECT_THAT(log, HasSubstr("[access] Search code=OK"));
  EXPECT_THAT(log, HasSubstr("caller=storefront"));
  EXPECT_THAT(log, HasSubstr("request_id=" + response.request_id()));
  EXPECT_THAT(log, HasSubstr("user="));
  EXPECT_THAT(log, ::testing::Not(HasSubstr("alice")));
  EXPECT_THAT(log, HasSubstr("[access] Search code=UNAUTHENTICATED"));
  EXPECT_THAT(log, HasSubstr("error=\"no API key"));
}

TEST_F(AuthRpcTest, HealthNeedsNoKey) {
  // Load balancers and kubelets probe health without credentials.
  std::string response;
  const grpc::Status status = CheckHealth(&response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response, std::string("\x08\x01", 2));  // SERVING
}

// ---- TLS -------------------------------------------------------------------------------------

struct Pem {
  std::string certificate;
  std::string private_key;
};

std::string ToPem(const std::function<int(BIO*)>& write) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  if (write(bio.get()) != 1) return "";
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(size));
}

// A P-256 key and a certificate for "localhost" valid for a day, signed by `issuer` (itself when
// null: a self-signed certificate that is its own CA).
Pem MakeCertificate(const std::string& common_name, const Pem* issuer = nullptr) {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_EC_gen("P-256"), EVP_PKEY_free);
  std::unique_ptr<X509, decltype(&X509_free)> cert(X509_new(), X509_free);
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), static_cast<long>(std::random_device{}()));
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 24 * 3600);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1,
                             0);
  std::unique_ptr<X509, decltype(&X509_free)> issuer_cert(nullptr, X509_free);
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> issuer_key(nullptr, EVP_PKEY_free);
  if (issuer != nullptr) {
    std::unique_ptr<BIO, decltype(&BIO_free)> c(
        BIO_new_mem_buf(issuer->certificate.data(), static_cast<int>(issuer->certificate.size())),
        BIO_free);
    issuer_cert.reset(PEM_read_bio_X509(c.get(), nullptr, nullptr, nullptr));
    std::unique_ptr<BIO, decltype(&BIO_free)> k(
        BIO_new_mem_buf(issuer->private_key.data(), static_cast<int>(issuer->private_key.size())),
        BIO_free);
    issuer_key.reset(PEM_read_bio_PrivateKey(k.get(), nullptr, nullptr, nullptr));
  }
  X509_set_issuer_name(cert.get(),
                       issuer != nullptr ? X509_get_subject_name(issuer_cert.get()) : name);
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, issuer != nullptr ? issuer_cert.get() : cert.get(), cert.get(), nullptr,
                 nullptr, 0);
  for (auto [nid, value] : {std::pair{NID_subject_alt_name, "DNS:localhost"},
                            std::pair{NID_basic_constraints, issuer ? "CA:FALSE" : "CA:TRUE"}}) {
    X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value);
    X509_add_ext(cert.get(), extension, -1);
    X509_EXTENSION_free(extension);
  }
  X509_sign(cert.get(), issuer != nullptr ? issuer_key.get() : key.get(), EVP_sha256());
  return {.certificate = ToPem([&](BIO* b) { return PEM_write_bio_X509(b, cert.get()); }),
          .private_key = ToPem([&](BIO* b) {
            return PEM_write_bio_PrivateKey(b, key.get(), nullptr, nullptr, 0, nullptr, nullptr);
          })};
}

class TlsRpcTest : public testing::RpcServerTest {
 protected:
  void ConfigureServer(api::ServerOptions* options) override {
    ASSERT_OK(WriteFileAtomically(tmp_.File("server.pem"), server_pem_.certificate));
    ASSERT_OK(WriteFileAtomically(tmp_.File("server.key"), server_pem_.private_key));
    options->tls.cert_file = tmp_.File("server.pem");
    options->tls.key_file = tmp_.File("server.key");
    if (mutual_) {
      ASSERT_OK(WriteFileAtomically(tmp_.File("client-ca.pem"), client_ca_.certificate));
      options->tls.client_ca_file = tmp_.File("client-ca.pem");
    }
  }

  // A Search over TLS trusting the server's certificate, presenting `client` when given.
  grpc::Status SecureSearch(const Pem* client) {
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = server_pem_.certificate;
    if (client != nullptr) {
      ssl.pem_cert_chain = client->certificate;
      ssl.pem_private_key = client->private_key;
    }
    grpc::ChannelArguments args;
    args.SetSslTargetNameOverride("localhost");
    auto channel = grpc::CreateCustomChannel(StrCat("127.0.0.1:", server_->port()),
                                             grpc::SslCredentials(ssl), args);
    auto stub = v1::SearchService::NewStub(channel);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    v1::SearchResponse response;
    return stub->Search(&context, Request("shoes"), &response);
  }

  Pem server_pem_ = MakeCertificate("localhost");
  Pem client_ca_ = MakeCertificate("souk test client CA");
  bool mutual_ = false;
};

TEST_F(TlsRpcTest, SecureChannelIsServed) { EXPECT_TRUE(SecureSearch(nullptr).ok()); }

TEST_F(TlsRpcTest, PlaintextClientIsRefused) {
  v1::SearchResponse response;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  EXPECT_FALSE(search_->Search(&context, Request("shoes"), &response).ok());
}

class MutualTlsRpcTest : public TlsRpcTest {
 protected:
  void ConfigureServer(api::ServerOptions* options) override {
    mutual_ = true;
    TlsRpcTest::ConfigureServer(options);
  }
};

TEST_F(MutualTlsRpcTest, ClientCertificateFromTheCaIsServed) {
  const Pem client = MakeCertificate("storefront", &client_ca_);
  EXPECT_TRUE(SecureSearch(&client).ok());
}

TEST_F(MutualTlsRpcTest, ClientWithoutCertificateIsRefused) {
  EXPECT_FALSE(SecureSearch(nullptr).ok());
}

TEST_F(MutualTlsRpcTest, ClientCertificateFromAnotherCaIsRefused) {
  const Pem stranger_ca = MakeCertificate("another CA");
  const Pem client = MakeCertificate("intruder", &stranger_ca);
  EXPECT_FALSE(SecureSearch(&client).ok());
}

}  // namespace
}  // namespace souk
