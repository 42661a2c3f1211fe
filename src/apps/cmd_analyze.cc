// souk analyze: the index terms the analyzer makes of each line of stdin, so that a shop can
// see why a query matches (or misses) a title, and outside tools can score over the same terms.

#include <iostream>
#include <string>

#include "cmd_util.h"
#include "commands.h"
#include "souk/text/analyzer.h"

namespace souk::apps {

namespace {
constexpr char kUsage[] = R"(usage: souk analyze [--no-stem]

Reads UTF-8 lines on stdin and writes, for each, its index terms separated by single spaces
(terms never contain whitespace), as Souk's analyzer makes them for indexing and for queries.
--no-stem: without English stemming (analyzer.stem_english false).
)";
}  // namespace

int RunAnalyze(int argc, char** argv) {
  auto flags = Flags::Parse(argc, argv, 2, {.with_value = {}, .boolean = {"no-stem", "help"}});
  if (!flags.ok()) return Fail("souk analyze", flags.status());
  if (flags->Has("help") || !flags->positional().empty()) {
    return Usage(kUsage, flags->Has("help"));
  }
  text::AnalyzerOptions options;
  options.stem_english = !flags->Has("no-stem");
  auto analyzer = text::Analyzer::Create(options);
  if (!analyzer.ok()) return Fail("souk analyze", analyzer.status());
  for (std::string line; std::getline(std::cin, line);) {
    std::cout << (*analyzer)->AnalyzedText(line) << '\n';
  }
  return 0;
}

}  // namespace souk::apps
