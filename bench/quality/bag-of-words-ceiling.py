#!/usr/bin/python3
"""How far bags of words go on a TREC-style test set: BM25 and IDF-weighted cosine (each
occurrence counted, or each distinct term once; IDF or its square root per side; with a length
pivot) over a model directory's tokenizer pieces, over lower-cased words and over the terms of
Souk's analyzer (`souk analyze`), without any learned weight.

The dense encoder's bag-of-words start approximates the IDF cosine over its tokens; plain BM25
over the same tokens is what a lexical model with them reaches. Standard library only.

  bench/quality/bag-of-words-ceiling.py SOUK MODEL_DIR PRODUCTS_TSV QUERIES_TSV QRELS_TSV

PRODUCTS_TSV: header, then id<TAB>title; QUERIES_TSV: query_id<TAB>query (no header);
QRELS_TSV: header, then query_id<TAB>query<TAB>product_id<TAB>relevance (dev-qrels.tsv).
NDCG@10 as `souk eval --gain-offset 1`: gain = relevance - 1, unjudged 0; queries whose
judgments all have gain 0 are left out (their ideal DCG is 0).
"""
import json
import math
import re
import subprocess
import sys
from collections import Counter, defaultdict


def tokenize(souk, model, texts):
    out = subprocess.run([souk, "tokenize", "--model", model, "--max-length", "64"],
                         input="\n".join(texts) + "\n", capture_output=True, text=True, check=True)
    return [json.loads(line)[1:-1] for line in out.stdout.splitlines()]  # without [CLS], [SEP]


def analyzed(souk, texts):
    out = subprocess.run([souk, "analyze"], input="\n".join(texts) + "\n", capture_output=True,
                         text=True, check=True)
    return [line.split() for line in out.stdout.splitlines()]


def words(text):
    return re.findall(r"[a-z0-9]+", text.lower())


def ndcg10(ranked, judged):
    dcg = sum((judged.get(p, 1.0) - 1) / math.log2(i + 2) for i, p in enumerate(ranked[:10]))
    ideal = sorted((r - 1 for r in judged.values()), reverse=True)[:10]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg > 0 else None


# The length pivot of "sqrt-idf-pivot": in units of one term's vector (the encoder's
# --length-pivot counts in token states, which have one norm each).
PIVOT = 8.0


def term_weight(weighting, idf):
    return math.sqrt(idf) if weighting.startswith("sqrt-idf") else idf


def postings(docs, weighting):
    """term -> [(doc, weight)]: BM25 (k1 1.2, b 0.75), or L2-normalized tf x idf (each distinct
    term counted once for "*-distinct" and the "sqrt-idf-*" ones, which weigh a term by the
    square root of its IDF on each side so that a match counts its IDF once, as in BM25;
    "sqrt-idf-pivot" normalizes a product by sqrt(|w|^2 + PIVOT^2) instead of |w|, the encoder's
    length pivot)."""
    n = len(docs)
    df = Counter(t for d in docs for t in set(d))
    avg = sum(len(d) for d in docs) / n
    post = defaultdict(list)
    for i, d in enumerate(docs):
        tf = Counter(d)
        if weighting == "bm25":
            for t, c in tf.items():
                idf = math.log(1 + (n - df[t] + 0.5) / (df[t] + 0.5))
                post[t].append((i, idf * c * 2.2 / (c + 1.2 * (0.25 + 0.75 * len(d) / avg))))
        else:
            distinct = weighting.endswith("distinct") or weighting.startswith("sqrt-idf")
            w = {t: (1 if distinct else c) * term_weight(weighting, math.log(n / df[t]))
                 for t, c in tf.items()}
            pivot2 = PIVOT**2 if weighting.endswith("pivot") else 0
            norm = math.sqrt(sum(v * v for v in w.values()) + pivot2) or 1.0
            for t, v in w.items():
                post[t].append((i, v / norm))
    return post, df, n


def evaluate(docs, ids, queries, qids, qrels, weighting):
    post, df, n = postings(docs, weighting)
    scores = []
    for q, qid in zip(queries, qids):
        acc = defaultdict(float)
        for t, c in Counter(q).items():
            if t in df:
                if weighting.endswith("distinct") or weighting.startswith("sqrt-idf"):
                    c = 1
                idf = math.log(n / df[t])
                weight = c if weighting == "bm25" else c * term_weight(weighting, idf)
                for doc, v in post[t]:
                    acc[doc] += weight * v
        ranked = [ids[d] for d, _ in sorted(acc.items(), key=lambda x: (-x[1], x[0]))[:10]]
        s = ndcg10(ranked, qrels[qid])
        if s is not None:
            scores.append(s)
    return sum(scores) / len(scores), len(scores)


def main(souk, model, products_tsv, queries_tsv, qrels_tsv):
    rows = [line.rstrip("\n").split("\t", 1) for line in list(open(products_tsv))[1:]]
    ids, titles = [r[0] for r in rows], [r[1] for r in rows]
    qrows = [line.rstrip("\n").split("\t", 1) for line in open(queries_tsv)]
    qids, qtexts = [r[0] for r in qrows], [r[1] for r in qrows]
    qrels = defaultdict(dict)
    for line in list(open(qrels_tsv))[1:]:
        qid, _, pid, rel = line.rstrip("\n").split("\t")
        qrels[qid][pid] = float(rel)
    for name, docs, queries in [
        ("pieces", tokenize(souk, model, titles), tokenize(souk, model, qtexts)),
        ("words", [words(t) for t in titles], [words(t) for t in qtexts]),
        ("terms", analyzed(souk, titles), analyzed(souk, qtexts)),
    ]:
        for weighting in ("bm25", "idf-cosine", "idf-cosine-distinct", "sqrt-idf-cosine",
                          "sqrt-idf-pivot"):
            score, count = evaluate(docs, ids, queries, qids, qrels, weighting)
            print(f"{name:6} {weighting:19} NDCG@10 {score:.4f} ({count} queries)", flush=True)


if __name__ == "__main__":
    if len(sys.argv) != 6:
        sys.exit(__doc__)
    main(*sys.argv[1:])
