#include "souk/base/logging.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace souk::logging {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string Captured(const LogOptions& options, std::initializer_list<Field> fields) {
  Configure(options);
  ::testing::internal::CaptureStderr();
  WriteFields(Level::kInfo, "access", "Search", fields);
  std::string out = ::testing::internal::GetCapturedStderr();
  Configure({});
  return out;
}

TEST(LoggingTest, FieldsFollowTheMessageInText) {
  const std::string line =
      Captured({.level = Level::kInfo, .json = false},
               {{"code", "OK"}, {"caller", ""}, {"error", "no API key: send it"}});
  EXPECT_THAT(line, HasSubstr("[access] Search code=OK error=\"no API key: send it\""));
  EXPECT_THAT(line, Not(HasSubstr("caller=")));  // empty: left out
}

TEST(LoggingTest, FieldsAreKeysOfTheJsonLine) {
  const std::string line =
      Captured({.level = Level::kInfo, .json = true}, {{"code", "OK"}, {"request_id", "r-1"}});
  EXPECT_THAT(line, HasSubstr(R"("component":"access")"));
  EXPECT_THAT(line, HasSubstr(R"("msg":"Search")"));
  EXPECT_THAT(line, HasSubstr(R"("code":"OK")"));
  EXPECT_THAT(line, HasSubstr(R"("request_id":"r-1")"));
}

}  // namespace
}  // namespace souk::logging
