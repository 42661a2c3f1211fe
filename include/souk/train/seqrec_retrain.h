// Retraining the sequential recommender from the event log (`souk retrain seqrec`,
// docs/feedback.md "Retraining").
//
// Each user's history is the configured interactions file's (recommend.interactions) followed
// by their clicks, carts and purchases in the log, in time order, a product repeated back to
// back counted once (as scripts/demo-interactions.sh reads the demo shop). Of every user the log
// added to, the newest item is held out (up to max_heldout_users of them, the most recent); the
// rest trains the next SASRec (seqrec_training.h) in a staging version of a ModelVersions
// directory. The new model and the serving one (`serving_model`, else the version `current`
// links to, else none) then rank every item as each held-out user's next, after the history
// before it: NDCG@10 of the held-out item, user by user, decides the promotion (promotion.h). A
// held-out item a model does not know is a miss for it, which is how a model that predates new
// products loses to one trained after them.
//
// Thread-safety: one retrain per models directory at a time.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "souk/train/promotion.h"
#include "souk/train/seqrec_training.h"

namespace souk::train {

struct SeqRecRetrainOptions {
  std::string event_log;      ///< The RocksDB event log directory (feedback.event_log).
  std::string interactions;   ///< The histories before the log; empty: the log alone.
  std::string models_dir;     ///< The recommender's versions (ModelVersions), e.g. models/seqrec.
  std::string serving_model;  ///< Overrides the serving model directory (see above).
  size_t min_heldout_users = 100;
  size_t max_heldout_users = 5000;
  bool force = false;
  /// Architecture, epochs, optimizer, runtime; `interactions` and `out_dir` are set by the
  /// retrain.
  SeqRecTrainingOptions training;

  absl::Status Validate() const;
};

struct SeqRecRetrainResult {
  std::string version;        ///< "v3".
  std::string version_dir;    ///< models_dir/v3.
  std::string serving_model;  ///< The model compared against; empty: none.
  size_t events = 0;          ///< Events read from the log.
  size_t log_actions = 0;     ///< Of them, the clicks, carts and purchases added to histories.
  SeqRecTrainingResult training;
  HeldOutComparison comparison;  ///< NDCG@10 of the held-out items, new against serving.
  double heldout_hr_new = 0;     ///< HR@10 of the same.
  double heldout_hr_serving = 0;
  PromotionDecision decision;
};

absl::StatusOr<SeqRecRetrainResult> RetrainSeqRec(const SeqRecRetrainOptions& options);

}  // namespace souk::train
