#include "console_files.h"

#include <filesystem>

#include "support/test_support.h"

namespace souk::api::internal {
namespace {

using ::souk::testing::StatusIs;
using ::souk::testing::TempDir;

TEST(ConsoleFilesTest, ServesTheDirectorysOwnFilesOfKnownTypes) {
  TempDir dir;
  dir.WriteFile("index.html", "<html></html>");
  dir.WriteFile("console.js", "'use strict';");
  dir.WriteFile("notes.txt", "not served");
  std::filesystem::create_directory(dir.File("sub"));
  dir.WriteFile("sub/inner.js", "not served either");
  auto files = ConsoleFiles::Load(dir.path());
  ASSERT_OK(files);
  ASSERT_NE((*files)->Find("index.html"), nullptr);
  EXPECT_EQ((*files)->Find("index.html")->body, "<html></html>");
  EXPECT_EQ((*files)->Find("index.html")->content_type, "text/html; charset=utf-8");
  EXPECT_EQ((*files)->Find("console.js")->content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ((*files)->Find("notes.txt"), nullptr);
  EXPECT_EQ((*files)->Find("sub/inner.js"), nullptr);
  EXPECT_EQ((*files)->Find("../index.html"), nullptr);
  EXPECT_EQ((*files)->Find(""), nullptr);
}

TEST(ConsoleFilesTest, TheRepositorysConsoleLoads) {
  auto files = ConsoleFiles::Load(SOUK_CONSOLE_DIR);
  ASSERT_OK(files);
  for (const char* name : {"index.html", "console.js", "console.css", "favicon.svg"}) {
    EXPECT_NE((*files)->Find(name), nullptr) << name;
  }
}

TEST(ConsoleFilesTest, RefusesAMissingDirectoryOrOneWithoutIndex) {
  TempDir dir;
  EXPECT_THAT(ConsoleFiles::Load(dir.File("absent")),
              StatusIs(absl::StatusCode::kNotFound, "server.console.static_dir"));
  dir.WriteFile("console.js", "x");
  EXPECT_THAT(ConsoleFiles::Load(dir.path()),
              StatusIs(absl::StatusCode::kNotFound, "has no index.html"));
}

TEST(ConsoleFilesTest, RefusesADirectoryTooLargeToBeTheConsole) {
  TempDir dir;
  dir.WriteFile("index.html", "x");
  dir.WriteFile("big.js", std::string(ConsoleFiles::kMaxTotalBytes, 'a'));
  EXPECT_THAT(ConsoleFiles::Load(dir.path()),
              StatusIs(absl::StatusCode::kInvalidArgument, "is it the console's directory?"));
}

}  // namespace
}  // namespace souk::api::internal
