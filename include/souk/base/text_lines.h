// Line and field splitting for Souk's text input files (catalog TSV and JSONL, qrels, query
// lists, TREC runs), so that every reader treats line ends, byte order marks and tabs alike.
//
// LineCursor: '\n' ends a line, a '\r' before it is dropped (CRLF files read the same), the last
// line needs no terminator, and a UTF-8 byte order mark at the very start is skipped
// (spreadsheet exports write both). Empty lines are returned (readers decide to skip them) and
// count for line numbers.
//
// Thread-safety: a LineCursor is used by one thread; the free functions are pure.
// Ownership: everything returned views the caller's text, which must outlive it.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace souk {

/// Iterates over the lines of a whole file held in memory.
class LineCursor {
 public:
  explicit LineCursor(std::string_view contents);
  /// Sets `*line` to the next line without its terminator; false at the end of the text.
  bool Next(std::string_view* line);
  /// 1-based number of the line last returned by Next (0 before the first).
  size_t line_number() const { return line_number_; }

 private:
  std::string_view rest_;
  size_t line_number_ = 0;
};

/// The cells of a tab-separated line: no quoting and no escapes, a tab always separates (the
/// IANA text/tab-separated-values rule). "" is one empty cell; "a\t" is "a" and "".
std::vector<std::string_view> SplitTabs(std::string_view line);
/// As above, into `*cells` (cleared first), so that a reader can reuse one vector per file.
void SplitTabs(std::string_view line, std::vector<std::string_view>* cells);

/// `text` without the spaces and tabs around it.
std::string_view TrimBlanks(std::string_view text);

}  // namespace souk
