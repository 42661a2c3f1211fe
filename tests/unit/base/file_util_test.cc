#include "souk/base/file_util.h"

#include <filesystem>

#include "support/test_support.h"

namespace souk {
namespace {

using ::souk::testing::StatusIs;
using ::souk::testing::TempDir;

TEST(FileUtilTest, WriteAtomicallyThenReadBack) {
  TempDir dir;
  const std::string path = dir.File("a.bin");
  ASSERT_OK(WriteFileAtomically(path, std::string("x\0y", 3)));
  ASSERT_OK(WriteFileAtomically(path, "second"));
  auto read = ReadFileToString(path);
  ASSERT_OK(read);
  EXPECT_EQ(*read, "second");
  // No temporary file is left behind.
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), {}), 1);
}

TEST(FileUtilTest, MissingFileIsNotFound) {
  EXPECT_THAT(ReadFileToString("/nonexistent/souk"), StatusIs(absl::StatusCode::kNotFound, "/nonexistent/souk"));
}

TEST(FileUtilTest, Crc32MatchesTheStandardCheckValue) {
  // The CRC-32/ISO-HDLC check value of "123456789".
  EXPECT_EQ(Crc32("123456789"), 0xCBF43926u);
  EXPECT_EQ(Crc32("6789", Crc32("12345")), 0xCBF43926u);
}

}  // namespace
}  // namespace souk
