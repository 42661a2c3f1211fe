// BertModel and heads against an independent reference: BERT's equations (Devlin et al. 2019;
// Vaswani et al. 2017 for attention) written as plain loops over doubles, reading the module's
// weights. The reference runs each sequence unpadded, so agreement also shows that padding does
// not leak into real positions.
#include "souk/model/bert.h"

#include <torch/torch.h>

#include <cmath>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "souk/model/bert_heads.h"
#include "support/test_support.h"

namespace souk::model {
namespace {

using ::souk::testing::StatusIs;
using Vec = std::vector<double>;

BertConfig SmallConfig() {
  BertConfig c;
  c.vocab_size = 97;
  c.hidden_size = 32;
  c.num_hidden_layers = 2;
  c.num_attention_heads = 4;
  c.intermediate_size = 64;
  c.max_position_embeddings = 40;
  c.type_vocab_size = 2;
  c.layer_norm_eps = 1e-12;
  return c;
}

// HF's init (std 0.02, LayerNorm 1/0) makes every block nearly the identity; larger random values
// make attention patterns and GELU's curvature matter, so a wrong formula shows.
void Randomize(const std::map<std::string, torch::Tensor>& params) {
  torch::NoGradGuard no_grad;
  for (const auto& [name, p] : params) {
    const bool is_ln = name.find("LayerNorm") != std::string::npos;
    const bool is_bias = name.size() >= 4 && name.compare(name.size() - 4, 4, "bias") == 0;
    if (is_ln && !is_bias) {
      p.copy_(1.0 + 0.2 * torch::randn(p.sizes()));
    } else if (is_bias) {
      p.copy_(0.2 * torch::randn(p.sizes()));
    } else if (name.find("embeddings") != std::string::npos) {
      p.copy_(torch::randn(p.sizes()));
    } else {
      p.copy_(0.35 * torch::randn(p.sizes()));
    }
  }
}

// ---- the reference: no torch ops, only loops ----

class Reference {
 public:
  Reference(const std::map<std::string, torch::Tensor>& params, std::string prefix,
            const BertConfig& c)
      : prefix_(std::move(prefix)), c_(c) {
    for (const auto& [name, t] : params) {
      torch::Tensor f = t.detach().to(torch::kFloat).contiguous();
      std::vector<float> v(f.numel());
      std::memcpy(v.data(), f.data_ptr<float>(), v.size() * sizeof(float));
      w_[name] = Vec(v.begin(), v.end());
    }
  }

  const Vec& W(const std::string& name) const {
    auto it = w_.find(prefix_ + name);
    EXPECT_NE(it, w_.end()) << prefix_ + name;
    return it->second;
  }

  // y[n, out] = x[n, in] W^T + b.
  Vec Linear(const Vec& x, int64_t n, int64_t in, const std::string& name) const {
    const Vec& w = W(name + ".weight");
    const Vec& b = W(name + ".bias");
    const int64_t out = static_cast<int64_t>(b.size());
    Vec y(n * out);
    for (int64_t i = 0; i < n; ++i) {
      for (int64_t o = 0; o < out; ++o) {
        double s = b[o];
        for (int64_t k = 0; k < in; ++k) s += x[i * in + k] * w[o * in + k];
        y[i * out + o] = s;
      }
    }
    return y;
  }

  // Ba et al. 2016: (x - mean) / sqrt(var + eps) * gamma + beta, biased variance.
  Vec LayerNorm(const Vec& x, int64_t n, const std::string& name) const {
    const Vec& g = W(name + ".weight");
    const Vec& b = W(name + ".bias");
    const int64_t h = static_cast<int64_t>(g.size());
    Vec y(x.size());
    for (int64_t i = 0; i < n; ++i) {
      double mean = 0, var = 0;
      for (int64_t k = 0; k < h; ++k) mean += x[i * h + k];
      mean /= h;
      for (int64_t k = 0; k < h; ++k) var += (x[i * h + k] - mean) * (x[i * h + k] - mean);
      var /= h;
      for (int64_t k = 0; k < h; ++k) {
        y[i * h + k] = (x[i * h + k] - mean) / std::sqrt(var + c_.layer_norm_eps) * g[k] + b[k];
      }
    }
    return y;
  }

  static Vec Gelu(Vec x) {
    for (double& v : x) v = 0.5 * v * (1.0 + std::erf(v / std::sqrt(2.0)));
    return x;
  }

