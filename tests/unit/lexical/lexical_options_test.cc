#include "souk/lexical/lexical_options.h"

#include <cmath>
#include <limits>

#include "support/test_support.h"

namespace souk::lexical {
namespace {

using ::souk::testing::StatusIs;

TEST(LexicalOptionsTest, DefaultsAreValid) { EXPECT_OK(LexicalOptions{}.Validate()); }

TEST(LexicalOptionsTest, RejectsBadK1) {
  LexicalOptions o;
  o.k1 = 0;
  EXPECT_THAT(o.Validate(), StatusIs(absl::StatusCode::kInvalidArgument, "k1"));
  o.k1 = std::numeric_limits<float>::quiet_NaN();
  EXPECT_THAT(o.Validate(), StatusIs(absl::StatusCode::kInvalidArgument, "k1"));
  o.k1 = std::numeric_limits<float>::infinity();
  EXPECT_THAT(o.Validate(), StatusIs(absl::StatusCode::kInvalidArgument, "k1"));
}

TEST(LexicalOptionsTest, RejectsBadFieldParameters) {
  LexicalOptions o;
  o.field(Field::kBrand).weight = -1;
  EXPECT_THAT(o.Validate(), StatusIs(absl::StatusCode::kInvalidArgument, "fields.brand.weight"));
  o = {};
  o.field(Field::kDescription).b = 1.5f;
  EXPECT_THAT(o.Validate(), StatusIs(absl::StatusCode::kInvalidArgument, "fields.description.b"));
  o = {};
  o.field(Field::kTitle).b = std::numeric_limits<float>::quiet_NaN();
  EXPECT_THAT(o.Validate(), StatusIs(absl::StatusCode::kInvalidArgument, "fields.title.b"));
}

TEST(LexicalOptionsTest, NeedsOnePositiveWeight) {
  LexicalOptions o;
  for (FieldOptions& f : o.fields) f.weight = 0;
  EXPECT_THAT(o.Validate(), StatusIs(absl::StatusCode::kInvalidArgument, "at least one"));
  o.field(Field::kAttributes).weight = 0.5f;
  EXPECT_OK(o.Validate());
}

TEST(LexicalOptionsTest, FieldNames) {
  EXPECT_EQ(FieldName(Field::kTitle), "title");
  EXPECT_EQ(FieldName(Field::kBrand), "brand");
  EXPECT_EQ(FieldName(Field::kCategory), "category");
  EXPECT_EQ(FieldName(Field::kAttributes), "attributes");
  EXPECT_EQ(FieldName(Field::kDescription), "description");
}

}  // namespace
}  // namespace souk::lexical
