// souk apikey: a fresh API key and the config entry that admits it (server.auth.keys). The
// server stores only the digest; the key is printed once, for the caller.
#include <iostream>

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "cmd_util.h"
#include "commands.h"
#include "souk/api/auth.h"

namespace souk::apps {
namespace {

constexpr char kUsage[] =
    R"(usage: souk apikey --name NAME --roles query[,feedback,catalog,admin]

Prints a new random API key (give it to the caller, e.g. as SOUK_API_KEY) and the entry for
server.auth.keys (or a server.auth.key_file) that admits it with those roles. Only the key's
SHA-256 goes into the configuration.
)";

}  // namespace

int RunApiKey(int argc, char** argv) {
  auto flags = Flags::Parse(argc, argv, 2, {.with_value = {"name", "roles"}, .boolean = {"help"}});
  if (!flags.ok()) return Fail("souk apikey", flags.status());
  if (flags->Has("help") || !flags->positional().empty()) return Usage(kUsage, flags->Has("help"));
  if (absl::Status s = flags->Require({"name", "roles"}); !s.ok()) return Fail("souk apikey", s);
  api::ApiKeyOptions entry;
  entry.name = flags->Get("name");
  entry.roles = absl::StrSplit(flags->Get("roles"), ',', absl::SkipEmpty());
  auto key = api::GenerateApiKey();
  if (!key.ok()) return Fail("souk apikey", key.status());
  entry.key_sha256 = api::ToHex(api::Sha256(*key));
  if (absl::Status s = api::AuthOptions{.keys = {entry}}.Validate(); !s.ok()) {
    return Fail("souk apikey", s);
  }
  std::cout << "key: " << *key << "\n"
            << "# server.auth.keys entry:\n"
            << "- {name: " << entry.name << ", key_sha256: " << entry.key_sha256 << ", roles: ["
            << absl::StrJoin(entry.roles, ", ") << "]}\n";
  return 0;
}

}  // namespace souk::apps
