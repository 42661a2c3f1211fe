#include "souk/api/auth.h"

#include "support/test_support.h"

namespace souk::api {
namespace {

using ::souk::testing::StatusIs;

ApiKeyOptions Key(std::string name, std::string_view key, std::vector<std::string> roles) {
  return {.name = std::move(name), .key_sha256 = ToHex(Sha256(key)), .roles = std::move(roles)};
}

TEST(Sha256Test, MatchesTheStandardTestVector) {
  // FIPS 180-2, appendix B.1.
  EXPECT_EQ(ToHex(Sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256Test, HexParsesBackAndRejectsWhatIsNotADigest) {
  const Sha256Digest digest = Sha256("key");
  auto parsed = ParseSha256Hex(ToHex(digest));
  ASSERT_OK(parsed);
  EXPECT_EQ(*parsed, digest);
  std::string upper = ToHex(digest);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_OK(ParseSha256Hex(upper));
  EXPECT_THAT(ParseSha256Hex("abc"), StatusIs(absl::StatusCode::kInvalidArgument, "64 hex"));
  EXPECT_THAT(ParseSha256Hex(std::string(63, 'a') + "g"),
              StatusIs(absl::StatusCode::kInvalidArgument, "hex digits"));
}

TEST(AuthenticatorTest, WithoutKeysEveryCallIsAllowed) {
  auto auth = Authenticator::Create({});
  ASSERT_OK(auth);
  EXPECT_FALSE(auth->enabled());
  EXPECT_OK(auth->Authorize("", "", Role::kAdmin));
}

TEST(AuthenticatorTest, KeysAreCheckedAgainstTheirRoles) {
  AuthOptions options;
  options.keys = {Key("shop", "s3cret", {"query", "feedback"}), Key("ops", "r00t", {"admin"})};
  auto auth = Authenticator::Create(options);
  ASSERT_OK(auth);
  std::string caller;
  EXPECT_OK(auth->Authorize("Bearer s3cret", "", Role::kQuery, &caller));
  EXPECT_EQ(caller, "shop");
  EXPECT_OK(auth->Authorize("", "s3cret", Role::kFeedback, &caller));
  EXPECT_OK(auth->Authorize("", "r00t", Role::kAdmin, &caller));
  EXPECT_EQ(caller, "ops");
  EXPECT_THAT(auth->Authorize("Bearer s3cret", "", Role::kCatalog),
              StatusIs(absl::StatusCode::kPermissionDenied, "'shop' lacks the 'catalog' role"));
  EXPECT_THAT(auth->Authorize("", "", Role::kQuery),
              StatusIs(absl::StatusCode::kUnauthenticated, "no API key"));
  EXPECT_THAT(auth->Authorize("Bearer s3cre", "", Role::kQuery),
              StatusIs(absl::StatusCode::kUnauthenticated, "unknown API key"));
  // Another scheme in `authorization` is not a key; x-api-key is then used.
  EXPECT_THAT(auth->Authorize("Basic s3cret", "", Role::kQuery),
              StatusIs(absl::StatusCode::kUnauthenticated, "no API key"));
  EXPECT_OK(auth->Authorize("Basic xyz", "s3cret", Role::kQuery));
}

TEST(AuthenticatorTest, BadOptionsNameTheKey) {
  AuthOptions options;
  options.keys = {Key("shop", "a", {"query"}), Key("", "b", {"query"})};
  EXPECT_THAT(Authenticator::Create(options),
              StatusIs(absl::StatusCode::kInvalidArgument, "server.auth.keys[1].name: is empty"));
  options.keys = {Key("shop", "a", {"query", "superuser"})};
  EXPECT_THAT(Authenticator::Create(options),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "server.auth.keys[0].roles: unknown role 'superuser'"));
  options.keys = {Key("shop", "a", {})};
  EXPECT_THAT(Authenticator::Create(options),
              StatusIs(absl::StatusCode::kInvalidArgument, "keys[0].roles: a key needs"));
  options.keys = {{.name = "shop", .key_sha256 = "s3cret", .roles = {"query"}}};
  EXPECT_THAT(Authenticator::Create(options),
              StatusIs(absl::StatusCode::kInvalidArgument, "keys[0].key_sha256: expected 64"));
  options.keys = {Key("shop", "a", {"query"}), Key("ops", "a", {"admin"})};
  EXPECT_THAT(Authenticator::Create(options),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "keys[1]: the same key as server.auth.keys[0] (shop)"));
}

TEST(GenerateApiKeyTest, KeysAreFreshHex) {
  auto a = GenerateApiKey();
  auto b = GenerateApiKey();
  ASSERT_OK(a);
  ASSERT_OK(b);
  EXPECT_EQ(a->size(), 64u);
  EXPECT_NE(*a, *b);
  EXPECT_OK(ParseSha256Hex(*a));  // 64 hex digits, like a digest
}

TEST(RoleTest, NamesParseBack) {
  for (Role role : {Role::kQuery, Role::kFeedback, Role::kCatalog, Role::kAdmin}) {
    auto parsed = ParseRole(RoleName(role));
    ASSERT_OK(parsed);
    EXPECT_EQ(*parsed, role);
  }
}

}  // namespace
}  // namespace souk::api
