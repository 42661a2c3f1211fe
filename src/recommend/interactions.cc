#include "souk/recommend/interactions.h"

#include "souk/base/check.h"
#include "souk/base/file_util.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"
#include "souk/base/text_lines.h"

namespace souk::recommend {
namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

// The blank-separated fields of `line`.
std::vector<std::string_view> Fields(std::string_view line) {
  std::vector<std::string_view> fields;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && IsBlank(line[i])) ++i;
    const size_t start = i;
    while (i < line.size() && !IsBlank(line[i])) ++i;
    if (i > start) fields.push_back(line.substr(start, i - start));
  }
  return fields;
}

absl::StatusOr<Interactions> Read(const std::string& path, ItemVocabulary start,
                                  UnknownItems unknown) {
  SOUK_ASSIGN_OR_RETURN(const std::string contents, ReadFileToString(path));
  Interactions out;
  out.items = std::move(start);
  const bool fixed = unknown == UnknownItems::kSkip;
  absl::flat_hash_map<std::string, size_t> user_index;
  LineCursor cursor(contents);
  std::string_view line;
  while (cursor.Next(&line)) {
    const std::vector<std::string_view> fields = Fields(line);
    if (fields.empty()) continue;
    if (fields.size() != 2) {
      return absl::InvalidArgumentError(StrCat(path, ":", cursor.line_number(), ": ", fields.size(),
                                               " fields, expected `user item`"));
    }
    ++out.lines;
    const auto [it, added] = user_index.try_emplace(std::string(fields[0]), out.users.size());
    if (added) out.users.push_back({std::string(fields[0]), {}});
    const ItemIndex item = fixed ? out.items.Find(fields[1]) : out.items.Add(fields[1]);
    if (item == 0) {
      ++out.unknown_items;
      continue;
    }
    out.users[it->second].items.push_back(item);
    out.in_file_order.push_back(item);
  }
  if (out.lines == 0) {
    return absl::FailedPreconditionError(StrCat(path, ": no interactions (`user item` lines)"));
  }
  return out;
}

}  // namespace

ItemIndex ItemVocabulary::Add(std::string_view item) {
  const auto [it, added] =
      index_.try_emplace(std::string(item), static_cast<ItemIndex>(names_.size() + 1));
  if (added) names_.emplace_back(item);
  return it->second;
}

ItemIndex ItemVocabulary::Find(std::string_view item) const {
  const auto it = index_.find(absl::string_view(item.data(), item.size()));
  return it == index_.end() ? 0 : it->second;
}

const std::string& ItemVocabulary::Name(ItemIndex index) const {
  SOUK_CHECK(index >= 1 && index <= names_.size());
  return names_[index - 1];
}

std::string ItemVocabulary::ToText() const {
  std::string out;
  for (const std::string& name : names_) {
    out += name;
    out += '\n';
  }
  return out;
}

absl::StatusOr<ItemVocabulary> ItemVocabulary::FromText(std::string_view text,
                                                        std::string_view source) {
  ItemVocabulary vocabulary;
  LineCursor cursor(text);
  std::string_view line;
  while (cursor.Next(&line)) {
    if (line.empty() || Fields(line).size() != 1 || Fields(line)[0] != line) {
      return absl::InvalidArgumentError(
          StrCat(source, ":", cursor.line_number(), ": not one item id without blanks"));
    }
    if (vocabulary.Find(line) != 0) {
      return absl::InvalidArgumentError(
          StrCat(source, ":", cursor.line_number(), ": item '", line, "' repeated"));
    }
    vocabulary.Add(line);
  }
  return vocabulary;
}

absl::StatusOr<Interactions> ReadInteractions(const std::string& path) {
  return Read(path, ItemVocabulary(), UnknownItems::kAdd);
}

absl::StatusOr<Interactions> ReadInteractions(const std::string& path,
                                              const ItemVocabulary& vocabulary,
                                              UnknownItems unknown) {
  return Read(path, vocabulary, unknown);
}

}  // namespace souk::recommend
