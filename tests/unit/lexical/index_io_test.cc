// Save/Load: round trips, and files that are missing, foreign, corrupt, truncated or stale.

#include <cstdlib>
#include <filesystem>
#include <random>

#include "lexical_test_util.h"
#include "souk/base/file_util.h"
#include "souk/lexical/inverted_index.h"
#include "support/test_support.h"

namespace souk::lexical {
namespace {

using ::souk::testing::StatusIs;
using ::souk::testing::TempDir;
using testing::MakeCatalog;
using testing::RandomFilter;
using testing::RandomProducts;
using testing::RandomQuery;
using testing::TestAnalyzer;

// Layout of the header (docs/formats/lexical-index.md), the same in versions 1 and 2.
constexpr size_t kVersionOffset = 8;
constexpr size_t kNumTermsOffset = 20;
constexpr size_t kNumPostingsOffset = 24;
constexpr size_t kFingerprintOffset = 32;

// Expected content of the v1 fixture (recorded when it was written).
constexpr size_t kFixtureTerms = 34;
constexpr uint32_t kDrillFirst = 1;
constexpr float kDrillScores[] = {1.2436960f, 1.2029094f};
constexpr float kHammerScores[] = {1.2167475f, 1.0892313f};
// Of the v2 fixture: its terms and the lamp's score for "office", a term of its expansion only.
constexpr size_t kFixtureV2Terms = 36;
constexpr float kOfficeScore = 0.37839144f;  // idf 1.2040 x impact 0.3143 (tf~ 0.2)

void PutLe(std::string* bytes, size_t offset, uint64_t value, int width) {
  for (int i = 0; i < width; ++i) (*bytes)[offset + i] = static_cast<char>(value >> (8 * i));
}

uint32_t GetLe32(const std::string& bytes, size_t offset) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= uint32_t{static_cast<uint8_t>(bytes[offset + i])} << (8 * i);
  return v;
}

// Recomputes the trailing CRC-32, so that a test reaches the checks behind it.
void FixChecksum(std::string* bytes) {
  const size_t body = bytes->size() - 4;
  PutLe(bytes, body, Crc32(std::string_view(*bytes).substr(0, body)), 4);
}

class IndexIoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    catalog_ = MakeCatalog(RandomProducts(21, 40));
    auto index = InvertedIndex::Build(*catalog_, TestAnalyzer(), {});
    ASSERT_OK(index);
    index_ = *std::move(index);
    path_ = dir_.File("index.souklex");
    ASSERT_OK(index_->Save(path_));
    auto bytes = ReadFileToString(path_);
    ASSERT_OK(bytes);
    bytes_ = *std::move(bytes);
  }

  absl::StatusOr<std::unique_ptr<InvertedIndex>> LoadBytes(const std::string& bytes) {
    // Unlink first: on ext4, truncating a file that has data forces it to disk on close
    // (auto_da_alloc), which makes thousands of rewrites slow.
    std::filesystem::remove(dir_.File("variant.souklex"));
    const std::string path = dir_.WriteFile("variant.souklex", bytes);
    return InvertedIndex::Load(path, *catalog_, TestAnalyzer(), {});
  }

  TempDir dir_;
  std::unique_ptr<catalog::Catalog> catalog_;
  std::unique_ptr<InvertedIndex> index_;
  std::string path_;
  std::string bytes_;
};

TEST_F(IndexIoTest, RoundTripGivesIdenticalResults) {
  auto catalog = MakeCatalog(RandomProducts(22, 300));
  LEX_ASSERT_OK_AND_ASSIGN(built, InvertedIndex::Build(*catalog, TestAnalyzer(), {}));
  const std::string path = dir_.File("big.souklex");
  ASSERT_OK(built->Save(path));
  LEX_ASSERT_OK_AND_ASSIGN(loaded, InvertedIndex::Load(path, *catalog, TestAnalyzer(), {}));
  EXPECT_EQ(loaded->num_docs(), built->num_docs());
  EXPECT_EQ(loaded->num_terms(), built->num_terms());
  std::mt19937_64 rng(23);
  SearchOptions o;
  o.facets = true;
  for (int q = 0; q < 100; ++q) {
    const std::vector<std::string> terms = RandomQuery(rng);
    const Filter filter = RandomFilter(*catalog, rng);
    LEX_ASSERT_OK_AND_ASSIGN(f1, built->CompileFilter(filter));
    LEX_ASSERT_OK_AND_ASSIGN(f2, loaded->CompileFilter(filter));
    const SearchResult a = built->Search(terms, &f1, o);
    const SearchResult b = loaded->Search(terms, &f2, o);
    EXPECT_EQ(a.hits, b.hits);
    EXPECT_EQ(a.total_matches, b.total_matches);
    EXPECT_EQ(a.facets.brands, b.facets.brands);
    EXPECT_EQ(a.facets.categories, b.facets.categories);
  }
  // Saving what was loaded writes the same bytes.
  const std::string again = dir_.File("again.souklex");
  ASSERT_OK(loaded->Save(again));
  EXPECT_EQ(*ReadFileToString(again), *ReadFileToString(path));
}

