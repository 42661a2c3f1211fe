// A sequential recommender small enough to train in a test in well under a second on one CPU
// thread, yet able to learn a cycle of a few dozen items.
#pragma once

#include <string>

#include "souk/train/seqrec_training.h"

namespace souk::train::testing {

inline SeqRecTrainingOptions TinySeqRecOptions(const std::string& interactions = "",
                                               const std::string& out_dir = "") {
  SeqRecTrainingOptions o;
  o.interactions = interactions;
  o.out_dir = out_dir;
  o.model.hidden_size = 16;
  o.model.num_layers = 1;
  o.model.num_heads = 1;
  o.model.max_length = 8;
  o.model.dropout = 0;
  o.batch_size = 16;
  o.epochs = 12;
  o.patience = 12;
  o.validation_users = 40;
  o.optimizer.learning_rate = 1e-2;
  o.runtime.device = "cpu";
  o.runtime.threads = 1;
  o.runtime.plot = false;
  return o;
}

}  // namespace souk::train::testing
