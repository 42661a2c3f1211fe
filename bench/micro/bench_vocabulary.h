// What the encoder benchmarks share: a seeded vocabulary of made-up words (nothing is
// downloaded), and a temporary directory for the random model directories written from it.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace souk::bench {

/// ~2000 distinct lower-case words of 2-3 consonant-vowel syllables, seeded.
inline const std::vector<std::string>& SyllableWords() {
  static const std::vector<std::string> words = [] {
    const std::string consonants = "bcdfghjklmnprstvz", vowels = "aeiou";
    std::mt19937 rng(7);
    std::set<std::string> seen;
    std::vector<std::string> out;
    while (out.size() < 2000) {
      std::string w;
      for (int s = 0, n = 2 + static_cast<int>(rng() % 2); s < n; ++s) {
        w += consonants[rng() % consonants.size()];
        w += vowels[rng() % vowels.size()];
      }
      if (seen.insert(w).second) out.push_back(w);
    }
    return out;
  }();
  return words;
}

/// BERT's five special tokens, then SyllableWords(): a WordPiece vocabulary.
inline std::vector<std::string> SyllableVocabulary() {
  std::vector<std::string> vocab = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"};
  vocab.insert(vocab.end(), SyllableWords().begin(), SyllableWords().end());
  return vocab;
}

/// A directory under the system's temporary one, named `name` and the process id, removed with
/// everything in it when destroyed.
struct TempRoot {
  explicit TempRoot(const std::string& name)
      : path(std::filesystem::temp_directory_path() / (name + "_" + std::to_string(getpid()))) {}
  ~TempRoot() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
  std::filesystem::path path;
};

}  // namespace souk::bench
