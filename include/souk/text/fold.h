// FoldText: text as shoppers' typing should match it, for comparisons that keep words whole
// (query suggestions): Unicode NFKC with full case folding ("ＵＳＢ Cable" -> "usb cable"),
// runs of white space as one space, none at either end. No segmentation or stemming (that is
// the Analyzer's). Ill-formed UTF-8 becomes U+FFFD.
//
// Thread-safety: a pure function.
#pragma once

#include <string>
#include <string_view>

namespace souk::text {

std::string FoldText(std::string_view text);

}  // namespace souk::text