  static Vec Add(Vec a, const Vec& b) {
    for (size_t i = 0; i < a.size(); ++i) a[i] += b[i];
    return a;
  }

  // Self-attention over the L real tokens only (padding never enters).
  Vec Attention(const Vec& x, int64_t l, const std::string& p) const {
    const int64_t h = c_.hidden_size, a = c_.num_attention_heads, d = h / a;
    const Vec q = Linear(x, l, h, p + "query"), k = Linear(x, l, h, p + "key"),
              v = Linear(x, l, h, p + "value");
    Vec ctx(l * h, 0.0);
    for (int64_t head = 0; head < a; ++head) {
      for (int64_t i = 0; i < l; ++i) {
        Vec scores(l);
        double max_score = -1e300;
        for (int64_t j = 0; j < l; ++j) {
          double s = 0;
          for (int64_t e = 0; e < d; ++e) s += q[i * h + head * d + e] * k[j * h + head * d + e];
          scores[j] = s / std::sqrt(static_cast<double>(d));
          max_score = std::max(max_score, scores[j]);
        }
        double z = 0;
        for (double& s : scores) z += (s = std::exp(s - max_score));
        for (int64_t j = 0; j < l; ++j) {
          for (int64_t e = 0; e < d; ++e) {
            ctx[i * h + head * d + e] += scores[j] / z * v[j * h + head * d + e];
          }
        }
      }
    }
    return ctx;
  }

  struct Output {
    Vec hidden;  // [L, H]
    Vec pooled;  // [H]
  };

  Output Encode(const std::vector<int64_t>& ids, const std::vector<int64_t>& types) const {
    const int64_t l = static_cast<int64_t>(ids.size()), h = c_.hidden_size;
    Vec x(l * h);
    const Vec &we = W("embeddings.word_embeddings.weight"),
              &pe = W("embeddings.position_embeddings.weight"),
              &te = W("embeddings.token_type_embeddings.weight");
    for (int64_t i = 0; i < l; ++i) {
      for (int64_t k = 0; k < h; ++k) {
        x[i * h + k] = we[ids[i] * h + k] + pe[i * h + k] + te[types[i] * h + k];
      }
    }
    x = LayerNorm(x, l, "embeddings.LayerNorm");
    for (int64_t layer = 0; layer < c_.num_hidden_layers; ++layer) {
      const std::string p = "encoder.layer." + std::to_string(layer) + ".";
      Vec attn = Linear(Attention(x, l, p + "attention.self."), l, h, p + "attention.output.dense");
      x = LayerNorm(Add(attn, x), l, p + "attention.output.LayerNorm");
      Vec inter = Gelu(Linear(x, l, h, p + "intermediate.dense"));
      Vec out = Linear(inter, l, c_.intermediate_size, p + "output.dense");
      x = LayerNorm(Add(out, x), l, p + "output.LayerNorm");
    }
    Output result{x, {}};
    if (w_.count(prefix_ + "pooler.dense.weight")) {
      result.pooled = Linear(Vec(x.begin(), x.begin() + h), 1, h, "pooler.dense");
      for (double& v : result.pooled) v = std::tanh(v);
    }
    return result;
  }

  // cls.predictions: LayerNorm(GELU(dense(h))) @ E^T + bias, E the word embedding.
  Vec MlmLogits(const Vec& hidden, int64_t l) const {
    const int64_t h = c_.hidden_size, vocab = c_.vocab_size;
    Vec t = LayerNorm(Gelu(Linear(hidden, l, h, "cls.predictions.transform.dense")), l,
                      "cls.predictions.transform.LayerNorm");
    const Vec& e = W("bert.embeddings.word_embeddings.weight");
    const Vec& bias = W("cls.predictions.bias");
    Vec logits(l * vocab);
    for (int64_t i = 0; i < l; ++i) {
      for (int64_t v = 0; v < vocab; ++v) {
        double s = bias[v];
        for (int64_t k = 0; k < h; ++k) s += t[i * h + k] * e[v * h + k];
        logits[i * vocab + v] = s;
      }
    }
    return logits;
  }

