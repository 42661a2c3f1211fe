#include "souk/lexical/rewrite_rules.h"

#include <utility>

#include "souk/base/file_util.h"
#include "souk/base/numbers.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"
#include "souk/base/text_lines.h"

namespace souk::lexical {
namespace {

constexpr std::string_view kArrow = "=>";
constexpr std::string_view kLearnedHeader = "from\tto\tusers";

// The comma-separated phrases of one side of a synonym line, trimmed; an empty one is an error.
absl::StatusOr<std::vector<std::string>> Phrases(std::string_view side) {
  std::vector<std::string> phrases;
  size_t start = 0;
  while (true) {
    const size_t comma = side.find(',', start);
    const std::string_view phrase =
        TrimBlanks(side.substr(start, comma == std::string_view::npos ? side.npos : comma - start));
    if (phrase.empty()) {
      return absl::InvalidArgumentError(StrCat("empty phrase in \"", side, "\""));
    }
    phrases.emplace_back(phrase);
    if (comma == std::string_view::npos) return phrases;
    start = comma + 1;
  }
}

absl::Status LineError(const std::string& path, size_t line, std::string_view what) {
  return absl::InvalidArgumentError(StrCat(path, ":", line, ": ", what));
}

}  // namespace

absl::StatusOr<std::vector<RewriteRule>> ParseSynonymLine(std::string_view line) {
  std::vector<RewriteRule> rules;
  if (TrimBlanks(line).empty()) return rules;
  const size_t arrow = line.find(kArrow);
  if (arrow == std::string_view::npos) {
    SOUK_ASSIGN_OR_RETURN(const std::vector<std::string> phrases, Phrases(line));
    if (phrases.size() < 2) {
      return absl::InvalidArgumentError(
          StrCat("\"", line, "\": one phrase; synonyms need two or more, or \"=>\""));
    }
    for (const std::string& from : phrases) {
      for (const std::string& to : phrases) {
        if (&from != &to) rules.push_back({from, to});
      }
    }
    return rules;
  }
  if (line.find(kArrow, arrow + kArrow.size()) != std::string_view::npos) {
    return absl::InvalidArgumentError(StrCat("\"", line, "\": more than one \"=>\""));
  }
  SOUK_ASSIGN_OR_RETURN(const std::vector<std::string> froms, Phrases(line.substr(0, arrow)));
  SOUK_ASSIGN_OR_RETURN(const std::vector<std::string> tos,
                        Phrases(line.substr(arrow + kArrow.size())));
  for (const std::string& from : froms) {
    for (const std::string& to : tos) rules.push_back({from, to});
  }
  return rules;
}

absl::StatusOr<std::vector<RewriteRule>> ReadSynonymsFile(const std::string& path) {
  SOUK_ASSIGN_OR_RETURN(const std::string contents, ReadFileToString(path));
  std::vector<RewriteRule> rules;
  LineCursor cursor(contents);
  std::string_view line;
  while (cursor.Next(&line)) {
    const std::string_view text = line.substr(0, line.find('#'));
    absl::StatusOr<std::vector<RewriteRule>> parsed = ParseSynonymLine(text);
    if (!parsed.ok())
      return LineError(path, cursor.line_number(), std::string(parsed.status().message()));
    for (RewriteRule& rule : *parsed) rules.push_back(std::move(rule));
  }
  return rules;
}

absl::StatusOr<std::vector<LearnedRewrite>> ReadLearnedRewrites(const std::string& path) {
  SOUK_ASSIGN_OR_RETURN(const std::string contents, ReadFileToString(path));
  LineCursor cursor(contents);
  std::string_view line;
  if (!cursor.Next(&line) || line != kLearnedHeader) {
    return LineError(path, 1, "expected the header \"from<TAB>to<TAB>users\"");
  }
  std::vector<LearnedRewrite> rewrites;
  std::vector<std::string_view> cells;
  while (cursor.Next(&line)) {
    if (TrimBlanks(line).empty()) continue;
    SplitTabs(line, &cells);
    if (cells.size() != 3) {
      return LineError(path, cursor.line_number(), StrCat("expected 3 cells, got ", cells.size()));
    }
    if (TrimBlanks(cells[0]).empty() || TrimBlanks(cells[1]).empty()) {
      return LineError(path, cursor.line_number(), "empty query");
    }
    const std::optional<size_t> users = ParseWhole<size_t>(cells[2]);
    if (!users.has_value() || *users == 0) {
      return LineError(path, cursor.line_number(),
                       StrCat("users: expected a positive integer, got \"", cells[2], "\""));
    }
    rewrites.push_back({std::string(cells[0]), std::string(cells[1]), *users});
  }
  return rewrites;
}

absl::Status WriteLearnedRewrites(const std::string& path,
                                  const std::vector<LearnedRewrite>& rewrites) {
  std::string out = StrCat(kLearnedHeader, "\n");
  for (const LearnedRewrite& r : rewrites) {
    for (const std::string* query : {&r.from, &r.to}) {
      if (TrimBlanks(*query).empty() || query->find_first_of("\t\r\n") != std::string::npos) {
        return absl::InvalidArgumentError(
            StrCat("learned rewrite \"", r.from, "\" -> \"", r.to,
                   "\": a query must be non-empty and hold no tab or line break"));
      }
    }
    out += StrCat(r.from, "\t", r.to, "\t", r.users, "\n");
  }
  return WriteFileAtomically(path, out);
}

std::vector<RewriteRule> AsRules(const std::vector<LearnedRewrite>& rewrites) {
  std::vector<RewriteRule> rules;
  rules.reserve(rewrites.size());
  for (const LearnedRewrite& r : rewrites) rules.push_back({r.from, r.to, /*whole_query=*/true});
  return rules;
}

}  // namespace souk::lexical
