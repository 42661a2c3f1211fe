// Whole-file reads and crash-safe writes.
//
// WriteFileAtomically writes to a temporary file beside the target, fsyncs it, renames it over
// the target and fsyncs the directory: a reader sees the old file or the new one, never half.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace souk {

absl::StatusOr<std::string> ReadFileToString(const std::string& path);
absl::Status WriteFileAtomically(const std::string& path, std::string_view contents);
/// Creates `path` and its parents; OK when it already exists as a directory.
absl::Status MakeDirectories(const std::string& path);
/// CRC-32 (ISO-HDLC, as zlib and gzip compute it) of `data`, continuing from `crc`.
uint32_t Crc32(std::string_view data, uint32_t crc = 0);

}  // namespace souk