TEST_F(IndexIoTest, LoadAppliesTheGivenParameters) {
  LexicalOptions other;
  other.k1 = 0.6f;
  other.field(Field::kTitle) = {5.0f, 0.2f};
  LEX_ASSERT_OK_AND_ASSIGN(loaded, InvertedIndex::Load(path_, *catalog_, TestAnalyzer(), other));
  LEX_ASSERT_OK_AND_ASSIGN(rebuilt, InvertedIndex::Build(*catalog_, TestAnalyzer(), other));
  std::mt19937_64 rng(24);
  for (int q = 0; q < 30; ++q) {
    const std::vector<std::string> terms = RandomQuery(rng);
    EXPECT_EQ(loaded->Search(terms, nullptr, {}).hits, rebuilt->Search(terms, nullptr, {}).hits);
  }
  LexicalOptions bad;
  bad.k1 = 0;
  EXPECT_THAT(InvertedIndex::Load(path_, *catalog_, TestAnalyzer(), bad),
              StatusIs(absl::StatusCode::kInvalidArgument, "k1"));
}

TEST_F(IndexIoTest, MissingFile) {
  EXPECT_THAT(InvertedIndex::Load(dir_.File("nope.souklex"), *catalog_, TestAnalyzer(), {}),
              StatusIs(absl::StatusCode::kNotFound, "nope.souklex"));
}

TEST_F(IndexIoTest, SaveToAMissingDirectoryFails) {
  EXPECT_FALSE(index_->Save(dir_.File("no/such/dir/index.souklex")).ok());
}

TEST_F(IndexIoTest, WrongMagic) {
  std::string bytes = bytes_;
  bytes[0] = 'X';
  EXPECT_THAT(LoadBytes(bytes), StatusIs(absl::StatusCode::kInvalidArgument, "bad magic"));
  EXPECT_THAT(LoadBytes("{\"not\": \"an index\", \"but\": \"some json\"}"),
              StatusIs(absl::StatusCode::kInvalidArgument, "variant.souklex"));
}

TEST_F(IndexIoTest, WrongVersion) {
  std::string bytes = bytes_;
  PutLe(&bytes, kVersionOffset, 3, 4);
  FixChecksum(&bytes);
  EXPECT_THAT(LoadBytes(bytes),
              StatusIs(absl::StatusCode::kFailedPrecondition, "format version 3 is not supported"));
  // A version 1 header must say five fields.
  bytes = bytes_;
  PutLe(&bytes, kVersionOffset, 1, 4);
  FixChecksum(&bytes);
  EXPECT_THAT(LoadBytes(bytes), StatusIs(absl::StatusCode::kDataLoss, "6 fields, version 1 has 5"));
}

TEST_F(IndexIoTest, EveryTruncationIsDataLoss) {
  for (size_t size = 0; size < bytes_.size(); ++size) {
    EXPECT_THAT(LoadBytes(bytes_.substr(0, size)),
                StatusIs(absl::StatusCode::kDataLoss, "variant.souklex"))
        << "truncated to " << size;
  }
}

TEST_F(IndexIoTest, EveryFlippedByteIsDetected) {
  for (size_t i = 0; i < bytes_.size(); ++i) {
    std::string bytes = bytes_;
    bytes[i] = static_cast<char>(bytes[i] ^ 0x10);
    EXPECT_FALSE(LoadBytes(bytes).ok()) << "flipped byte " << i;
  }
}

// Behind a valid checksum (a bug in a writer, or a crafted file), every structural check must
// hold on its own: Load returns an error or a usable index, never crashes.
TEST_F(IndexIoTest, CorruptionBehindAValidChecksumNeverCrashes) {
  size_t rejected = 0;
  size_t tried = 0;
  for (size_t i = kVersionOffset + 4; i + 4 < bytes_.size(); ++i) {
    for (uint8_t flip : {0x01, 0x80, 0xff}) {
      std::string bytes = bytes_;
      bytes[i] = static_cast<char>(bytes[i] ^ flip);
      FixChecksum(&bytes);
      absl::StatusOr<std::unique_ptr<InvertedIndex>> loaded = LoadBytes(bytes);
      ++tried;
      if (!loaded.ok()) {
        ++rejected;
        EXPECT_TRUE(loaded.status().code() == absl::StatusCode::kDataLoss ||
                    loaded.status().code() == absl::StatusCode::kFailedPrecondition)
            << loaded.status();
        continue;
      }
      // Accepted (say, one tf changed): it must still answer queries.
      SearchOptions o;
      o.facets = true;
      for (const char* term : {"drill", "lamp", "white", "steel"}) {
        for (const Hit& hit : (*loaded)->Search({term}, nullptr, o).hits) {
          EXPECT_LT(hit.doc.value(), catalog_->size());
        }
      }
    }
  }
  // Most single-byte changes break the structure.
  EXPECT_GT(rejected, tried / 2);
}

