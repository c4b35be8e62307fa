"""Drive the running web chat from N concurrent gradio_client clients on loopback; report the figures.

    python bench/load.py --clients 20 --seconds 60            # starts its own server on a free port
    python bench/load.py --url http://127.0.0.1:7860 ...      # or measures a running one (no memory figure)

Bounded in count and time; stops by itself. Questions come from the dev set (or --questions FILE).
By default two load runs: clients asking back to back (saturation: on 2 cores, 20 such clients
queue), and clients pausing 5 s between questions, as people reading answers do.
"""

from __future__ import annotations

import argparse
import json
import random
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV_SET = ROOT.parent / "shared" / "evals" / "dev.jsonl"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def start_server(index: Path) -> tuple[subprocess.Popen, str]:
    """The web chat on a free loopback port, once it answers HTTP."""
    return start_web_process(lambda port: [sys.executable, "-m", "chat", "--port", str(port), "--index", str(index),
                                           "--feedback", "/dev/null"])


def start_web_process(command_for_port) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen(command_for_port(port), cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(240):
        try:
            urllib.request.urlopen(url, timeout=2)
            return process, url
        except OSError:
            time.sleep(0.5)
    process.kill()
    raise SystemExit(f"{' '.join(command_for_port(port)[1:3])} did not start within 120 s")


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def drive(url: str, questions: list[str], clients: int, seconds: float, max_requests: int,
          think: float = 0.0) -> dict:
    from gradio_client import Client

    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    deadline = time.time() + seconds

    def client_loop(number: int) -> None:
        client = Client(url, verbose=False)
        rng = random.Random(number)
        time.sleep(rng.uniform(0, think))  # people do not all press Enter at the same instant
        i = number
        while time.time() < deadline:
            with lock:
                if len(latencies) + len(errors) >= max_requests:
                    return
            started = time.perf_counter()
            try:
                answer = client.predict(questions[i % len(questions)], api_name="/ask")
                ok = "error" not in answer
            except Exception as exc:  # counted, not raised: the figure is the error count
                ok, answer = False, {"error": repr(exc)}
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                (latencies.append(elapsed) if ok else errors.append(str(answer.get("error"))[:200]))
            i += clients
            time.sleep(rng.uniform(0.5, 1.5) * think)  # a person reads the answer before asking again

    threads = [threading.Thread(target=client_loop, args=(n,)) for n in range(clients)]
    wall = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - wall
    return {"clients": clients, "think_s": think, "seconds": round(wall, 1), "served": len(latencies), "errors": len(errors),
            "error_samples": errors[:3], "p50_ms": round(percentile(latencies, 0.5), 1),
            "p95_ms": round(percentile(latencies, 0.95), 1),
            "throughput_per_s": round(len(latencies) / wall, 2) if wall else 0.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="a running web chat; default: start one on a free loopback port")
    parser.add_argument("--index", type=Path, default=ROOT / "index")
    parser.add_argument("--questions", type=Path, default=DEV_SET)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--max-requests", type=int, default=20_000)
    parser.add_argument("--think", type=float, nargs="*", default=[0.0, 5.0],
                        help="seconds each client waits between questions; one load run per value")
    args = parser.parse_args()
    if not args.url.startswith(("http://127.", "http://localhost", "http://[::1]")) if args.url else False:
        raise SystemExit("--url must be a loopback address")
    questions = [json.loads(line)["question"] for line in args.questions.read_text().splitlines() if line.strip()]
    process, url = (None, args.url) if args.url else start_server(args.index)
    try:
        single = drive(url, questions, clients=1, seconds=min(20.0, args.seconds), max_requests=60)
        runs = [drive(url, questions, clients=args.clients, seconds=args.seconds, max_requests=args.max_requests,
                      think=think) for think in args.think]
        for run in runs:
            run["p95_ratio_to_single_user"] = round(run["p95_ms"] / single["p95_ms"], 2)
        report = {"single_user": single, "load": runs,
                  "server_peak_rss_mb": round(peak_rss_mb(process.pid), 1) if process else None}
        print(json.dumps(report, indent=2))
    finally:
        if process:
            process.terminate()
            process.wait(timeout=30)


if __name__ == "__main__":
    main()
