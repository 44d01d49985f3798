"""Search serving: REST latency under 50 connections, and the service's own time per search.

Builds the sandbox shop's demo catalogue in a throw-away SQLite database
(or the PostgreSQL database named by ``SANDBOX_DATABASE_URL``, whose shop
data it replaces), indexes it for search (the search encoder, one thread)
and writes the index snapshot. Then:

1. Serves it with gunicorn (``--workers`` processes, ``--threads`` each,
   ``DEBUG`` off) and loads it with wrk on loopback over 50 connections:
   ``GET ai/api/search/?q=...`` over the labelled queries of
   ``ecom_ai_evaluate search`` and, as a second load, the suggestions a
   shopper's typing asks for (every prefix of those queries), and as a
   baseline in the same run a plain Django REST framework view through the
   same stack. Each paced (every connection pauses a random time, ``--pace-ms``
   on average) and saturating (as fast as the server answers), as
   ``recommendation_serving.py`` does. Every process keeps the vectors of
   queries it has embedded: after the first minutes a repeated query costs
   no encoding, as for a shop's popular queries.
2. Times the search service in-process: each query once with its encoding
   (not cached) and once more with it cached.

    .venv/bin/python benchmarks/search_serving.py [--duration 20] [--var-dir DIR]

Needs wrk (``apt-get install wrk``) and gunicorn (``pip install -e '.[bench]'``);
without them it says so and measures only in-process. The last line is JSON.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import recommendation_serving as serving_bench

ROOT = serving_bench.ROOT
CONNECTIONS = serving_bench.CONNECTIONS


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=20, help="seconds per wrk load (default 20)")
    parser.add_argument("--pace-ms", type=int, default=500, help="average pause of each connection in the paced load (default 500)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn processes (default 2: each holds the encoder and the index)")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn process (default 4)")
    parser.add_argument("--cache", default="", help="a Redis URL for Django's cache (default: each process's memory)")
    parser.add_argument("--port", type=int, default=0, help="loopback port of the server (default: a free one)")
    parser.add_argument("--var-dir", default="", help="keep the SQLite shop in this folder and reuse it when it is already indexed")
    args = parser.parse_args()
    if args.duration < 1 or args.pace_ms < 0 or args.workers < 1 or args.threads < 1:
        parser.error("durations, workers and threads must be positive")
    return args


def build_shop(args: argparse.Namespace) -> dict:
    from django.core.cache import cache
    from django.core.management import call_command

    from ecom_ai_plugin.evaluation.search import QUERY_SET, load_queries
    from ecom_ai_plugin.models import SearchDocument
    from ecom_ai_plugin.services.search.documents import index_products
    from ecom_ai_plugin.services.search.index import build_snapshot

    call_command("migrate", verbosity=0)
    if not (args.var_dir and SearchDocument.objects.exists()):
        call_command("shop_demo_data", verbosity=0, flush=True, orders=0)
        cache.clear()
        started = time.perf_counter()
        summary = index_products()
        print(f"{summary.encoded} products encoded for search in {time.perf_counter() - started:.1f} s")
    else:
        print(f"reusing the shop indexed in {args.var_dir}")
    snapshot = build_snapshot()
    print(f"index snapshot of {snapshot['products']} products")
    queries = [item["query"] for item in load_queries(QUERY_SET)]
    searches = [(f"/ai/api/search/?{urllib.parse.urlencode({'q': q, 'limit': 24})}", None) for q in queries]
    prefixes = sorted({q[:n] for q in queries for n in range(2, len(q) + 1, 2)})
    rng = random.Random(7)
    rng.shuffle(searches)
    suggestions = [(f"/ai/api/search/suggest/?{urllib.parse.urlencode({'q': p})}", None) for p in prefixes]
    rng.shuffle(suggestions)
    print(f"request mix: {len(searches)} searches, {len(suggestions)} suggestion prefixes")
    return {"queries": queries, "searches": searches, "suggestions": suggestions}


def check_responses(port: int, requests: list[tuple[str, str | None]]) -> None:
    """Every request answers 200 with a JSON object (this also warms each process's query vectors)."""
    for path, _ in requests:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as response:
            body = json.loads(response.read())
        if "results" not in body and "products" not in body:
            raise SystemExit(f"{path} answered {body}")


def load_tests(args: argparse.Namespace, shop: dict) -> dict | None:
    import shutil

    missing = [tool for tool in ("wrk",) if shutil.which(tool) is None]
    if not Path(sys.executable).with_name("gunicorn").exists():
        missing.append("gunicorn")
    if missing:
        print(f"SKIPPED the REST load test: {' and '.join(missing)} not installed.")
        return None
    folder = Path(tempfile.mkdtemp(prefix="ecom-ai-wrk-"))
    port = args.port or serving_bench.free_port()
    server = serving_bench.start_server(args, port)
    try:
        for _ in range(args.workers * 2):  # each process embeds the queries once
            check_responses(port, shop["searches"])
        endpoints = {"search": shop["searches"], "suggest": shop["suggestions"], "baseline_drf": [("/bench/api-ping/", None)]}
        serving_bench.wrk(port, "warmup", shop["searches"], min(args.duration, 10), 0, folder)
        results: dict[str, dict] = {}
        for mode, pace in (("paced", args.pace_ms), ("saturated", 0)):
            for name, requests in endpoints.items():
                result = serving_bench.wrk(port, name, requests, args.duration, pace, folder)
                results[f"{name}_{mode}"] = result
                print(f"{mode:9} {name:13} p50 {result['p50_ms']:7.2f} ms  p90 {result['p90_ms']:7.2f} ms  p99 {result['p99_ms']:7.2f} ms  "
                      f"{result['requests_per_second']:8.1f} req/s  errors {result['errors']}")
        print(f"wrk: {results['search_paced']['command']}; gunicorn {serving_bench.gunicorn_version()}")
        return results
    finally:
        serving_bench.stop_server(server)


def service_times(shop: dict) -> dict:
    """Each query through the search service in this process: encoding not cached, then cached."""
    from ecom_ai_plugin.services.search import serving

    serving.search("warm up the encoder and the index")
    serving._cached_query_vector.cache_clear()
    cold, warm = [], []
    for bucket in (cold, warm):
        for query in shop["queries"]:
            started = time.perf_counter()
            serving.search(query)
            bucket.append((time.perf_counter() - started) * 1000)
    result = {name: {"p50_ms": round(statistics.median(values), 2), "p99_ms": round(sorted(values)[int(0.99 * (len(values) - 1))], 2)}
              for name, values in (("encoded", cold), ("cached", warm))}
    print(f"in-process search: p50 {result['encoded']['p50_ms']} ms, p99 {result['encoded']['p99_ms']} ms with the query encoded; "
          f"cached p50 {result['cached']['p50_ms']} ms, p99 {result['cached']['p99_ms']} ms ({len(cold)} queries)")
    return result


def main() -> None:
    args = parse_args()
    serving_bench.setup_django(argparse.Namespace(var_dir=args.var_dir, cache=args.cache))
    shop = build_shop(args)
    load = load_tests(args, shop)
    service = service_times(shop)
    load_average = os.getloadavg()
    print(f"load average at the end: {load_average[0]:.2f}, {os.cpu_count()} CPUs")
    from django.conf import settings

    print(json.dumps({
        "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
        "connections": CONNECTIONS,
        "gunicorn": {"workers": args.workers, "threads": args.threads, "worker_class": "gthread", "version": serving_bench.gunicorn_version()},
        "pace_ms": args.pace_ms,
        "load": load,
        "in_process": service,
        "load_average": round(load_average[0], 2),
    }))


if __name__ == "__main__":
    main()
