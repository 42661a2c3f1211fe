#!/bin/sh
# Entry point of the Souk container images: soukd on the mounted configuration, with TLS and API
# keys switched on by what the deployment mounts, so one image serves every environment.
#
#   SOUK_CONFIG    the configuration (default /etc/souk/souk.yaml)
#   SOUK_TLS_DIR   a directory with tls.crt and tls.key (a Kubernetes TLS secret); with ca.crt
#                  too, mutual TLS (default /etc/souk/tls; ignored when absent)
#   SOUK_KEY_FILE  a `keys:` YAML file of API key digests (default /etc/souk/keys/keys.yaml;
#                  ignored when absent)
#   SOUKD          the server binary (default soukd on PATH)
#
# Arguments are passed on to soukd (more --set overrides). The configuration is checked first
# (soukd --print-config), so that a bad mount fails with its message before anything listens.
set -eu
config=${SOUK_CONFIG:-/etc/souk/souk.yaml}
tls_dir=${SOUK_TLS_DIR:-/etc/souk/tls}
key_file=${SOUK_KEY_FILE:-/etc/souk/keys/keys.yaml}
soukd=${SOUKD:-soukd}

if [ ! -r "$config" ]; then
  echo "souk-entrypoint: no readable configuration at $config (set SOUK_CONFIG)" >&2
  exit 2
fi
set -- --config "$config" "$@"
if [ -r "$tls_dir/tls.crt" ] && [ -r "$tls_dir/tls.key" ]; then
  set -- "$@" --set "server.tls.cert_file=$tls_dir/tls.crt" --set "server.tls.key_file=$tls_dir/tls.key"
  if [ -r "$tls_dir/ca.crt" ]; then
    set -- "$@" --set "server.tls.client_ca_file=$tls_dir/ca.crt"
  fi
fi
if [ -r "$key_file" ]; then
  set -- "$@" --set "server.auth.key_file=$key_file"
fi
"$soukd" "$@" --print-config > /dev/null
exec "$soukd" "$@"
