#include "souk/api/auth.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "souk/base/ascii.h"
#include "souk/base/str_cat.h"

namespace souk::api {
namespace {

constexpr std::string_view kBearer = "Bearer ";

uint8_t RoleBit(Role role) { return static_cast<uint8_t>(role); }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string HexOf(const uint8_t* bytes, size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * size);
  for (size_t i = 0; i < size; ++i) {
    hex += kDigits[bytes[i] >> 4];
    hex += kDigits[bytes[i] & 15];
  }
  return hex;
}

// The key a call presents: "authorization: Bearer KEY" wins over "x-api-key: KEY".
std::string_view PresentedKey(std::string_view authorization, std::string_view x_api_key) {
  if (authorization.substr(0, kBearer.size()) == kBearer) {
    return authorization.substr(kBearer.size());
  }
  return x_api_key;
}

}  // namespace

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kQuery:
      return "query";
    case Role::kFeedback:
      return "feedback";
    case Role::kCatalog:
      return "catalog";
    case Role::kAdmin:
      return "admin";
  }
  return "unknown";
}

absl::StatusOr<Role> ParseRole(std::string_view name) {
  for (Role role : {Role::kQuery, Role::kFeedback, Role::kCatalog, Role::kAdmin}) {
    if (name == RoleName(role)) return role;
  }
  return absl::InvalidArgumentError(
      StrCat("unknown role '", name, "' (expected query, feedback, catalog or admin)"));
}

Sha256Digest Sha256(std::string_view data) {
  Sha256Digest digest{};
  unsigned int size = 0;
  EVP_Digest(data.data(), data.size(), digest.data(), &size, EVP_sha256(), nullptr);
  return digest;
}

std::string ToHex(const Sha256Digest& digest) { return HexOf(digest.data(), digest.size()); }

absl::StatusOr<Sha256Digest> ParseSha256Hex(std::string_view hex) {
  Sha256Digest digest{};
  if (hex.size() != 2 * digest.size()) {
    return absl::InvalidArgumentError(
        StrCat("expected 64 hex digits (a SHA-256 digest), got ", hex.size(), " characters"));
  }
  for (size_t i = 0; i < digest.size(); ++i) {
    const int high = HexValue(hex[2 * i]);
    const int low = HexValue(hex[2 * i + 1]);
    if (high < 0 || low < 0) {
      return absl::InvalidArgumentError("expected 64 hex digits (a SHA-256 digest)");
    }
    digest[i] = static_cast<uint8_t>(high << 4 | low);
  }
  return digest;
}

absl::Status AuthOptions::Validate() const {
  for (size_t i = 0; i < keys.size(); ++i) {
    const std::string path = StrCat("server.auth.keys[", i, "]");
    if (keys[i].name.empty()) return absl::InvalidArgumentError(StrCat(path, ".name: is empty"));
    if (absl::StatusOr<Sha256Digest> d = ParseSha256Hex(keys[i].key_sha256); !d.ok()) {
      return absl::InvalidArgumentError(StrCat(path, ".key_sha256: ", d.status().message()));
    }
    if (keys[i].roles.empty()) {
      return absl::InvalidArgumentError(StrCat(path, ".roles: a key needs at least one role"));
    }
    for (const std::string& role : keys[i].roles) {
      if (absl::StatusOr<Role> r = ParseRole(role); !r.ok()) {
        return absl::InvalidArgumentError(StrCat(path, ".roles: ", r.status().message()));
      }
    }
    for (size_t j = 0; j < i; ++j) {
      if (AsciiLower(keys[j].key_sha256) == AsciiLower(keys[i].key_sha256)) {
        return absl::InvalidArgumentError(
            StrCat(path, ": the same key as server.auth.keys[", j, "] (", keys[j].name, ")"));
      }
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<Authenticator> Authenticator::Create(const AuthOptions& options) {
  if (absl::Status s = options.Validate(); !s.ok()) return s;
  Authenticator auth;
  for (const ApiKeyOptions& key : options.keys) {
    Key parsed{.name = key.name, .digest = *ParseSha256Hex(key.key_sha256), .roles = 0};
    for (const std::string& role : key.roles) parsed.roles |= RoleBit(*ParseRole(role));
    auth.keys_.push_back(std::move(parsed));
  }
  return auth;
}

const Authenticator::Key* Authenticator::Find(std::string_view presented) const {
  const Sha256Digest digest = Sha256(presented);
  // Every stored digest is compared, in constant time, whatever matched: the time taken says
  // nothing about which key (or how much of one) was right.
  const Key* found = nullptr;
  for (const Key& key : keys_) {
    if (CRYPTO_memcmp(key.digest.data(), digest.data(), digest.size()) == 0) found = &key;
  }
  return found;
}

absl::Status Authenticator::Authorize(std::string_view authorization, std::string_view x_api_key,
                                      Role role, std::string* caller) const {
  if (caller != nullptr) caller->clear();
  if (!enabled()) return absl::OkStatus();
  const std::string_view presented = PresentedKey(authorization, x_api_key);
  if (presented.empty()) {
    return absl::UnauthenticatedError(
        "no API key: send it as 'authorization: Bearer KEY' or 'x-api-key: KEY' metadata");
  }
  const Key* key = Find(presented);
  if (key == nullptr) return absl::UnauthenticatedError("unknown API key");
  if ((key->roles & RoleBit(role)) == 0) {
    return absl::PermissionDeniedError(
        StrCat("API key '", key->name, "' lacks the '", RoleName(role), "' role"));
  }
  if (caller != nullptr) *caller = key->name;
  return absl::OkStatus();
}

absl::StatusOr<std::string> GenerateApiKey() {
  uint8_t bytes[32];
  if (RAND_bytes(bytes, sizeof(bytes)) != 1) {
    return absl::InternalError("could not draw random bytes for a key (OpenSSL RAND_bytes)");
  }
  return HexOf(bytes, sizeof(bytes));
}

}  // namespace souk::api
