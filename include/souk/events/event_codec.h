// The binary record of one Event in the event log (docs/formats/event-log.md): a version byte,
// the type, then every field in a fixed order as varints, length-prefixed bytes and one
// little-endian double. Compact (a click is about 60 bytes), and a record of another version is
// refused, never misread.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "souk/events/event.h"

namespace souk::events {

/// Current record version, the first byte of every record.
inline constexpr uint8_t kEventRecordVersion = 1;

std::string EncodeEvent(const Event& event);
/// DATA_LOSS naming what is wrong for a truncated or corrupt record or an unknown version.
absl::StatusOr<Event> DecodeEvent(std::string_view record);

}  // namespace souk::events
