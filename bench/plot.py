#!/usr/bin/python3
"""Draws the benchmarks' figures as PNG with gnuplot (Debian's gnuplot-nox), from what bench/run.sh
and the load benchmarks write into one directory:

  bm25_bench.json    -> bm25_qps.png: queries per second of Souk's MaxScore, exhaustive scoring
                        and Xapian, per corpus and k (log scale)
  vector_bench.json  -> vector_recall_qps.png: recall@10 against queries per second for each
                        backend, one point per setting (HNSW's ef, IVF's probes, ...)
  load.jsonl         -> load_clients.png: closed-loop QPS and p50 / p95 / p99 latency against
                        clients, one line per backend (bench/load/search-latency.sh's output)

  bench/plot.py DIR

Inputs that are missing are skipped; google-benchmark's medians are used when it ran repetitions.
Standard library only.
"""
import json
import os
import re
import subprocess
import sys
from collections import defaultdict

TERMINAL = "set terminal pngcairo noenhanced size 1000,600"


def benchmark_rows(path):
    """name -> row: the median aggregate of each benchmark when present, else its only run."""
    rows = {}
    for row in json.load(open(path))["benchmarks"]:
        if row.get("run_type") == "aggregate":
            if row.get("aggregate_name") == "median":
                rows[row["run_name"]] = row
        else:
            rows.setdefault(row["run_name"], row)
    return rows


def gnuplot(script, data_blocks):
    """Runs `script` with each (name, lines) of data_blocks inlined as a $name datablock."""
    text = ""
    for name, lines in data_blocks:
        text += f"${name} << EOD\n" + "\n".join(lines) + "\nEOD\n"
    subprocess.run(["gnuplot"], input=text + script, text=True, check=True)


def plot_bm25(directory):
    # BM_<Corpus><Method>/<k>: one bar group per corpus and k, one bar per method.
    qps = defaultdict(dict)
    for name, row in benchmark_rows(os.path.join(directory, "bm25_bench.json")).items():
        match = re.fullmatch(r"BM_(HomeDepot|Generated)(MaxScore|Exhaustive|Xapian)/(\d+)", name)
        if match:
            corpus, method, k = match.groups()
            qps[f"{corpus} top {k}"][method] = row["items_per_second"]
    methods = ["MaxScore", "Exhaustive", "Xapian"]
    lines = ["group " + " ".join(methods)]
    for group, values in qps.items():
        lines.append(f'"{group}" ' + " ".join(str(values.get(m, "NaN")) for m in methods))
    out = os.path.join(directory, "bm25_qps.png")
    gnuplot(f"""{TERMINAL}
set output "{out}"
set title "BM25 top-k, 1 thread: queries per second (Souk MaxScore, Souk exhaustive, Xapian)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set logscale y
set ylabel "queries per second"
set key top right
plot $bm25 using 2:xtic(1) title "Souk MaxScore", '' using 3 title "Souk exhaustive", \\
     '' using 4 title "Xapian BM25"
""", [("bm25", lines)])
    return out


def plot_vectors(directory):
    # BM_<Backend>[/ef:N/...]: one series per backend (and filter), points in the order run.
    series = defaultdict(list)
    for name, row in benchmark_rows(os.path.join(directory, "vector_bench.json")).items():
        if "recall@10" not in row:
            continue
        backend = name.split("/")[0].removeprefix("BM_")
        filtered = re.search(r"half_filtered:1", name) is not None
        label = backend + (" (half filtered)" if filtered else "")
        series[label].append((row["recall@10"], row["items_per_second"]))
    blocks = [(f"s{i}", [f"{r} {q}" for r, q in points])
              for i, points in enumerate(series.values())]
    plots = ", ".join(f'$s{i} using 1:2 with linespoints title "{label}"'
                      for i, label in enumerate(series))
    out = os.path.join(directory, "vector_recall_qps.png")
    gnuplot(f"""{TERMINAL}
set output "{out}"
set title "Vector search, 1 thread: recall@10 against queries per second"
set xlabel "recall@10 (against the exact scan)"
set ylabel "queries per second"
set logscale y
set key bottom left
plot {plots}
""", blocks)
    return out


def plot_load(directory):
    runs = defaultdict(list)
    for line in open(os.path.join(directory, "load.jsonl")):
        if not line.startswith("{"):
            continue
        row = json.loads(line)
        if row.get("mode") == "closed":
            runs[row.get("backend", row.get("rpc", "run"))].append(row)
    blocks, qps_plots, latency_plots = [], [], []
    for i, (backend, rows) in enumerate(runs.items()):
        rows.sort(key=lambda r: r["clients"])
        blocks.append((f"l{i}", [f'{r["clients"]} {r["qps"]} {r["p50_ms"]} {r["p95_ms"]} '
                                 f'{r["p99_ms"]}' for r in rows]))
        qps_plots.append(f'$l{i} using 1:2 with linespoints title "{backend}"')
        for column, name in ((3, "p50"), (4, "p95"), (5, "p99")):
            latency_plots.append(f'$l{i} using 1:{column} with linespoints '
                                 f'title "{backend} {name}"')
    out = os.path.join(directory, "load_clients.png")
    gnuplot(f"""{TERMINAL}
set output "{out}"
set multiplot layout 1,2 title "Closed loop over gRPC: throughput and latency against clients"
set logscale x 2
set xlabel "clients"
set ylabel "queries per second"
set yrange [0:*]
plot {", ".join(qps_plots)}
set ylabel "latency (ms)"
plot {", ".join(latency_plots)}
unset multiplot
""", blocks)
    return out


def main(directory):
    for source, plot in (("bm25_bench.json", plot_bm25), ("vector_bench.json", plot_vectors),
                         ("load.jsonl", plot_load)):
        if os.path.exists(os.path.join(directory, source)):
            print(f"{source} -> {plot(directory)}")
        else:
            print(f"{source}: not in {directory}, skipped")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
