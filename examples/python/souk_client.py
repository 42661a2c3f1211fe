#!/usr/bin/python3
"""A shop backend's calls to Souk, in Python: search, recommend, and logging what shoppers did.

Generate the stubs first (examples/python/generate_stubs.sh), then, against a running soukd:

  souk_client.py [--server 127.0.0.1:50051] [--api-key KEY] search "cordless drill" [--user u1] [--explain]
  souk_client.py recommend --user u1 [--recent PRODUCT ...]
  souk_client.py similar PRODUCT
  souk_client.py click --user u1 --request-id ID --product PRODUCT --position 1

Needs Debian's python3-grpcio and python3-protobuf (scripts/install-deps.sh installs them).
The stubs are read from $SOUK_PY_STUBS, else from examples/python/gen beside this file.
"""

import argparse
import os
import sys
import time
import uuid

sys.path.insert(0, os.environ.get("SOUK_PY_STUBS",
                                  os.path.join(os.path.dirname(os.path.abspath(__file__)), "gen")))

import grpc  # noqa: E402
from souk.v1 import feedback_pb2, feedback_pb2_grpc  # noqa: E402
from souk.v1 import recommend_pb2, recommend_pb2_grpc  # noqa: E402
from souk.v1 import search_pb2, search_pb2_grpc  # noqa: E402


def search(channel, metadata, args):
    stub = search_pb2_grpc.SearchServiceStub(channel)
    request = search_pb2.SearchRequest(query=args.query, page_size=args.k, user_id=args.user,
                                       include_products=True, debug=args.explain)
    response = stub.Search(request, metadata=metadata, timeout=5)
    print(f"request_id {response.request_id}")
    for rank, result in enumerate(response.results, 1):
        product = result.product
        print(f"{rank:3d} {result.score:8.3f}  {result.product_id:14s} {product.brand:16s} "
              f"{product.title}")
        if args.explain:
            e = result.explanation
            print(f"      bm25 {e.bm25:.3f} (rank {e.bm25_rank}), retrieval {e.retrieval_score:.4f}")
            for c in sorted(e.contributions, key=lambda c: -abs(c.contribution))[:5]:
                print(f"      {c.feature:28s} {c.contribution:+.4f}")


def print_items(response):
    print(f"request_id {response.request_id}")
    for rank, item in enumerate(response.items, 1):
        print(f"{rank:3d} {item.score:8.4f}  {item.product_id:14s} {item.source:24s} "
              f"{item.product.title}")


def recommend(channel, metadata, args):
    stub = recommend_pb2_grpc.RecommendServiceStub(channel)
    request = recommend_pb2.RecommendRequest(user_id=args.user, recent_product_ids=args.recent,
                                             page_size=args.k, include_products=True)
    print_items(stub.Recommend(request, metadata=metadata, timeout=5))


def similar(channel, metadata, args):
    stub = recommend_pb2_grpc.RecommendServiceStub(channel)
    request = recommend_pb2.SimilarItemsRequest(product_id=args.product, page_size=args.k,
                                                include_products=True)
    print_items(stub.SimilarItems(request, metadata=metadata, timeout=5))


def click(channel, metadata, args):
    stub = feedback_pb2_grpc.FeedbackServiceStub(channel)
    event = feedback_pb2.Event(
        event_id=args.event_id or str(uuid.uuid4()),  # a retry with the same id is ignored
        timestamp_ms=int(time.time() * 1000), user_id=args.user, session_id=args.session,
        click=feedback_pb2.Click(request_id=args.request_id, product_id=args.product,
                                 position=args.position))
    response = stub.LogEvents(feedback_pb2.LogEventsRequest(events=[event]), metadata=metadata,
                              timeout=5)
    print(f"accepted {response.accepted} duplicates {response.duplicates}")
    for error in response.errors:
        print(f"event {error.index}: {error.message}")
    return 1 if response.errors else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default="127.0.0.1:50051")
    parser.add_argument("--api-key", default=os.environ.get("SOUK_API_KEY", ""))
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("search")
    p.add_argument("query")
    p.add_argument("--user", default="")
    p.add_argument("--k", type=int, default=10)
    p.add_argument("--explain", action="store_true", help="print each score's explanation")
    p.set_defaults(run=search)
    p = commands.add_parser("recommend")
    p.add_argument("--user", default="")
    p.add_argument("--recent", nargs="*", default=[])
    p.add_argument("--k", type=int, default=10)
    p.set_defaults(run=recommend)
    p = commands.add_parser("similar")
    p.add_argument("product")
    p.add_argument("--k", type=int, default=10)
    p.set_defaults(run=similar)
    p = commands.add_parser("click")
    p.add_argument("--user", required=True)
    p.add_argument("--session", default="")
    p.add_argument("--request-id", required=True)
    p.add_argument("--product", required=True)
    p.add_argument("--position", type=int, default=1)
    p.add_argument("--event-id", default="")
    p.set_defaults(run=click)
    args = parser.parse_args()

    # Loopback without TLS, as the demo serves; production: grpc.secure_channel with
    # grpc.ssl_channel_credentials (docs/operations.md).
    metadata = [("x-api-key", args.api_key)] if args.api_key else []
    with grpc.insecure_channel(args.server) as channel:
        try:
            return args.run(channel, metadata, args) or 0
        except grpc.RpcError as e:
            print(f"{args.command}: {e.code().name}: {e.details()}", file=sys.stderr)
            return 1


if __name__ == "__main__":
    sys.exit(main())
