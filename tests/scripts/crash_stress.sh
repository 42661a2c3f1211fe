#!/usr/bin/env bash
# Kills soukd with SIGKILL 20 times while clients stream LogEvents, restarting it each time, and
# checks that every acknowledged event is in the event log (tests/integration/
# event_durability_test.cc). Slower than the default test run (about a minute), so not in it.
#
#   tests/scripts/crash_stress.sh [BUILD_DIR] [ROUNDS]     (defaults: build/release, 20)
set -euo pipefail
cd "$(dirname "$0")/../.."
build_dir=${1:-build/release}
rounds=${2:-20}
cmake --build "${build_dir}" --target event_durability_test soukd
SOUK_CRASH_ROUNDS=${rounds} "${build_dir}/tests/integration/event_durability_test" \
  --gtest_filter='EventDurabilityTest.*'