TEST_F(IndexIoTest, ImpossibleCountsAreRejectedBeforeAllocating) {
  std::string bytes = bytes_;
  PutLe(&bytes, kNumTermsOffset, 0xffffffffu, 4);
  FixChecksum(&bytes);
  EXPECT_THAT(LoadBytes(bytes), StatusIs(absl::StatusCode::kDataLoss, "more terms or postings"));
  bytes = bytes_;
  PutLe(&bytes, kNumPostingsOffset, uint64_t{1} << 62, 8);
  FixChecksum(&bytes);
  EXPECT_THAT(LoadBytes(bytes), StatusIs(absl::StatusCode::kDataLoss, "more terms or postings"));
  bytes = bytes_;
  PutLe(&bytes, kFingerprintOffset, 0x7fffffffu, 4);
  FixChecksum(&bytes);
  EXPECT_THAT(LoadBytes(bytes), StatusIs(absl::StatusCode::kDataLoss, "truncated header"));
}

TEST_F(IndexIoTest, TrailingBytesAreRejected) {
  std::string bytes = bytes_;
  bytes.insert(bytes.size() - 4, "junk");
  FixChecksum(&bytes);
  EXPECT_THAT(LoadBytes(bytes), StatusIs(absl::StatusCode::kDataLoss, "after the last term"));
}

TEST_F(IndexIoTest, StaleIndexIsRefused) {
  auto smaller = MakeCatalog(RandomProducts(21, 39));
  EXPECT_THAT(InvertedIndex::Load(path_, *smaller, TestAnalyzer(), {}),
              StatusIs(absl::StatusCode::kFailedPrecondition, "catalog has 39 products"));
  auto unstemmed = text::Analyzer::Create({.stem_english = false});
  ASSERT_OK(unstemmed);
  EXPECT_THAT(InvertedIndex::Load(path_, *catalog_, **unstemmed, {}),
              StatusIs(absl::StatusCode::kFailedPrecondition, "analyzer"));
}

// ---- the committed files of versions 1 and 2 ----

constexpr char kFixtureV1[] = "tests/fixtures/lexical/v1.souklex";
constexpr char kFixtureV2[] = "tests/fixtures/lexical/v2.souklex";

// The fixtures' parameters, spelled out so that a change of defaults does not move their scores.
LexicalOptions FixtureOptions() {
  LexicalOptions o;
  o.k1 = 1.2f;
  o.fields = {
      {{3.0f, 0.75f}, {2.0f, 0.5f}, {1.5f, 0.5f}, {1.0f, 0.75f}, {1.0f, 0.75f}, {0.5f, 0.5f}}};
  return o;
}

// The fingerprint names the ICU and Snowball versions of the machine that wrote the file; to test
// the format on any machine, it is replaced by this machine's (the terms stay the writer's).
std::string WithFingerprint(std::string bytes, const std::string& fingerprint) {
  const uint32_t old_size = GetLe32(bytes, kFingerprintOffset);
  bytes.replace(kFingerprintOffset + 4, old_size, fingerprint);
  PutLe(&bytes, kFingerprintOffset, fingerprint.size(), 4);
  FixChecksum(&bytes);
  return bytes;
}

bool WrittenByThisAnalyzer(const std::string& bytes) {
  const std::string fingerprint = TestAnalyzer().Fingerprint();
  return GetLe32(bytes, kFingerprintOffset) == fingerprint.size() &&
         bytes.substr(kFingerprintOffset + 4, fingerprint.size()) == fingerprint;
}

// With SOUK_REGENERATE_LEXICAL_FIXTURE=2 in the environment, the version 2 fixture is rewritten
// before it is checked: only by hand, and only while the writer writes version 2
// (docs/formats/lexical-index.md). The version 1 file is frozen.
void RegenerateV2FixtureIfAsked() {
  const char* asked = std::getenv("SOUK_REGENERATE_LEXICAL_FIXTURE");
  if (asked == nullptr || std::string(asked) != "2") return;
  auto catalog = MakeCatalog(testing::FixtureProductsV2());
  LEX_ASSERT_OK_AND_ASSIGN(index, InvertedIndex::Build(*catalog, TestAnalyzer(), FixtureOptions()));
  ASSERT_OK(index->Save(::souk::testing::SourcePath(kFixtureV2)));
}

