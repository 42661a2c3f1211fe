// What the fuzz targets share: a scratch file for readers that take a path, the CRC trailer of
// Souk's binary files, seed inputs made by the real writers, and a failure that says what broke.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace souk::fuzz {

/// Prints "invariant broken: <what>" and aborts: libFuzzer saves the input as a crash.
[[noreturn]] void Fail(std::string_view what);

/// Turns Souk's own logging off: a target checks its invariants itself, and a line per input
/// (an index loaded, a request refused) would slow it down and fill the disk.
void QuietLogs();

/// The bytes of a fuzz input.
inline std::string_view AsText(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// A private directory (made once per process, under $TMPDIR or /tmp) and files in it that
/// readers taking a path are pointed at. Written in place, not atomically: no fsync per input.
const std::string& ScratchDir();
/// Writes `bytes` to ScratchDir()/name and returns the path.
std::string WriteScratchFile(const std::string& name, std::string_view bytes);
/// The whole file `path` (aborts when it cannot be read: used on files the target wrote).
std::string ReadWholeFile(const std::string& path);

/// Overwrites the last four bytes of `bytes` with the little-endian CRC-32 of the bytes before
/// them, the trailer of the lexical index and vector files, so that mutations reach the parser
/// behind the checksum (a no-op below four bytes).
void SealCrc32(std::string* bytes);

/// Writes each of `seeds` as seed-<i> into every corpus directory on libFuzzer's command line
/// (the arguments that do not start with '-'), from LLVMFuzzerInitialize, before libFuzzer
/// reads them: valid files from the real writers, which random bytes would not find past a
/// magic number and a checksum.
void WriteSeeds(int argc, char** argv, const std::vector<std::string>& seeds);

}  // namespace souk::fuzz
