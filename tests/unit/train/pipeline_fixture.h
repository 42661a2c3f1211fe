// A toy shop for training tests: a small catalog of generated product titles (colour, material,
// product kind), queries that name a product kind, and a tokenizer trained on the titles once
// per test binary.
#pragma once

#include <string>
#include <vector>

#include "souk/train/pretrain.h"
#include "support/test_support.h"

namespace souk::train::testing {

/// The shared toy data, written into a temporary directory on first use.
class ToyShop {
 public:
  static const ToyShop& Get();

  std::string catalog_path;   ///< catalog.jsonl: 240 products p000..p239
  std::string qrels_path;     ///< qrels.tsv: a query per (colour, kind), grade 3 for its 4 products
  std::string tokenizer_dir;  ///< spiece.model trained on the titles
  std::vector<std::string> kinds;

 private:
  ToyShop();
  ::souk::testing::TempDir dir_;
};

/// Pre-training of a tiny BERT (1 layer, hidden 32) on the toy shop into `out_dir`: 60 steps
/// of 16 titles, on one CPU thread, without curves.
PretrainOptions TinyPretrainOptions(const std::string& out_dir);

}  // namespace souk::train::testing
