// Vector files round-trip exactly; corruption, truncation and foreign files are named errors.

#include "souk/vector/vector_file.h"

#include <cstring>

#include "souk/base/file_util.h"
#include "support/test_support.h"

namespace souk::vector {
namespace {

using ::souk::testing::StatusIs;
using ::souk::testing::TempDir;

VectorSet ThreeRows() {
  VectorSet set;
  set.dim = 2;
  set.ids = {5, 1, 9};
  set.values = {0.5f, -1, 2, 3, 1e-8f, 7};
  set.model = "models/demo sha1 0123abcd";
  return set;
}

TEST(VectorFileTest, RoundTripsExactly) {
  TempDir dir;
  const VectorSet set = ThreeRows();
  ASSERT_OK(WriteVectorFile(dir.File("v.soukvec"), set));
  auto read = ReadVectorFile(dir.File("v.soukvec"));
  ASSERT_OK(read);
  EXPECT_EQ(read->dim, set.dim);
  EXPECT_EQ(read->ids, set.ids);
  EXPECT_EQ(read->values, set.values);
  EXPECT_EQ(read->model, set.model);
}

TEST(VectorFileTest, AnEmptySetRoundTrips) {
  TempDir dir;
  VectorSet set;
  set.dim = 4;
  ASSERT_OK(WriteVectorFile(dir.File("v.soukvec"), set));
  auto read = ReadVectorFile(dir.File("v.soukvec"));
  ASSERT_OK(read);
  EXPECT_EQ(read->dim, 4u);
  EXPECT_TRUE(read->ids.empty());
}

TEST(VectorFileTest, AnInconsistentSetIsNotWritten) {
  TempDir dir;
  VectorSet set = ThreeRows();
  set.values.pop_back();
  EXPECT_THAT(WriteVectorFile(dir.File("v.soukvec"), set),
              StatusIs(absl::StatusCode::kInvalidArgument, "values"));
  EXPECT_FALSE(ReadFileToString(dir.File("v.soukvec")).ok());
}

TEST(VectorFileTest, DamageIsNamed) {
  TempDir dir;
  const std::string path = dir.File("v.soukvec");
  ASSERT_OK(WriteVectorFile(path, ThreeRows()));
  auto bytes = ReadFileToString(path);
  ASSERT_OK(bytes);

  std::string flipped = *bytes;
  flipped[40] ^= 1;
  ASSERT_OK(WriteFileAtomically(path, flipped));
  EXPECT_THAT(ReadVectorFile(path), StatusIs(absl::StatusCode::kDataLoss, "checksum"));

  ASSERT_OK(WriteFileAtomically(path, bytes->substr(0, 20)));
  EXPECT_THAT(ReadVectorFile(path), StatusIs(absl::StatusCode::kDataLoss, "truncated"));

  ASSERT_OK(WriteFileAtomically(path, "{\"not\": \"vectors\"}" + std::string(40, ' ')));
  EXPECT_THAT(ReadVectorFile(path), StatusIs(absl::StatusCode::kInvalidArgument, "magic"));

  EXPECT_THAT(ReadVectorFile(dir.File("missing")),
              StatusIs(absl::StatusCode::kNotFound, "missing"));
}

// Rewrites the CRC of `bytes` so that only the other checks can catch what was changed.
std::string Resealed(std::string bytes) {
  const uint32_t crc = Crc32(std::string_view(bytes).substr(0, bytes.size() - 4));
  std::memcpy(bytes.data() + bytes.size() - 4, &crc, 4);
  return bytes;
}

TEST(VectorFileTest, HostileCountsAndOtherVersionsAreRefused) {
  TempDir dir;
  const std::string path = dir.File("v.soukvec");
  ASSERT_OK(WriteVectorFile(path, ThreeRows()));
  auto bytes = ReadFileToString(path);
  ASSERT_OK(bytes);

  std::string huge = *bytes;
  const uint64_t count = uint64_t{1} << 62;
  std::memcpy(huge.data() + 16, &count, 8);
  ASSERT_OK(WriteFileAtomically(path, Resealed(huge)));
  EXPECT_THAT(ReadVectorFile(path), StatusIs(absl::StatusCode::kDataLoss, "do not fill"));

  std::string long_name = *bytes;
  const uint32_t name = 1u << 31;
  std::memcpy(long_name.data() + 24, &name, 4);
  ASSERT_OK(WriteFileAtomically(path, Resealed(long_name)));
  EXPECT_THAT(ReadVectorFile(path), StatusIs(absl::StatusCode::kDataLoss, "model name"));

  std::string v2 = *bytes;
  v2[8] = 2;
  ASSERT_OK(WriteFileAtomically(path, Resealed(v2)));
  EXPECT_THAT(ReadVectorFile(path), StatusIs(absl::StatusCode::kFailedPrecondition, "version 2"));
}

}  // namespace
}  // namespace souk::vector
