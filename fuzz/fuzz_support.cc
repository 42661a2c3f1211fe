#include "fuzz_support.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "souk/base/file_util.h"
#include "souk/base/logging.h"

namespace souk::fuzz {

void Fail(std::string_view what) {
  std::fprintf(stderr, "invariant broken: %.*s\n", static_cast<int>(what.size()), what.data());
  std::abort();
}

void QuietLogs() { logging::Configure({.level = logging::Level::kOff}); }

const std::string& ScratchDir() {
  static const std::string dir = [] {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern =
        std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/souk-fuzz-XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) Fail("cannot make a scratch directory");
    // Removed at exit; libFuzzer exits through exit() after its last run.
    static const std::string removed_at_exit = pattern;
    std::atexit([] {
      std::error_code ignored;
      std::filesystem::remove_all(removed_at_exit, ignored);
    });
    return pattern;
  }();
  return dir;
}

namespace {

// In place, not atomically: WriteFileAtomically's fsyncs would cost more than most inputs.
void WriteBytes(const std::string& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out.flush()) Fail("cannot write " + path);
}

}  // namespace

std::string WriteScratchFile(const std::string& name, std::string_view bytes) {
  std::string path = ScratchDir() + "/" + name;
  WriteBytes(path, bytes);
  return path;
}

std::string ReadWholeFile(const std::string& path) {
  absl::StatusOr<std::string> bytes = ReadFileToString(path);
  if (!bytes.ok()) Fail(bytes.status().ToString());
  return *std::move(bytes);
}

void SealCrc32(std::string* bytes) {
  if (bytes->size() < 4) return;
  const size_t body = bytes->size() - 4;
  const uint32_t crc = Crc32(std::string_view(*bytes).substr(0, body));
  for (size_t i = 0; i < 4; ++i) (*bytes)[body + i] = static_cast<char>((crc >> (8 * i)) & 0xff);
}

void WriteSeeds(int argc, char** argv, const std::vector<std::string>& seeds) {
  for (int a = 1; a < argc; ++a) {
    const std::string dir = argv[a];
    struct stat info {};
    if (dir.empty() || dir[0] == '-' || stat(dir.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) {
      continue;
    }
    for (size_t i = 0; i < seeds.size(); ++i)
      WriteBytes(dir + "/seed-" + std::to_string(i), seeds[i]);
  }
}

}  // namespace souk::fuzz
