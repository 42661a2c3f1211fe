// souk: the command-line tool. `souk <command> --help` describes each command; docs/cli.md
// has the whole reference.

#include <cstring>
#include <iostream>

#include "commands.h"
#include "souk/base/logging.h"

namespace {

constexpr char kUsage[] = R"(usage: souk <command> [flags]

commands:
  gen      write the deterministic demo shop (catalog, users, events)
  index    build an index directory from a catalog (JSONL or TSV)
  search   search an index: one query as a table, or a queries file as a TREC run
  eval     score a TREC run against judgments (NDCG@k, Recall@k, MRR)
  query    call a running server's Search over gRPC and print the answer
  load     drive a running server's Search with many requests: latency percentiles and QPS
  analyze  the analyzer's index terms of lines of stdin
  embed    embed lines of stdin with a model directory (one JSON array per line)
  tokenize token ids of lines of stdin, as a model directory's tokenizer makes them
  sentiment  P(positive) of texts (arguments or lines of stdin) by a review sentiment model
  train    train models: tokenizer, pretrain (masked LM), finetune (contrastive bi-encoder),
           ranker (LambdaMART), seqrec (sequential recommender), sentiment (review classifier),
           rewrites (learned query rewrites)
  retrain  the next ranker version from the event log, promoted when not worse than the serving one
  dense    dense retrieval with a model directory: a queries file as a TREC run
  recommend  every user's next items by a sequential recommender, as a TREC run
  admin    a running server's AdminService: reload (hot, or many times in a row), stats (JSON)
  simulate the demo shop's simulated users shop on a running server: CTR and CVR per A/B variant
  events   export the durable event log as JSON lines
  apikey   a new API key and the server.auth.keys entry that admits it
  health   a running server's gRPC health check: exit 0 when SERVING (container probes)
)";

}  // namespace

int main(int argc, char** argv) {
  souk::logging::Configure({.level = souk::logging::Level::kWarn});
  if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "help") == 0) {
    (argc < 2 ? std::cerr : std::cout) << kUsage;
    return argc < 2 ? 2 : 0;
  }
  const std::string command = argv[1];
  if (command == "gen") return souk::apps::RunGen(argc, argv);
  if (command == "index") return souk::apps::RunIndex(argc, argv);
  if (command == "search") return souk::apps::RunSearch(argc, argv);
  if (command == "eval") return souk::apps::RunEval(argc, argv);
  if (command == "query") return souk::apps::RunQuery(argc, argv);
  if (command == "load") return souk::apps::RunLoad(argc, argv);
  if (command == "analyze") return souk::apps::RunAnalyze(argc, argv);
  if (command == "embed") return souk::apps::RunEmbed(argc, argv);
  if (command == "tokenize") return souk::apps::RunTokenize(argc, argv);
  if (command == "sentiment") return souk::apps::RunSentiment(argc, argv);
  if (command == "train") return souk::apps::RunTrain(argc, argv);
  if (command == "retrain") return souk::apps::RunRetrain(argc, argv);
  if (command == "dense") return souk::apps::RunDense(argc, argv);
  if (command == "recommend") return souk::apps::RunRecommend(argc, argv);
  if (command == "admin") return souk::apps::RunAdmin(argc, argv);
  if (command == "simulate") return souk::apps::RunSimulate(argc, argv);
  if (command == "events") return souk::apps::RunEvents(argc, argv);
  if (command == "apikey") return souk::apps::RunApiKey(argc, argv);
  if (command == "health") return souk::apps::RunHealth(argc, argv);
  std::cerr << "souk: unknown command '" << command << "'\n" << kUsage;
  return 2;
}
