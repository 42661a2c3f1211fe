// Whole-file reads and crash-safe writes.
//
// WriteFileAtomically writes to a temporary file of its own beside the target (mkstemp), fsyncs
// it, renames it over the target and fsyncs the directory: a reader sees the old file or the new
// one, never half, and concurrent writers of one target never share a temporary file.
//
// Errors map errno to a status code: ENOENT -> NOT_FOUND; EACCES, EPERM, EROFS ->
// PERMISSION_DENIED; ENOSPC, EDQUOT, EMFILE, ENFILE, ENOMEM -> RESOURCE_EXHAUSTED; EISDIR,
// ENOTDIR, EEXIST -> FAILED_PRECONDITION; anything else INTERNAL. Messages name the path and the
// failing step ("reading x: Input/output error").
// Thread-safety: every function may be called from several threads at once.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace souk {

/// The whole contents of the regular file `path`. Anything else (a directory, a FIFO, a device)
/// is FAILED_PRECONDITION "not a regular file: <path>"; a failed read is an error, never a short
/// result.
absl::StatusOr<std::string> ReadFileToString(const std::string& path);
/// Replaces `path` with `contents` atomically (see above); the new file gets mode 0666 & ~umask.
absl::Status WriteFileAtomically(const std::string& path, std::string_view contents);
/// Removes the file `path` and fsyncs its directory, so that the removal survives a crash;
/// OK when there was nothing to remove.
absl::Status RemoveFileIfExists(const std::string& path);
/// Creates `path` and its parents; OK when it already exists as a directory.
absl::Status MakeDirectories(const std::string& path);
/// CRC-32 (ISO-HDLC, as zlib and gzip compute it) of `data`, continuing from `crc`.
uint32_t Crc32(std::string_view data, uint32_t crc = 0);

}  // namespace souk
