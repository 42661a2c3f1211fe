#include "fuzz_support.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

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

std::string WriteScratchFile(const std::string& name, std::string_view bytes) {
  std::string path = ScratchDir() + "/" + name;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out.flush()) Fail("cannot write " + path);
  return path;
}

std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (!in) Fail("cannot read " + path);
  return bytes.str();
}

void SealCrc32(std::string* bytes) {
  if (bytes->size() < 4) return;
  const size_t body = bytes->size() - 4;
  const uint32_t crc = Crc32(std::string_view(*bytes).substr(0, body));
  for (size_t i = 0; i < 4; ++i) (*bytes)[body + i] = static_cast<char>((crc >> (8 * i)) & 0xff);
}

std::vector<catalog::Product> ShopProducts() {
  const char* titles[] = {"Cordless drill 18V",  "Garden hose 50 ft",    "蓝牙耳机 无线",
                          "Drill bits, 20 pack", "Cordless leaf blower", "LED ceiling light"};
  const char* brands[] = {"DeWalt", "Flexzilla", "小米", "DeWalt", "Ryobi", ""};
  std::vector<catalog::Product> products(6);
  for (size_t i = 0; i < products.size(); ++i) {
    products[i].id = "p" + std::to_string(i);
    products[i].title = titles[i];
    products[i].brand = brands[i];
    products[i].category_path = {"Tools", i % 2 == 0 ? "Power" : "Hand"};
    products[i].price = 10.0 * static_cast<double>(i + 1);
    products[i].stock = static_cast<int64_t>(i % 3);
    products[i].attributes = {{"color", i % 2 == 0 ? "red" : "blue"}};
  }
  return products;
}

void WriteSeeds(int argc, char** argv, const std::vector<std::string>& seeds) {
  for (int a = 1; a < argc; ++a) {
    const std::string dir = argv[a];
    struct stat info {};
    if (dir.empty() || dir[0] == '-' || stat(dir.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) {
      continue;
    }
    for (size_t i = 0; i < seeds.size(); ++i) {
      std::ofstream out(dir + "/seed-" + std::to_string(i), std::ios::binary | std::ios::trunc);
      out.write(seeds[i].data(), static_cast<std::streamsize>(seeds[i].size()));
    }
  }
}

}  // namespace souk::fuzz
