"""The served model under load: throughput, latency percentiles, errors and memory.

`mlflow models serve` (uvicorn workers) serves the registered model on a loopback port;
a second process sends a bounded load (a fixed number of requests per concurrency level,
each level capped in time) and, in between, malformed and oversized payloads, which must
get a 4xx while the server stays up. Only 127.0.0.1 is ever addressed.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path

HOST = "127.0.0.1"
BAD_PAYLOADS: dict[str, bytes] = {
    "broken_json": b'{"dataframe_split": {"columns": ["text"], "data": [["',
    "no_text_column": json.dumps({"dataframe_split": {"columns": ["body"], "data": [["x"]]}}).encode(),
    "not_an_object": b"[1, 2, 3]",
}


def _post(url: str, body: bytes, timeout: float) -> tuple[int, float]:
    started = time.perf_counter()
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        error.read()
        status = error.code
    except OSError:
        status = 0  # refused, reset or timed out: an error of the server
    return status, time.perf_counter() - started


def payload(texts: Sequence[str]) -> bytes:
    return json.dumps(
        {"dataframe_split": {"columns": ["text"], "data": [[t] for t in texts]}}, ensure_ascii=False
    ).encode()


def load_level(url: str, bodies: Sequence[bytes], concurrency: int, cap_seconds: float) -> dict:
    """Send ``bodies`` with ``concurrency`` threads, stopping new requests after ``cap_seconds``."""
    from concurrent.futures import ThreadPoolExecutor

    deadline = time.perf_counter() + cap_seconds
    latencies: list[float] = []
    statuses: dict[int, int] = {}

    def one(body: bytes) -> tuple[int, float] | None:
        if time.perf_counter() > deadline:
            return None
        return _post(url, body, timeout=60)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        for result in pool.map(one, bodies):
            if result is None:
                continue
            status, seconds = result
            statuses[status] = statuses.get(status, 0) + 1
            latencies.append(seconds)
    wall = time.perf_counter() - started
    ordered = sorted(latencies)

    def percentile(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 1) if ordered else 0.0

    sent = len(latencies)
    return {
        "concurrency": concurrency,
        "requests": sent,
        "capped": sent < len(bodies),
        "seconds": round(wall, 2),
        "requests_per_second": round(sent / wall, 1) if wall else 0.0,
        "p50_ms": percentile(0.50),
        "p95_ms": percentile(0.95),
        "p99_ms": percentile(0.99),
        "errors": sum(n for status, n in statuses.items() if status != 200),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
    }


def _tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (uvicorn workers), from /proc."""
    total = 0
    pids = [pid]
    while pids:
        current = pids.pop()
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        pids += [int(child) for child in children]
    return round(total / 1024, 1)


def _wait_ready(url: str, server: subprocess.Popen, seconds: float = 300) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"mlflow models serve exited with {server.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/ping", timeout=2):
                return
        except OSError:
            time.sleep(1)
    raise RuntimeError("the model server did not answer /ping in time")


def _measure(
    url: str, texts: list[str], levels: Sequence[int], requests: int, cap: float, oversized: int
) -> dict:
    """Runs in the load process: the levels, then bad payloads, then a last good request."""
    bodies = [payload([texts[i % len(texts)]]) for i in range(requests)]
    load_level(url, bodies[:20], 1, 60)  # warm-up: every worker has loaded the model
    levels_out = [load_level(url, bodies, concurrency, cap) for concurrency in levels]
    bad = {name: _post(url, body, 30)[0] for name, body in BAD_PAYLOADS.items()}
    bad["oversized"] = _post(url, payload(["ก" * oversized]), 120)[0]
    # Bad payloads in the middle of a load: the good requests must still succeed.
    good = bodies[:200]
    mixed = [
        body for pair in zip(good, [BAD_PAYLOADS["broken_json"]] * len(good), strict=True) for body in pair
    ]
    under_load = load_level(url, mixed, 8, cap)
    alive = _post(url, bodies[0], 30)[0]
    return {"levels": levels_out, "bad_payloads": bad, "mixed_under_load": under_load, "alive_after": alive}


def run_serve(
    model_uri: str,
    tracking_uri: str,
    texts: list[str],
    *,
    workers: int = 2,
    levels: Sequence[int] = (1, 8, 32),
    requests: int = 2000,
    cap_seconds: float = 120,
    oversized_chars: int = 2_000_000,
    port: int = 5123,
) -> dict:
    """Serve ``model_uri`` with ``workers`` workers and measure it from a second process."""
    from thaievents.bench.speed import _in_fresh_process

    env = {**os.environ, "MLFLOW_TRACKING_URI": tracking_uri}
    if workers > 1:  # one BLAS thread per worker: N workers share N cores instead of fighting (README)
        env.update(OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    command = [
        "mlflow", "models", "serve", "-m", model_uri, "--env-manager", "local",
        "-h", HOST, "-p", str(port), "--workers", str(workers),
    ]  # fmt: skip
    server = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    url = f"http://{HOST}:{port}"
    try:
        _wait_ready(url, server)
        idle_mb = _tree_rss_mb(server.pid)
        args = (f"{url}/invocations", texts, list(levels), requests, cap_seconds, oversized_chars)
        measured = _in_fresh_process(_measure, *args)  # the load comes from a second process
        measured["server"] = {
            "workers": workers,
            "rss_mb_idle": idle_mb,
            "rss_mb_after_load": _tree_rss_mb(server.pid),
            "still_running": server.poll() is None,
        }
        measured["request"] = {
            "paragraphs_per_request": 1,
            "requests_per_level": requests,
            "cap_seconds": cap_seconds,
        }
        return measured
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
