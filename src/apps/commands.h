// The subcommands of the `souk` CLI (docs/cli.md). Each takes the arguments after its name and
// returns the process exit code: 0 success, 1 failure, 2 usage error.
#pragma once

namespace souk::apps {

int RunGen(int argc, char** argv);
int RunIndex(int argc, char** argv);
int RunSearch(int argc, char** argv);
int RunEval(int argc, char** argv);
int RunQuery(int argc, char** argv);
int RunLoad(int argc, char** argv);
int RunAnalyze(int argc, char** argv);
int RunEmbed(int argc, char** argv);
int RunTokenize(int argc, char** argv);
int RunSentiment(int argc, char** argv);  // souk sentiment
int RunTrain(int argc, char** argv);
int RunTrainRanker(int argc, char** argv);     // souk train ranker
int RunTrainSeqRec(int argc, char** argv);     // souk train seqrec
int RunTrainSentiment(int argc, char** argv);  // souk train sentiment
int RunTrainRewrites(int argc, char** argv);   // souk train rewrites
int RunRecommend(int argc, char** argv);
int RunDense(int argc, char** argv);
int RunAdmin(int argc, char** argv);
int RunRetrain(int argc, char** argv);
int RunSimulate(int argc, char** argv);
int RunEvents(int argc, char** argv);
int RunApiKey(int argc, char** argv);
int RunHealth(int argc, char** argv);

}  // namespace souk::apps
