"""Recommendation serving: REST latency under 50 connections, and what a widget adds to a page render.

Builds the sandbox shop in a throw-away SQLite database (or the PostgreSQL
database named by ``SANDBOX_DATABASE_URL``, whose shop data it replaces): demo
catalogue, purchases, embeddings, and the recommendation lists of a short
training run. Then:

1. Serves it with gunicorn (``--workers`` processes, ``--threads`` each,
   ``DEBUG`` off) and loads it with wrk on loopback over 50 connections:
   the four widgets' REST endpoints, mixed (a quarter each: similar and
   bought together for random products, trending for random categories,
   for you for random signed-in customers), and as baselines in the same
   run two trivial endpoints through the same stack (a plain Django view,
   and a Django REST framework view). Three loads each: paced (each
   connection pauses a random time between requests, ``--pace-ms`` on
   average, so requests arrive as independent shoppers' do and latency is
   the server's, not a queue's), lockstep (every connection pauses exactly
   ``--pace-ms``, so all 50 requests arrive in the same instant: the worst
   burst of that rate) and saturating (as fast as the server answers).
2. Serves each widget's requests and the baselines in-process (no HTTP,
   no queue): median wall and CPU time per request. CPU time is what the
   other processes on a busy machine cannot inflate.
3. Renders product pages in-process with and without their two widgets
   (``bought_together`` and ``similar``): the median difference is what
   the widgets add to a render.

    .venv/bin/python benchmarks/recommendation_serving.py [--duration 20] [--cache redis://127.0.0.1:6379/14]

Needs wrk (``apt-get install wrk``) and gunicorn (``pip install -e '.[bench]'``);
without them it says so and measures only the page render. The last line is JSON.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONNECTIONS = 50


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=20, help="seconds per wrk load (default 20)")
    parser.add_argument("--pace-ms", type=int, default=500, help="pause of each connection between requests in the paced load (default 500: about 100 requests a second in all)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn processes (default 4)")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn process (default 4)")
    parser.add_argument("--cache", default="", help="a Redis URL for Django's cache (default: each process's memory)")
    parser.add_argument("--train-seconds", type=float, default=60.0, help="training budget of the sequential model (default 60)")
    parser.add_argument("--renders", type=int, default=3, help="renders of each product page per variant (default 3)")
    parser.add_argument("--var-dir", default="", help="keep the SQLite shop in this folder and reuse it when it is already built")
    args = parser.parse_args()
    if args.duration < 1 or args.pace_ms < 0 or args.workers < 1 or args.threads < 1 or args.renders < 1:
        parser.error("durations, workers, threads and renders must be positive")
    return args


def setup_django(args: argparse.Namespace) -> None:
    if not os.environ.get("SANDBOX_DATABASE_URL"):
        os.environ["SANDBOX_VAR_DIR"] = args.var_dir or tempfile.mkdtemp(prefix="ecom-ai-serving-")
    os.environ["SANDBOX_DEBUG"] = "0"
    if args.cache:
        os.environ["SANDBOX_CACHE_URL"] = args.cache
    os.environ["DJANGO_SETTINGS_MODULE"] = "serving_site"
    os.environ["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "sandbox"), str(ROOT / "benchmarks")])
    sys.path[:0] = [str(ROOT), str(ROOT / "sandbox"), str(ROOT / "benchmarks")]
    import django

    django.setup()


def build_shop(args: argparse.Namespace) -> dict:
    """Demo data, purchases, embeddings and lists; what the load needs to address it."""
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command

    from ecom_ai_plugin.services.embeddings import embed_products
    from ecom_ai_plugin.services.recommendations.interactions import record_order_info
    from ecom_ai_plugin.hosts import get_host
    from ecom_ai_plugin.services.recommendations.training import train_recommender

    database = settings.DATABASES["default"]
    print(f"database: {database['ENGINE'].rsplit('.', 1)[-1]} {database['NAME']}; cache: {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}")
    call_command("migrate", verbosity=0)
    from ecom_ai_plugin.models import RecommendationList

    if args.var_dir and RecommendationList.objects.filter(widget="for_you").exists():
        print(f"reusing the shop built in {args.var_dir}")
        return sample_requests()
    call_command("shop_demo_data", verbosity=0, flush=True)
    cache.clear()
    started = time.perf_counter()
    orders = 0
    for order in get_host().iter_orders():
        orders += record_order_info(order.key, order) > 0
    print(f"purchases of {orders} orders recorded in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    embedded = embed_products()
    print(f"{embedded.embedded} products embedded in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    outcome = train_recommender(max_seconds=args.train_seconds, device="cpu")
    print(f"lists {outcome.lists} computed in {time.perf_counter() - started:.1f} s (training included)")
    return sample_requests()


def sample_requests(count: int = 400, seed: int = 7) -> dict:
    """A shuffled mix of widget requests, a quarter per widget, and the sessions of signed-in customers."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    from ecom_ai_plugin.models import RecommendationList
    from shop.models import Category, Product

    rng = random.Random(seed)
    products = list(Product.objects.filter(is_published=True).values_list("pk", flat=True))
    categories = list(Category.objects.values_list("name", flat=True)) + [None]
    with_lists = list(RecommendationList.objects.filter(widget="for_you").exclude(subject_key__startswith="session:").values_list("subject_key", flat=True)[:200])
    cookies = []
    for user in get_user_model().objects.filter(pk__in=[int(key) for key in with_lists if key.isdigit()]):
        session = SessionStore()
        session.update({SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend", HASH_SESSION_KEY: user.get_session_auth_hash()})
        session.create()
        cookies.append(f"sessionid={session.session_key}")
    requests = []
    for n in range(count):
        widget = ("similar", "bought_together", "trending", "for_you")[n % 4]
        if widget in ("similar", "bought_together"):
            requests.append((f"/ai/api/recommendations/{widget}/?product={rng.choice(products)}&limit=8", None))
        elif widget == "trending":
            category = rng.choice(categories)
            query = f"?category={urllib.request.quote(category)}&limit=8" if category else "?limit=8"
            requests.append((f"/ai/api/recommendations/trending/{query}", None))
        else:
            requests.append(("/ai/api/recommendations/for_you/?limit=8", rng.choice(cookies)))
    rng.shuffle(requests)
    print(f"request mix: {count} requests over {len(products)} products, {len(categories) - 1} categories, {len(cookies)} signed-in customers")
    return {"requests": requests, "products": products}


# -- serving and loading ------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def gunicorn_version() -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("gunicorn")
    except PackageNotFoundError:
        return None


def start_server(args: argparse.Namespace, port: int) -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [
        str(gunicorn), "sandbox.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
        "--worker-class", "gthread", "--threads", str(args.threads), "--keep-alive", "30", "--backlog", "512",
        "--log-level", "warning", "--chdir", str(ROOT / "sandbox"),
    ]
    server = subprocess.Popen(command, env=os.environ.copy(), start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/ping/", timeout=2).read()
            return server
        except OSError:
            if server.poll() is not None:
                raise SystemExit("gunicorn exited before serving; see its output above")
            time.sleep(0.3)
    stop_server(server)
    raise SystemExit("gunicorn did not answer within 60 s")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def check_responses(port: int, requests: list[tuple[str, str | None]]) -> None:
    """Every request of the mix answers 200 with a filled list (this also warms the caches)."""
    for path, cookie in requests:
        request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Cookie": cookie} if cookie else {})
        with urllib.request.urlopen(request, timeout=10) as response:
            body = json.loads(response.read())
        if not body["results"] or not all(item["explanation"] for item in body["results"]):
            raise SystemExit(f"{path} answered without explained items: {body}")


def lua_script(requests: list[tuple[str, str | None]], pace_ms: int, lockstep: bool = False) -> str:
    rows = ",\n".join(
        "{%s, %s}" % (json.dumps(path), json.dumps(cookie) if cookie else "nil") for path, cookie in requests
    )
    # A random pause (uniform, its mean the pace) keeps the connections from
    # marching in step; a fixed one sends all 50 requests in the same instant.
    pause = str(pace_ms) if lockstep else f"math.random(0, {2 * pace_ms})"
    delay = f"function delay() return {pause} end\n" if pace_ms else ""
    return f"""local requests = {{
{rows}
}}
local i = 0
function init(args)
  math.randomseed(os.time() + tonumber(tostring({{}}):sub(8), 16) % 100000)
  i = math.random(#requests)
end
function request()
  i = i % #requests + 1
  local r = requests[i]
  local headers = {{}}
  if r[2] then headers["Cookie"] = r[2] end
  return wrk.format("GET", r[1], headers)
end
{delay}"""


def wrk(port: int, name: str, requests: list[tuple[str, str | None]], duration: int, pace_ms: int, folder: Path, lockstep: bool = False) -> dict:
    script = folder / f"{name}-{pace_ms}{'-lockstep' if lockstep else ''}.lua"
    script.write_text(lua_script(requests, pace_ms, lockstep))
    command = ["wrk", "-t", "2", "-c", str(CONNECTIONS), "-d", f"{duration}s", "--latency", "--timeout", "5s", "-s", str(script), f"http://127.0.0.1:{port}"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    result = parse_wrk(output)
    result["command"] = " ".join(command)
    return result


def to_ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def parse_wrk(output: str) -> dict:
    percentiles = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", output, re.MULTILINE))
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    total = re.search(r"(\d+) requests in", output)
    return {
        "p50_ms": to_ms(percentiles["50"]),
        "p90_ms": to_ms(percentiles["90"]),
        "p99_ms": to_ms(percentiles["99"]),
        "requests_per_second": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "requests": int(total.group(1)),
        "errors": (sum(int(n) for n in socket_errors.groups()) if socket_errors else 0) + (int(non_2xx.group(1)) if non_2xx else 0),
    }


def load_tests(args: argparse.Namespace, shop: dict) -> dict | None:
    missing = [tool for tool in ("wrk",) if shutil.which(tool) is None]
    if not Path(sys.executable).with_name("gunicorn").exists():
        missing.append("gunicorn")
    if missing:
        print(
            f"SKIPPED the REST load test: {' and '.join(missing)} not installed. "
            "Install wrk with 'sudo apt-get install wrk' and gunicorn with \"pip install -e '.[bench]'\", then run this again."
        )
        return None
    folder = Path(tempfile.mkdtemp(prefix="ecom-ai-wrk-"))
    port = free_port()
    server = start_server(args, port)
    try:
        check_responses(port, shop["requests"])
        endpoints = {
            "recommendations": shop["requests"],
            "baseline_django": [("/bench/ping/", None)],
            "baseline_drf": [("/bench/api-ping/", None)],
        }
        wrk(port, "warmup", shop["requests"], min(args.duration, 10), 0, folder)
        results: dict[str, dict] = {}
        for mode, pace, lockstep in (("paced", args.pace_ms, False), ("lockstep", args.pace_ms, True), ("saturated", 0, False)):
            for name, requests in endpoints.items():
                result = wrk(port, name, requests, args.duration, pace, folder, lockstep)
                results[f"{name}_{mode}"] = result
                print(
                    f"{mode:9} {name:16} p50 {result['p50_ms']:7.2f} ms  p90 {result['p90_ms']:7.2f} ms  p99 {result['p99_ms']:7.2f} ms  "
                    f"{result['requests_per_second']:8.1f} req/s  errors {result['errors']}"
                )
        print(f"wrk: {results['recommendations_paced']['command']}; gunicorn {gunicorn_version()}")
        return results
    finally:
        stop_server(server)


# -- page render ---------------------------------------------------------------------------


def timed_gets(client, requests: list[tuple[str, str | None]]) -> tuple[list[float], list[float]]:
    """Wall and CPU milliseconds of each GET, in this process (CPU time is what other load cannot inflate)."""
    wall, cpu = [], []
    for path, cookie in requests:
        if cookie:
            client.cookies["sessionid"] = cookie.split("=", 1)[1]
        else:
            client.cookies.pop("sessionid", None)
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(path)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
    return wall, cpu


def service_times(shop: dict) -> dict:
    """Median cost of one request of each widget and of the baselines, served in-process (no HTTP, no queue)."""
    from django.test import Client

    client = Client()
    timed_gets(client, shop["requests"])  # warm
    groups = {widget: [r for r in shop["requests"] if f"/{widget}/" in r[0]] for widget in ("for_you", "bought_together", "similar", "trending")}
    groups["baseline_django"] = [("/bench/ping/", None)] * 100
    groups["baseline_drf"] = [("/bench/api-ping/", None)] * 100
    result = {}
    for name, requests in groups.items():
        wall, cpu = [], []
        for _ in range(3):
            w, c = timed_gets(client, requests)
            wall += w
            cpu += c
        result[name] = {"wall_ms": round(statistics.median(wall), 3), "cpu_ms": round(statistics.median(cpu), 3), "requests": len(wall)}
        print(f"in-process {name:16} median {result[name]['wall_ms']:6.3f} ms wall, {result[name]['cpu_ms']:6.3f} ms CPU ({len(wall)} requests)")
    return result


def render_times(args: argparse.Namespace, shop: dict) -> dict:
    """Median product page render with its widgets and without (same view, a copy of its template without the tags).

    The two variants render in alternating blocks over the same pages, each
    block under one template configuration (switching it recompiles templates).
    """
    from django.conf import settings
    from django.test import Client, override_settings

    from shop.models import Product

    source = (ROOT / "sandbox" / "shop" / "templates" / "shop" / "product.html").read_text()
    stripped = "\n".join(line for line in source.splitlines() if "{% recommendations " not in line)
    if stripped == source:
        raise SystemExit("the sandbox product page has no recommendation widgets to measure")
    folder = Path(tempfile.mkdtemp(prefix="ecom-ai-page-"))
    (folder / "shop").mkdir()
    (folder / "shop" / "product.html").write_text(stripped)
    without = [{**settings.TEMPLATES[0], "DIRS": [str(folder)]}]
    widgets = source.count("{% recommendations ")

    pages = [(product.get_absolute_url(), None) for product in Product.objects.filter(pk__in=shop["products"][:200])]
    client = Client()
    timed_gets(client, pages)  # warm every cache the page uses, and record each view once
    timings: dict[str, list[float]] = {"with_wall": [], "with_cpu": [], "without_wall": [], "without_cpu": []}
    for _ in range(args.renders):
        wall, cpu = timed_gets(client, pages)
        timings["with_wall"] += wall
        timings["with_cpu"] += cpu
        with override_settings(TEMPLATES=without):
            timed_gets(client, pages[:5])  # compile the copy
            wall, cpu = timed_gets(client, pages)
        timings["without_wall"] += wall
        timings["without_cpu"] += cpu
        timed_gets(client, pages[:5])  # compile the original again
    page = client.get(pages[0][0]).content.decode()
    assert page.count("data-ecom-ai-recommendations") == widgets, "the widgets did not render"
    median = {name: statistics.median(values) for name, values in timings.items()}
    result = {
        "pages": len(pages),
        "renders_per_variant": len(timings["with_wall"]),
        "widgets_on_page": widgets,
        "page_with_widgets_median_ms": round(median["with_wall"], 2),
        "page_without_widgets_median_ms": round(median["without_wall"], 2),
        "added_per_widget_median_ms": round((median["with_wall"] - median["without_wall"]) / widgets, 2),
        "page_with_widgets_median_cpu_ms": round(median["with_cpu"], 2),
        "page_without_widgets_median_cpu_ms": round(median["without_cpu"], 2),
        "added_per_widget_median_cpu_ms": round((median["with_cpu"] - median["without_cpu"]) / widgets, 2),
    }
    print(
        f"product page: {median['with_wall']:.2f} ms with its {widgets} widgets, {median['without_wall']:.2f} ms without "
        f"(median of {len(timings['with_wall'])} renders each): {result['added_per_widget_median_ms']:.2f} ms per widget; "
        f"CPU {median['with_cpu']:.2f} vs {median['without_cpu']:.2f} ms: {result['added_per_widget_median_cpu_ms']:.2f} ms per widget"
    )
    return result


def main() -> None:
    args = parse_args()
    setup_django(args)
    shop = build_shop(args)
    load = load_tests(args, shop)
    service = service_times(shop)
    page = render_times(args, shop)
    load_average = os.getloadavg()
    print(f"load average at the end: {load_average[0]:.2f}, {os.cpu_count()} CPUs")
    from django.conf import settings

    print(json.dumps({
        "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
        "cache": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1],
        "connections": CONNECTIONS,
        "gunicorn": {"workers": args.workers, "threads": args.threads, "worker_class": "gthread", "version": gunicorn_version()},
        "pace_ms": args.pace_ms,
        "load": load,
        "in_process": service,
        "page_render": page,
        "load_average": round(load_average[0], 2),
    }))


if __name__ == "__main__":
    main()
