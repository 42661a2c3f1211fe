#include <string>
#include <vector>

#include "server_section_internal.h"
#include "souk/base/file_util.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"

namespace souk::config::internal {
namespace {

absl::Status BindApiKeys(YamlBinder& b, std::vector<api::ApiKeyOptions>* keys) {
  for (YamlBinder& item : b.Items("keys")) {
    api::ApiKeyOptions key;
    item.Bind("name", &key.name);
    item.Bind("key_sha256", &key.key_sha256);
    item.Bind("roles", &key.roles);
    SOUK_RETURN_IF_ERROR(item.Finish({"name", "key_sha256", "roles"}));
    keys->push_back(std::move(key));
  }
  return absl::OkStatus();
}

// The key file holds a `keys:` list like the config's; its keys follow the config's.
absl::Status BindKeyFile(const std::string& path, std::vector<api::ApiKeyOptions>* keys) {
  absl::StatusOr<std::string> text = ReadFileToString(path);
  if (!text.ok()) return Annotate(text.status(), "server.auth.key_file");
  try {
    YamlBinder file(YAML::Load(*text), "");
    absl::Status status = BindApiKeys(file, keys);
    if (status.ok()) status = file.Finish({"keys"});
    return Annotate(status, StrCat("server.auth.key_file ", path));
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(
        StrCat("server.auth.key_file: ", path, ": YAML syntax error: ", e.what()));
  }
}

}  // namespace

absl::Status BindServer(YamlBinder b, api::ServerOptions* o) {
  b.Bind("address", &o->address);
  b.Bind("max_message_bytes", &o->max_message_bytes);
  b.Bind("shutdown_grace_ms", &o->shutdown_grace_ms);
  b.Bind("reflection", &o->reflection);
  b.Bind("metrics_address", &o->metrics_address);
  b.Bind("workers", &o->workers);
  b.Bind("max_queue", &o->max_queue);
  b.Bind("max_queue_wait_ms", &o->max_queue_wait_ms);
  b.Bind("default_deadline_ms", &o->default_deadline_ms);
  b.Bind("access_log", &o->access_log);
  YamlBinder tls = b.Child("tls");
  tls.Bind("cert_file", &o->tls.cert_file);
  tls.Bind("key_file", &o->tls.key_file);
  tls.Bind("client_ca_file", &o->tls.client_ca_file);
  SOUK_RETURN_IF_ERROR(tls.Finish({"cert_file", "key_file", "client_ca_file"}));
  YamlBinder auth = b.Child("auth");
  SOUK_RETURN_IF_ERROR(BindApiKeys(auth, &o->auth.keys));
  auth.Bind("key_file", &o->auth.key_file);
  SOUK_RETURN_IF_ERROR(auth.Finish({"keys", "key_file"}));
  if (!o->auth.key_file.empty()) SOUK_RETURN_IF_ERROR(BindKeyFile(o->auth.key_file, &o->auth.keys));
  YamlBinder console = b.Child("console");
  console.Bind("enabled", &o->console.enabled);
  console.Bind("static_dir", &o->console.static_dir);
  SOUK_RETURN_IF_ERROR(console.Finish({"enabled", "static_dir"}));
  return b.Finish({"address", "max_message_bytes", "shutdown_grace_ms", "reflection",
                   "metrics_address", "workers", "max_queue", "max_queue_wait_ms",
                   "default_deadline_ms", "access_log", "tls", "auth", "console"});
}

void EmitServer(const api::ServerOptions& o, YAML::Emitter& out) {
  out << YAML::BeginMap << YAML::Key << "address" << YAML::Value << o.address << YAML::Key
      << "max_message_bytes" << YAML::Value << o.max_message_bytes << YAML::Key
      << "shutdown_grace_ms" << YAML::Value << o.shutdown_grace_ms << YAML::Key << "reflection"
      << YAML::Value << o.reflection << YAML::Key << "metrics_address" << YAML::Value
      << o.metrics_address << YAML::Key << "workers" << YAML::Value << o.workers << YAML::Key
      << "max_queue" << YAML::Value << o.max_queue << YAML::Key << "max_queue_wait_ms"
      << YAML::Value << o.max_queue_wait_ms << YAML::Key << "default_deadline_ms" << YAML::Value
      << o.default_deadline_ms << YAML::Key << "access_log" << YAML::Value << o.access_log;
  const api::TlsOptions& tls = o.tls;
  out << YAML::Key << "tls" << YAML::Value << YAML::BeginMap << YAML::Key << "cert_file"
      << YAML::Value << tls.cert_file << YAML::Key << "key_file" << YAML::Value << tls.key_file
      << YAML::Key << "client_ca_file" << YAML::Value << tls.client_ca_file << YAML::EndMap;
  // The keys as loaded (the key file's included): names, digests and roles, never a key.
  out << YAML::Key << "auth" << YAML::Value << YAML::BeginMap << YAML::Key << "keys" << YAML::Value
      << YAML::BeginSeq;
  for (const api::ApiKeyOptions& key : o.auth.keys) {
    out << YAML::BeginMap << YAML::Key << "name" << YAML::Value << key.name << YAML::Key
        << "key_sha256" << YAML::Value << key.key_sha256 << YAML::Key << "roles" << YAML::Value
        << YAML::Flow << key.roles << YAML::EndMap;
  }
  out << YAML::EndSeq << YAML::Key << "key_file" << YAML::Value << "" << YAML::EndMap;
  out << YAML::Key << "console" << YAML::Value << YAML::BeginMap << YAML::Key << "enabled"
      << YAML::Value << o.console.enabled << YAML::Key << "static_dir" << YAML::Value
      << o.console.static_dir << YAML::EndMap;
  out << YAML::EndMap;
}

}  // namespace souk::config::internal