 private:
  std::string prefix_;
  BertConfig c_;
  std::map<std::string, Vec> w_;
};

// ---- inputs: two sequences of different lengths and token types, right-padded ----

struct Batch {
  std::vector<std::vector<int64_t>> ids, types;  // unpadded
  torch::Tensor input_ids, attention_mask, token_type_ids;
};

// Padded slots get junk ids and types (not the pad id): only the mask may hide them.
Batch MakeBatch(int64_t padded_length) {
  Batch b;
  b.ids = {{2, 15, 33, 71, 8, 96, 40}, {2, 60, 5, 88}};
  b.types = {{0, 0, 0, 1, 1, 1, 1}, {0, 0, 1, 1}};
  const int64_t n = static_cast<int64_t>(b.ids.size());
  b.input_ids = torch::full({n, padded_length}, 0, torch::kLong);
  b.attention_mask = torch::zeros({n, padded_length}, torch::kLong);
  b.token_type_ids = torch::ones({n, padded_length}, torch::kLong);
  for (int64_t s = 0; s < n; ++s) {
    for (int64_t i = 0; i < padded_length; ++i) {
      const bool real = i < static_cast<int64_t>(b.ids[s].size());
      b.input_ids[s][i] = real ? b.ids[s][i] : (13 * i + 7 * s) % 97 + 1;
      b.attention_mask[s][i] = real ? 1 : 0;
      if (real) b.token_type_ids[s][i] = b.types[s][i];
    }
  }
  return b;
}

// max |model[s, i, :] - ref[i, :]| over the real positions of sequence s.
double MaxDiffRows(const torch::Tensor& model, int64_t s, const Vec& ref) {
  torch::Tensor m = model[s].to(torch::kDouble).contiguous();
  const int64_t h = m.size(-1), l = static_cast<int64_t>(ref.size()) / h;
  double worst = 0;
  for (int64_t i = 0; i < l; ++i) {
    for (int64_t k = 0; k < h; ++k) {
      worst = std::max(worst, std::abs(m[i][k].item<double>() - ref[i * h + k]));
    }
  }
  return worst;
}

class BertTest : public ::testing::Test {
 protected:
  void SetUp() override {
    torch::set_num_threads(1);
    torch::manual_seed(20240607);
  }

