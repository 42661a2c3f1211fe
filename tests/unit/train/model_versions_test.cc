// Versioned model directories: staging, publishing, promotion through the `current` link.

#include "souk/train/model_versions.h"

#include <filesystem>
#include <fstream>

#include "support/test_support.h"

namespace souk::train {
namespace {

namespace fs = std::filesystem;
using ::souk::testing::StatusIs;
using ::souk::testing::TempDir;

TEST(ModelVersionsTest, VersionsArePublishedWholeAndPromotedThroughCurrent) {
  TempDir tmp;
  const ModelVersions versions(tmp.File("models/ranker"));
  EXPECT_EQ(*versions.Latest(), 0);  // no directory yet
  EXPECT_EQ(*versions.Current(), "");
  std::string name;
  auto staging = versions.Stage(&name);
  ASSERT_OK(staging);
  EXPECT_EQ(name, "v1");
  std::ofstream(fs::path(*staging) / "ranker.json") << "{}";
  EXPECT_EQ(*versions.Latest(), 0);  // staged is not published
  ASSERT_OK(versions.Publish(name));
  EXPECT_TRUE(fs::exists(fs::path(versions.PathOf("v1")) / "ranker.json"));
  EXPECT_FALSE(fs::exists(*staging));
  EXPECT_EQ(*versions.Latest(), 1);
  EXPECT_EQ(*versions.Current(), "");
  ASSERT_OK(versions.Promote("v1"));
  EXPECT_EQ(*versions.Current(), "v1");

  ASSERT_OK(versions.Stage(&name));
  EXPECT_EQ(name, "v2");
  ASSERT_OK(versions.Publish(name));
  ASSERT_OK(versions.Promote("v2"));
  EXPECT_EQ(*versions.Current(), "v2");
  // The link is relative, and a reader through it finds the version's files.
  EXPECT_EQ(fs::read_symlink(fs::path(versions.dir()) / "current"), "v2");
  ASSERT_OK(versions.Promote("v1"));  // rolling back is promoting an older one
  EXPECT_TRUE(fs::exists(fs::path(versions.dir()) / "current" / "ranker.json"));
}

TEST(ModelVersionsTest, ACrashedStagingIsReplacedAndBadStateIsNamed) {
  TempDir tmp;
  const ModelVersions versions(tmp.File("m"));
  std::string name;
  auto staging = versions.Stage(&name);
  ASSERT_OK(staging);
  std::ofstream(fs::path(*staging) / "half.json") << "{";
  auto again = versions.Stage(&name);  // the crashed run's files are gone
  ASSERT_OK(again);
  EXPECT_EQ(name, "v1");
  EXPECT_TRUE(fs::is_empty(*again));
  EXPECT_THAT(versions.Promote("v7"), StatusIs(absl::StatusCode::kNotFound, "v7"));
  EXPECT_THAT(versions.Promote("../x"), StatusIs(absl::StatusCode::kNotFound, "../x"));
  fs::create_directory(tmp.File("m/current"));
  EXPECT_THAT(versions.Current(),
              StatusIs(absl::StatusCode::kFailedPrecondition, "not a symbolic link"));
  fs::remove(tmp.File("m/current"));
  fs::create_directory_symlink("elsewhere", tmp.File("m/current"));
  EXPECT_THAT(versions.Current(), StatusIs(absl::StatusCode::kFailedPrecondition, "elsewhere"));
  // Other names beside the versions do not count.
  fs::create_directory(tmp.File("m/v9-old"));
  fs::create_directory(tmp.File("m/v3"));
  EXPECT_EQ(*versions.Latest(), 3);
}

}  // namespace
}  // namespace souk::train
