#include "souk/base/status_macros.h"

#include "support/test_support.h"

namespace souk {
namespace {

using ::souk::testing::StatusIs;

absl::StatusOr<int> Half(int x) {
  if (x % 2 != 0) return absl::InvalidArgumentError("odd");
  return x / 2;
}

absl::StatusOr<int> Quarter(int x) {
  SOUK_ASSIGN_OR_RETURN(int half, Half(x));
  SOUK_ASSIGN_OR_RETURN(int quarter, Half(half));
  return quarter;
}

absl::Status CheckEven(int x) {
  SOUK_RETURN_IF_ERROR(Half(x).status());
  return absl::OkStatus();
}

TEST(StatusMacrosTest, AssignOrReturnPropagatesTheFirstError) {
  EXPECT_EQ(*Quarter(8), 2);
  EXPECT_THAT(Quarter(6), StatusIs(absl::StatusCode::kInvalidArgument, "odd"));
  EXPECT_THAT(CheckEven(3), StatusIs(absl::StatusCode::kInvalidArgument, "odd"));
  EXPECT_OK(CheckEven(4));
}

TEST(StatusMacrosTest, AnnotateKeepsTheCode) {
  EXPECT_THAT(Annotate(absl::NotFoundError("x"), "loading y"),
              StatusIs(absl::StatusCode::kNotFound, "loading y: x"));
  EXPECT_TRUE(Annotate(absl::OkStatus(), "ctx").ok());
}

}  // namespace
}  // namespace souk
