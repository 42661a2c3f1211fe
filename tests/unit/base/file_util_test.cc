#include "souk/base/file_util.h"

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <thread>
#include <vector>

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

TEST(FileUtilTest, ReadsEmptyAndLargeFiles) {
  TempDir dir;
  auto empty = ReadFileToString(dir.WriteFile("empty", ""));
  ASSERT_OK(empty);
  EXPECT_EQ(*empty, "");
  std::string big(300'000, 'a');
  for (size_t i = 0; i < big.size(); i += 7) big[i] = static_cast<char>(i % 251);
  ASSERT_OK(WriteFileAtomically(dir.File("big"), big));
  auto read = ReadFileToString(dir.File("big"));
  ASSERT_OK(read);
  EXPECT_EQ(*read, big);
}

TEST(FileUtilTest, ReadsFilesWhoseSizeStatDoesNotKnow) {
  // /proc files report size 0 but have contents: the reader must read to the end, not trust
  // fstat.
  auto status = ReadFileToString("/proc/self/status");
  if (!status.ok()) GTEST_SKIP() << "no /proc";
  EXPECT_NE(status->find("Pid:"), std::string::npos);
}

TEST(FileUtilTest, MissingFileIsNotFound) {
  EXPECT_THAT(ReadFileToString("/nonexistent/souk"),
              StatusIs(absl::StatusCode::kNotFound, "/nonexistent/souk"));
}

TEST(FileUtilTest, DirectoryIsNotARegularFile) {
  TempDir dir;
  // Before the fix a directory read as "" with an OK status.
  EXPECT_THAT(ReadFileToString(dir.path()),
              StatusIs(absl::StatusCode::kFailedPrecondition, "not a regular file: " + dir.path()));
}

// Runs `check` with the permissions of an ordinary user: as root (CI, containers), in a child
// process that has dropped to nobody, so that permission errors really happen. Returns the
// status `check` produced.
absl::Status AsUnprivileged(const std::function<absl::Status()>& check) {
  if (::geteuid() != 0) return check();
  int fds[2];
  if (::pipe(fds) != 0) return absl::InternalError("pipe");
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(fds[0]);
    absl::Status status = (::setgid(65534) == 0 && ::setuid(65534) == 0)
                              ? check()
                              : absl::InternalError("could not drop privileges");
    const std::string out =
        std::to_string(static_cast<int>(status.code())) + " " + std::string(status.message());
    (void)!::write(fds[1], out.data(), out.size());
    ::_exit(0);
  }
  ::close(fds[1]);
  std::string out;
  char buf[512];
  for (ssize_t n; (n = ::read(fds[0], buf, sizeof(buf))) > 0;) out.append(buf, n);
  ::close(fds[0]);
  int wstatus = 0;
  ::waitpid(pid, &wstatus, 0);
  const size_t space = out.find(' ');
  if (space == std::string::npos) return absl::InternalError("child said nothing");
  return absl::Status(static_cast<absl::StatusCode>(std::stoi(out.substr(0, space))),
                      out.substr(space + 1));
}

TEST(FileUtilTest, UnreadableFileIsPermissionDenied) {
  TempDir dir;
  ASSERT_EQ(::chmod(dir.path().c_str(), 0755), 0);  // let the unprivileged child in
  const std::string path = dir.WriteFile("secret", "x");
  ASSERT_EQ(::chmod(path.c_str(), 0), 0);
  EXPECT_THAT(AsUnprivileged([&] { return ReadFileToString(path).status(); }),
              StatusIs(absl::StatusCode::kPermissionDenied, path));
}

TEST(FileUtilTest, WriteIntoUnwritableDirectoryIsPermissionDenied) {
  TempDir dir;
  ASSERT_EQ(::chmod(dir.path().c_str(), 0755), 0);
  const std::string sub = dir.File("ro");
  ASSERT_OK(MakeDirectories(sub));
  ASSERT_EQ(::chmod(sub.c_str(), 0555), 0);
  EXPECT_THAT(AsUnprivileged([&] { return WriteFileAtomically(sub + "/f", "x"); }),
              StatusIs(absl::StatusCode::kPermissionDenied, sub));
  ::chmod(sub.c_str(), 0755);
}

TEST(FileUtilTest, WriteIntoMissingDirectoryIsNotFound) {
  EXPECT_THAT(WriteFileAtomically("/nonexistent-dir/souk/f", "x"),
              StatusIs(absl::StatusCode::kNotFound, "/nonexistent-dir/souk/f"));
}

TEST(FileUtilTest, NewFilesGetTheUmaskMode) {
  TempDir dir;
  const std::string path = dir.File("m");
  ASSERT_OK(WriteFileAtomically(path, "x"));
  struct stat info;
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  const mode_t mask = ::umask(022);  // read it back (and restore) in a single-threaded test
  ::umask(mask);
  EXPECT_EQ(info.st_mode & 0777, 0666 & ~mask);
}

TEST(FileUtilTest, ConcurrentWritersOfOneFileEachWriteWhole) {
  // Before the fix every thread of a process used path.tmp.<pid>: one thread's rename could
  // publish another's half-written file, or fail because the other already renamed it.
  TempDir dir;
  const std::string path = dir.File("shared");
  constexpr int kThreads = 8;
  std::vector<std::string> contents;
  for (int t = 0; t < kThreads; ++t) contents.push_back(std::string(200'000 + t, 'a' + t));
  std::vector<absl::Status> results(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 5 && results[t].ok(); ++round) {
        results[t] = WriteFileAtomically(path, contents[t]);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const absl::Status& status : results) EXPECT_OK(status);
  auto read = ReadFileToString(path);
  ASSERT_OK(read);
  bool whole = false;
  for (const std::string& c : contents) whole = whole || *read == c;
  EXPECT_TRUE(whole) << "read " << read->size() << " bytes";
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), {}), 1);
}

TEST(FileUtilTest, RemoveFileIfExistsToleratesAMissingFile) {
  TempDir dir;
  const std::string path = dir.WriteFile("f", "x");
  EXPECT_OK(RemoveFileIfExists(path));
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_OK(RemoveFileIfExists(path));         // already gone
  EXPECT_THAT(RemoveFileIfExists(dir.path()),  // a directory is not a file
              StatusIs(absl::StatusCode::kFailedPrecondition, dir.path()));
}

TEST(FileUtilTest, MakeDirectoriesCreatesParentsAndRefusesFiles) {
  TempDir dir;
  EXPECT_OK(MakeDirectories(dir.File("a/b/c")));
  EXPECT_TRUE(std::filesystem::is_directory(dir.File("a/b/c")));
  EXPECT_OK(MakeDirectories(dir.File("a/b")));  // already there
  const std::string file = dir.WriteFile("f", "x");
  EXPECT_THAT(MakeDirectories(file), StatusIs(absl::StatusCode::kFailedPrecondition, file));
  EXPECT_THAT(MakeDirectories(file + "/sub"),
              StatusIs(absl::StatusCode::kFailedPrecondition, file));
}

TEST(FileUtilTest, Crc32MatchesTheStandardCheckValue) {
  // The CRC-32/ISO-HDLC check value of "123456789".
  EXPECT_EQ(Crc32("123456789"), 0xCBF43926u);
  EXPECT_EQ(Crc32("6789", Crc32("12345")), 0xCBF43926u);
}

}  // namespace
}  // namespace souk
