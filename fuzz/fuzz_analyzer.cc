// The analyzer on arbitrary bytes: whatever a query or a product title holds (invalid UTF-8,
// control characters, huge runs of one script), it returns terms within the configured bounds.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string_view>

#include "souk/text/analyzer.h"

namespace {

const souk::text::Analyzer& TheAnalyzer() {
  static const std::unique_ptr<souk::text::Analyzer> analyzer = [] {
    auto created = souk::text::Analyzer::Create(souk::text::AnalyzerOptions{});
    if (!created.ok()) std::abort();
    return std::move(*created);
  }();
  return *analyzer;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const souk::text::AnalyzerOptions options;
  for (const std::string& term : TheAnalyzer().Analyze(text)) {
    if (term.empty() || term.size() > options.max_term_bytes) std::abort();
  }
  return 0;
}
