// One embedding per sequence from a BERT's outputs, as souk.json's "pooling" and "normalize"
// say (model/serving_config.h). Serving (encoder/) and training (train/) share it, so a model
// is trained with exactly the vectors it will serve.
//
// Thread-safety: a pure function of its tensors.
#pragma once

#include <torch/types.h>

#include "souk/model/bert.h"
#include "souk/model/serving_config.h"

namespace souk::model {

/// [B, H] embeddings of `output` for inputs with `attention_mask` [B, T] (1 = token): the [CLS]
/// state, the mean over real tokens (padding never dilutes it; Reimers & Gurevych 2019), or the
/// pooler output (precondition: the model has a pooler). L2-normalized when `normalize`.
/// Differentiable: training backpropagates through it.
torch::Tensor PoolEmbeddings(const BertModelOutput& output, const torch::Tensor& attention_mask,
                             Pooling pooling, bool normalize);

}  // namespace souk::model