  BertModel MakeModel() {
    auto created = BertModelImpl::Create(SmallConfig());
    EXPECT_TRUE(created.ok()) << created.status();
    BertModel model(*created);
    Randomize(model->NamedParameters());
    model->eval();
    return model;
  }
};

TEST_F(BertTest, MatchesReferenceAtRealPositionsAndPooler) {
  BertModel model = MakeModel();
  const Batch b = MakeBatch(7);
  torch::InferenceMode guard;
  auto out = model->CheckedForward(b.input_ids, b.attention_mask, b.token_type_ids);
  ASSERT_OK(out);
  ASSERT_EQ(out->last_hidden_state.sizes(), (std::vector<int64_t>{2, 7, 32}));
  ASSERT_EQ(out->pooler_output.sizes(), (std::vector<int64_t>{2, 32}));
  const Reference ref(model->NamedParameters(), "", SmallConfig());
  for (int64_t s = 0; s < 2; ++s) {
    const Reference::Output r = ref.Encode(b.ids[s], b.types[s]);
    EXPECT_LE(MaxDiffRows(out->last_hidden_state, s, r.hidden), 1e-4) << "sequence " << s;
    EXPECT_LE(MaxDiffRows(out->pooler_output.unsqueeze(1), s, r.pooled), 1e-4) << "sequence " << s;
  }
  // The check has teeth: the outputs are far from trivial and differ between sequences.
  EXPECT_GT(out->pooler_output.abs().mean().item<double>(), 0.1);
  EXPECT_GT((out->pooler_output[0] - out->pooler_output[1]).abs().max().item<double>(), 0.1);
}

// Short inputs take ShortLinear when no gradient is recorded (short_linear_internal.h): the
// states match the sgemm path's, which recording gradients forces.
TEST_F(BertTest, ShortInputsMatchTheSgemmPath) {
  BertModel model = MakeModel();
  for (int64_t tokens : {7, 8}) {  // 2 sequences: 14 and 16 rows, within the bound
    const Batch b = MakeBatch(tokens);
    const torch::Tensor recorded =
        model->forward(b.input_ids, b.attention_mask, b.token_type_ids).last_hidden_state;
    ASSERT_TRUE(recorded.requires_grad());
    torch::InferenceMode guard;
    const torch::Tensor served =
        model->forward(b.input_ids, b.attention_mask, b.token_type_ids).last_hidden_state;
    EXPECT_LT((served - recorded.detach()).abs().max().item<double>(), 1e-5) << tokens;
  }
}

// No layer: a static embedding model, each token's state the LayerNorm of its embeddings alone.
TEST_F(BertTest, ZeroLayersLeaveTheEmbeddingsLayerNorm) {
  BertConfig c = SmallConfig();
  c.num_hidden_layers = 0;
  auto created = BertModelImpl::Create(c);
  ASSERT_OK(created);
  BertModel model(*created);
  Randomize(model->NamedParameters());
  model->eval();
  const Batch b = MakeBatch(7);
  torch::InferenceMode guard;
  auto out = model->CheckedForward(b.input_ids, b.attention_mask, b.token_type_ids);
  ASSERT_OK(out);
  const Reference ref(model->NamedParameters(), "", c);
  for (int64_t s = 0; s < 2; ++s) {
    const Reference::Output r = ref.Encode(b.ids[s], b.types[s]);
    EXPECT_LE(MaxDiffRows(out->last_hidden_state, s, r.hidden), 1e-4) << "sequence " << s;
  }
  // A state does not depend on the other tokens: the same token, position and segment in
  // another sequence has the same state.
  const torch::Tensor ids = torch::tensor({{5, 6, 7}, {5, 9, 9}}, torch::kLong);
  auto states = model->CheckedForward(ids);
  ASSERT_OK(states);
  EXPECT_TRUE(torch::allclose(states->last_hidden_state[0][0], states->last_hidden_state[1][0]));
  EXPECT_FALSE(torch::allclose(states->last_hidden_state[0][1], states->last_hidden_state[1][1]));
}

TEST_F(BertTest, ExtraPaddingChangesNothingAtRealPositions) {
  BertModel model = MakeModel();
  const Batch short_batch = MakeBatch(7), long_batch = MakeBatch(12);
  torch::InferenceMode guard;
  BertModelOutput a =
      model->forward(short_batch.input_ids, short_batch.attention_mask, short_batch.token_type_ids);
  BertModelOutput b =
      model->forward(long_batch.input_ids, long_batch.attention_mask, long_batch.token_type_ids);
  // Not bit-identical: GEMMs over 7 and 12 rows may block and sum differently.
  for (int64_t s = 0; s < 2; ++s) {
    const int64_t l = static_cast<int64_t>(short_batch.ids[s].size());
    EXPECT_LE((a.last_hidden_state[s].slice(0, 0, l) - b.last_hidden_state[s].slice(0, 0, l))
                  .abs()
                  .max()
                  .item<double>(),
              1e-5)
        << "sequence " << s;
  }
  EXPECT_LE((a.pooler_output - b.pooler_output).abs().max().item<double>(), 1e-5);
}

TEST_F(BertTest, AdditiveMaskIsFinfoMin) {
  torch::Tensor m = ExtendedAttentionMask(torch::tensor({{1, 1, 0}}), torch::kFloat);
  ASSERT_EQ(m.sizes(), (std::vector<int64_t>{1, 1, 1, 3}));
  EXPECT_EQ(m[0][0][0][0].item<float>(), 0.0f);
  EXPECT_EQ(m[0][0][0][2].item<float>(), std::numeric_limits<float>::lowest());
}

TEST_F(BertTest, NamedParametersUseHuggingFaceNames) {
  BertModel model = MakeModel();
  const auto params = model->NamedParameters();
  EXPECT_EQ(params.size(), 5u + 2u * 16u + 2u);
  const std::map<std::string, std::vector<int64_t>> expected = {
      {"embeddings.word_embeddings.weight", {97, 32}},
      {"embeddings.position_embeddings.weight", {40, 32}},
      {"embeddings.token_type_embeddings.weight", {2, 32}},
      {"embeddings.LayerNorm.weight", {32}},
      {"encoder.layer.0.attention.self.query.weight", {32, 32}},
      {"encoder.layer.1.attention.self.value.bias", {32}},
      {"encoder.layer.0.attention.output.dense.weight", {32, 32}},
      {"encoder.layer.0.attention.output.LayerNorm.bias", {32}},
      {"encoder.layer.1.intermediate.dense.weight", {64, 32}},
      {"encoder.layer.1.output.dense.weight", {32, 64}},
      {"encoder.layer.1.output.LayerNorm.weight", {32}},
      {"pooler.dense.weight", {32, 32}},
  };
  for (const auto& [name, shape] : expected) {
    auto it = params.find(name);
    ASSERT_NE(it, params.end()) << name;
    EXPECT_EQ(it->second.sizes(), shape) << name;
  }
}

TEST_F(BertTest, LoadStateDictRoundTripsWithAndWithoutPrefix) {
  BertModel source = MakeModel();
  BertModel plain = MakeModel(), prefixed = MakeModel();
  const Batch b = MakeBatch(7);
  ASSERT_OK(plain->LoadStateDict(source->NamedParameters(), /*strict=*/true));

  std::map<std::string, torch::Tensor> hf;
  for (const auto& [name, t] : source->NamedParameters()) hf["bert." + name] = t.clone();
  hf["bert.embeddings.position_ids"] = torch::arange(40).unsqueeze(0);  // HF's buffer: ignored
  hf["cls.predictions.bias"] = torch::zeros({97});                      // a head: reported
  StateDictReport report;
  ASSERT_OK(prefixed->LoadStateDict(hf, /*strict=*/true, &report));
  EXPECT_TRUE(report.missing.empty());
  EXPECT_EQ(report.unexpected, std::vector<std::string>{"cls.predictions.bias"});

  torch::InferenceMode guard;
  const torch::Tensor want =
      source->forward(b.input_ids, b.attention_mask, b.token_type_ids).last_hidden_state;
  EXPECT_TRUE(torch::equal(
      plain->forward(b.input_ids, b.attention_mask, b.token_type_ids).last_hidden_state, want));
  EXPECT_TRUE(torch::equal(
      prefixed->forward(b.input_ids, b.attention_mask, b.token_type_ids).last_hidden_state, want));
}

TEST_F(BertTest, LoadStateDictNamesMissingAndMisshapenTensors) {
  BertModel source = MakeModel(), target = MakeModel();
  const torch::Tensor before = target->NamedParameters().at("pooler.dense.weight").clone();

  auto missing = source->NamedParameters();
  missing.erase("encoder.layer.1.output.dense.weight");
  EXPECT_THAT(target->LoadStateDict(missing, /*strict=*/true),
              StatusIs(absl::StatusCode::kInvalidArgument, "encoder.layer.1.output.dense.weight"));
  // Atomic: the failed load copied nothing.
  EXPECT_TRUE(torch::equal(target->NamedParameters().at("pooler.dense.weight"), before));

  StateDictReport report;
  ASSERT_OK(target->LoadStateDict(missing, /*strict=*/false, &report));
  EXPECT_EQ(report.missing, std::vector<std::string>{"encoder.layer.1.output.dense.weight"});

  auto misshapen = source->NamedParameters();
  misshapen["embeddings.position_embeddings.weight"] = torch::zeros({39, 32});
  EXPECT_THAT(target->LoadStateDict(misshapen, /*strict=*/false),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "'embeddings.position_embeddings.weight' has shape [39, 32]"));
}

TEST_F(BertTest, CheckedForwardRejectsBadInputs) {
  BertModel model = MakeModel();
  torch::InferenceMode guard;
  const auto ids = torch::tensor({{2, 5, 7}}, torch::kLong);
  EXPECT_THAT(model->CheckedForward(torch::tensor({{2, 97}}, torch::kLong)),
              StatusIs(absl::StatusCode::kInvalidArgument, "input_ids out of range"));
  EXPECT_THAT(model->CheckedForward(torch::ones({1, 41}, torch::kLong)),
              StatusIs(absl::StatusCode::kInvalidArgument, "sequence length 41"));
  EXPECT_THAT(model->CheckedForward(ids, torch::ones({1, 2})),
              StatusIs(absl::StatusCode::kInvalidArgument, "attention_mask shape"));
  EXPECT_THAT(model->CheckedForward(ids, {}, torch::full({1, 3}, 2, torch::kLong)),
              StatusIs(absl::StatusCode::kInvalidArgument, "token_type_ids out of range"));
  EXPECT_THAT(model->CheckedForward(ids.to(torch::kInt)),
              StatusIs(absl::StatusCode::kInvalidArgument, "int64"));
  EXPECT_OK(model->CheckedForward(ids));
}

TEST_F(BertTest, CreateRejectsInvalidConfig) {
  BertConfig c = SmallConfig();
  c.num_attention_heads = 5;
  EXPECT_THAT(BertModelImpl::Create(c),
              StatusIs(absl::StatusCode::kInvalidArgument, "hidden_size"));
}

// ---- heads ----

TEST_F(BertTest, MaskedLmDecoderIsTiedAndMatchesReference) {
  auto created = BertForMaskedLMImpl::Create(SmallConfig());
  ASSERT_OK(created);
  BertForMaskedLM mlm(*created);
  Randomize(mlm->NamedParameters());
  mlm->eval();
  const auto params = mlm->NamedParameters();
  EXPECT_EQ(params.count("bert.pooler.dense.weight"), 0u);  // HF: add_pooling_layer=False
  EXPECT_EQ(params.count("cls.predictions.decoder.weight"), 0u);
  ASSERT_EQ(params.count("cls.predictions.bias"), 1u);
  ASSERT_EQ(params.count("cls.predictions.transform.LayerNorm.weight"), 1u);
  EXPECT_TRUE(mlm->decoder_weight().is_same(mlm->bert()->word_embedding_weight()));
  EXPECT_EQ(mlm->decoder_weight().data_ptr(),
            params.at("bert.embeddings.word_embeddings.weight").data_ptr());

  const Batch b = MakeBatch(7);
  const Reference ref(params, "bert.", SmallConfig());
  const Reference head(params, "", SmallConfig());
  torch::Tensor logits;
  {
    torch::InferenceMode guard;
    logits = mlm->forward(b.input_ids, b.attention_mask, b.token_type_ids);
  }
  ASSERT_EQ(logits.sizes(), (std::vector<int64_t>{2, 7, 97}));
  for (int64_t s = 0; s < 2; ++s) {
    const Vec hidden = ref.Encode(b.ids[s], b.types[s]).hidden;
    const Vec want = head.MlmLogits(hidden, static_cast<int64_t>(b.ids[s].size()));
    EXPECT_LE(MaxDiffRows(logits, s, want), 1e-4) << "sequence " << s;
  }

  // Changing the embedding changes the logits: the tie is live, not a copy.
  {
    torch::NoGradGuard no_grad;
    mlm->bert()->word_embedding_weight().mul_(2.0);
  }
  torch::InferenceMode guard;
  EXPECT_FALSE(torch::allclose(mlm->forward(b.input_ids, b.attention_mask, b.token_type_ids),
                               logits, 1e-3, 1e-3));
}

TEST_F(BertTest, MaskedLmLoadsDecoderBiasAlias) {
  BertForMaskedLM source(SmallConfig()), target(SmallConfig());
  Randomize(source->NamedParameters());
  auto sd = source->NamedParameters();
  sd["cls.predictions.decoder.bias"] = sd.at("cls.predictions.bias");
  sd["cls.predictions.decoder.weight"] = sd.at("bert.embeddings.word_embeddings.weight");
  sd.erase("cls.predictions.bias");
  StateDictReport report;
  ASSERT_OK(target->LoadStateDict(sd, /*strict=*/true, &report));
  EXPECT_TRUE(report.unexpected.empty());
  EXPECT_TRUE(torch::equal(target->decoder_bias(), source->decoder_bias()));
  EXPECT_TRUE(target->decoder_weight().is_same(target->bert()->word_embedding_weight()));
}

TEST_F(BertTest, SequenceClassificationShapeAndMath) {
  auto created = BertForSequenceClassificationImpl::Create(SmallConfig(), /*num_labels=*/3);
  ASSERT_OK(created);
  BertForSequenceClassification clf(*created);
  Randomize(clf->NamedParameters());
  clf->eval();
  const auto params = clf->NamedParameters();
  ASSERT_EQ(params.at("classifier.weight").sizes(), (std::vector<int64_t>{3, 32}));
  ASSERT_EQ(params.count("bert.pooler.dense.weight"), 1u);

  const Batch b = MakeBatch(7);
  torch::InferenceMode guard;
  const torch::Tensor logits = clf->forward(b.input_ids, b.attention_mask, b.token_type_ids);
  ASSERT_EQ(logits.sizes(), (std::vector<int64_t>{2, 3}));
  const Reference ref(params, "bert.", SmallConfig());
  const Reference head(params, "", SmallConfig());
  for (int64_t s = 0; s < 2; ++s) {
    const Vec pooled = ref.Encode(b.ids[s], b.types[s]).pooled;
    const Vec want = head.Linear(pooled, 1, 32, "classifier");
    EXPECT_LE(MaxDiffRows(logits.unsqueeze(1), s, want), 1e-4) << "sequence " << s;
  }
  EXPECT_THAT(BertForSequenceClassificationImpl::Create(SmallConfig(), 0),
              StatusIs(absl::StatusCode::kInvalidArgument, "num_labels"));
}

}  // namespace
}  // namespace souk::model
