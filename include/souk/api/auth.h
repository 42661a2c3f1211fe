// API keys and roles: who may call which RPC.
//
// Each key has a name (for logs and metrics, never the key itself) and a set of roles. Keys are
// held as SHA-256 digests only: the configuration names a digest (`souk keygen` prints a new key
// and its digest), so a leaked config file or heap dump does not leak a usable key. A caller
// presents its key in the `authorization: Bearer KEY` or `x-api-key: KEY` metadata; the
// presented key is hashed and compared with every configured digest in constant time.
//
// With no key configured, authentication is off and every call is allowed (the loopback demo).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace souk::api {

enum class Role : uint8_t {
  kQuery = 1,     ///< Search, Recommend, SimilarItems, GetProduct.
  kFeedback = 2,  ///< LogEvents.
  kCatalog = 4,   ///< UpsertProducts, DeleteProducts.
  kAdmin = 8,     ///< AdminService.
};

/// "query", "feedback", "catalog", "admin".
std::string_view RoleName(Role role);
absl::StatusOr<Role> ParseRole(std::string_view name);

using Sha256Digest = std::array<uint8_t, 32>;
Sha256Digest Sha256(std::string_view data);
std::string ToHex(const Sha256Digest& digest);
/// 64 hex digits (either case); INVALID_ARGUMENT otherwise.
absl::StatusOr<Sha256Digest> ParseSha256Hex(std::string_view hex);

struct ApiKeyOptions {
  std::string name{};        ///< Who holds the key: shows in logs and metrics.
  std::string key_sha256{};  ///< Hex SHA-256 of the key.
  std::vector<std::string> roles{};
};

struct AuthOptions {
  /// Keys from the config file; more come from `key_file` (a YAML file with the same `keys:`
  /// list, read at start-up), so the main config can be public and the keys kept apart.
  std::vector<ApiKeyOptions> keys{};
  std::string key_file{};

  absl::Status Validate() const;  ///< Errors name "server.auth.keys[i]...".
};

/// Decides whether a call's metadata may use an RPC. Immutable once built: thread-safe.
class Authenticator {
 public:
  /// `options.keys` must already hold the key file's keys (the config loader merges them).
  static absl::StatusOr<Authenticator> Create(const AuthOptions& options);

  bool enabled() const { return !keys_.empty(); }
  /// OK when authentication is off, or the presented key has `role`; UNAUTHENTICATED when no
  /// key or an unknown one is presented; PERMISSION_DENIED when the key lacks `role`.
  /// `authorization` and `x_api_key` are the metadata values (empty when absent). On success,
  /// `*caller` (if given) is the key's name ("" when authentication is off).
  absl::Status Authorize(std::string_view authorization, std::string_view x_api_key, Role role,
                         std::string* caller = nullptr) const;

 private:
  struct Key {
    std::string name;
    Sha256Digest digest;
    uint8_t roles;
  };
  const Key* Find(std::string_view presented) const;

  std::vector<Key> keys_;
};

/// A fresh random key (32 bytes from the OS, as 64 hex digits).
absl::StatusOr<std::string> GenerateApiKey();

}  // namespace souk::api
