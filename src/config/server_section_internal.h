// The configuration's `server` section (transport, access, limits, the console): read into
// api::ServerOptions and written back. Private to config/; souk_config.cc calls both.
#pragma once

#include "absl/status/status.h"
#include "souk/api/server_options.h"
#include "yaml-cpp/yaml.h"
#include "yaml_binder.h"

namespace souk::config::internal {

/// Reads `b` (the `server` mapping) into `*o`, including the API keys of server.auth.key_file;
/// errors name the key's path.
absl::Status BindServer(YamlBinder b, api::ServerOptions* o);

/// Writes `o` as the `server` mapping; API keys as names, digests and roles, never a key.
void EmitServer(const api::ServerOptions& o, YAML::Emitter& out);

}  // namespace souk::config::internal
