#include "train_flags.h"

#include "souk/base/status_macros.h"

namespace souk::apps {

absl::Status ReadRuntime(const Flags& flags, train::RuntimeOptions* runtime) {
  runtime->device = flags.Get("device", runtime->device);
  SOUK_ASSIGN_OR_RETURN(int64_t threads, flags.GetInt("threads", runtime->threads));
  runtime->threads = static_cast<int>(threads);
  SOUK_ASSIGN_OR_RETURN(int64_t seed, flags.GetInt("seed", static_cast<int64_t>(runtime->seed)));
  runtime->seed = static_cast<uint64_t>(seed);
  SOUK_ASSIGN_OR_RETURN(runtime->checkpoint_every,
                        flags.GetInt("checkpoint-every", runtime->checkpoint_every));
  SOUK_ASSIGN_OR_RETURN(runtime->stop_after_step, flags.GetInt("stop-after", 0));
  SOUK_ASSIGN_OR_RETURN(runtime->log_every, flags.GetInt("log-every", runtime->log_every));
  runtime->mixed_precision = !flags.Has("no-mixed-precision");
  runtime->resume = flags.Has("resume");
  runtime->plot = !flags.Has("no-plot");
  return absl::OkStatus();
}

absl::Status ReadOptimizer(const Flags& flags, train::OptimizerOptions* optimizer) {
  SOUK_ASSIGN_OR_RETURN(optimizer->learning_rate, flags.GetDouble("lr", optimizer->learning_rate));
  SOUK_ASSIGN_OR_RETURN(optimizer->warmup_fraction,
                        flags.GetDouble("warmup", optimizer->warmup_fraction));
  SOUK_ASSIGN_OR_RETURN(optimizer->weight_decay,
                        flags.GetDouble("weight-decay", optimizer->weight_decay));
  SOUK_ASSIGN_OR_RETURN(optimizer->max_grad_norm,
                        flags.GetDouble("clip", optimizer->max_grad_norm));
  return absl::OkStatus();
}

absl::Status ReadSeqRecFlags(const Flags& flags, train::SeqRecTrainingOptions* o) {
  model::SeqRecConfig& m = o->model;
  SOUK_ASSIGN_OR_RETURN(m.hidden_size, flags.GetInt("hidden", m.hidden_size));
  SOUK_ASSIGN_OR_RETURN(m.num_layers, flags.GetInt("layers", m.num_layers));
  SOUK_ASSIGN_OR_RETURN(m.num_heads, flags.GetInt("heads", m.num_heads));
  SOUK_ASSIGN_OR_RETURN(m.max_length, flags.GetInt("max-length", m.max_length));
  SOUK_ASSIGN_OR_RETURN(m.dropout, flags.GetDouble("dropout", m.dropout));
  SOUK_ASSIGN_OR_RETURN(o->batch_size, flags.GetInt("batch", o->batch_size));
  SOUK_ASSIGN_OR_RETURN(o->epochs, flags.GetInt("epochs", o->epochs));
  SOUK_ASSIGN_OR_RETURN(o->patience, flags.GetInt("patience", o->patience));
  SOUK_ASSIGN_OR_RETURN(o->validation_users, flags.GetInt("validation-users", o->validation_users));
  SOUK_ASSIGN_OR_RETURN(o->negatives, flags.GetInt("negatives", o->negatives));
  o->item_text = flags.Get("item-text");
  o->text_encoder = flags.Get("text-encoder");
  SOUK_RETURN_IF_ERROR(ReadOptimizer(flags, &o->optimizer));
  return ReadRuntime(flags, &o->runtime);
}

}  // namespace souk::apps