// The scores of "drill" and "hammer" recorded when the v1 fixture was written; the expansion of
// the v2 products touches neither.
void ExpectRecordedToolScores(const InvertedIndex& index) {
  SearchOptions o;
  o.facets = true;
  const SearchResult drill = index.Search({"drill"}, nullptr, o);
  ASSERT_EQ(drill.hits.size(), 2u);
  EXPECT_EQ(drill.hits[0].doc, catalog::DocId(kDrillFirst));
  EXPECT_NEAR(drill.hits[0].score, kDrillScores[0], 1e-5);
  EXPECT_EQ(drill.hits[1].doc, catalog::DocId(1 - kDrillFirst));
  EXPECT_NEAR(drill.hits[1].score, kDrillScores[1], 1e-5);
  EXPECT_EQ(drill.total_matches, 2u);
  const SearchResult hammer = index.Search({"hammer"}, nullptr, {});
  ASSERT_EQ(hammer.hits.size(), 2u);
  EXPECT_EQ(hammer.hits[0].doc, catalog::DocId(2));
  EXPECT_NEAR(hammer.hits[0].score, kHammerScores[0], 1e-5);
  EXPECT_EQ(hammer.hits[1].doc, catalog::DocId(1));
  EXPECT_NEAR(hammer.hits[1].score, kHammerScores[1], 1e-5);
  // Attribute values and category levels are indexed.
  EXPECT_EQ(index.Search({"white"}, nullptr, {}).hits.size(), 1u);
  EXPECT_EQ(index.Search({"tool"}, nullptr, {}).hits.size(), 3u);
}

TEST(LexicalFixtureTest, LoadsVersion1File) {
  auto bytes = ReadFileToString(::souk::testing::SourcePath(kFixtureV1));
  ASSERT_OK(bytes);
  ASSERT_EQ(bytes->substr(0, 8), std::string("SOUKLEX\0", 8));
  ASSERT_EQ(GetLe32(*bytes, kVersionOffset), 1u);
  auto catalog = MakeCatalog(testing::FixtureProducts());
  TempDir dir;
  const std::string path =
      dir.WriteFile("v1.souklex", WithFingerprint(*bytes, TestAnalyzer().Fingerprint()));
  LEX_ASSERT_OK_AND_ASSIGN(index,
                           InvertedIndex::Load(path, *catalog, TestAnalyzer(), FixtureOptions()));
  EXPECT_EQ(index->num_docs(), 4u);
  EXPECT_EQ(index->num_terms(), kFixtureTerms);
  // Query terms as the v1 writer's analyzer produced them; scores as written then.
  ExpectRecordedToolScores(*index);
  // Its fields read as version 2's with empty expansions: a fresh build scores the same.
  LEX_ASSERT_OK_AND_ASSIGN(built, InvertedIndex::Build(*catalog, TestAnalyzer(), FixtureOptions()));
  ExpectRecordedToolScores(*built);
}

TEST(LexicalFixtureTest, LoadsVersion2File) {
  RegenerateV2FixtureIfAsked();
  auto bytes = ReadFileToString(::souk::testing::SourcePath(kFixtureV2));
  ASSERT_OK(bytes);
  ASSERT_EQ(GetLe32(*bytes, kVersionOffset), 2u);
  auto catalog = MakeCatalog(testing::FixtureProductsV2());
  TempDir dir;
  const std::string path =
      dir.WriteFile("v2.souklex", WithFingerprint(*bytes, TestAnalyzer().Fingerprint()));
  LEX_ASSERT_OK_AND_ASSIGN(index,
                           InvertedIndex::Load(path, *catalog, TestAnalyzer(), FixtureOptions()));
  EXPECT_EQ(index->num_terms(), kFixtureV2Terms);
  ExpectRecordedToolScores(*index);
  // The lamp is found by a term of its expansion, scored as written then.
  const SearchResult office = index->Search({"offic"}, nullptr, {});
  ASSERT_EQ(office.hits.size(), 1u);
  EXPECT_EQ(office.hits[0].doc, catalog::DocId(3));
  EXPECT_NEAR(office.hits[0].score, kOfficeScore, 1e-5);

  // When this machine's analyzer is the writer's, the file equals a fresh build.
  if (WrittenByThisAnalyzer(*bytes)) {
    LEX_ASSERT_OK_AND_ASSIGN(built,
                             InvertedIndex::Build(*catalog, TestAnalyzer(), FixtureOptions()));
    const std::string rebuilt = dir.File("rebuilt.souklex");
    ASSERT_OK(built->Save(rebuilt));
    EXPECT_EQ(*ReadFileToString(rebuilt), *bytes);
  }
}

}  // namespace
}  // namespace souk::lexical
