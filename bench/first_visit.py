"""Bytes a phone receives on a first visit to /services: the page, its stylesheet and its scripts.

The real site is served by gunicorn (production settings). The page is asked
for as Chromium asks, then every stylesheet and script it links, and every
script those import, each once (a first visit: nothing cached). Counted are the
bytes on the wire: the status line, the headers and the body as sent. Each is
measured three ways in the same run: asking for Brotli and gzip (as a browser
does over HTTPS), gzip alone (as it does over plain HTTP), and nothing (the
baseline: what was sent before pages and files were compressed).

    make bench            # or: .venv/bin/python bench/first_visit.py
"""

import http.client
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.requests_per_second import production_env, start_gunicorn  # noqa: E402

GOAL = 40_000
ASKING = {
    "Brotli or gzip (HTTPS)": "gzip, deflate, br, zstd",
    "gzip (plain HTTP)": "gzip, deflate",
    "nothing (baseline)": None,
}
LINKED = re.compile(r'<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src)="([^"]+)"')
IMPORTED = re.compile(r"""(?:import|from)\s*['"](\./[^'"]+)['"]""")


def fetch(port, path, encoding):
    """(bytes on the wire, body as sent, Content-Encoding)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"User-Agent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/130.0 Mobile Safari/537.36"}
    if encoding:
        headers["Accept-Encoding"] = encoding
    else:
        headers["Accept-Encoding"] = "identity"
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    body = response.read()
    if response.status != 200:
        raise SystemExit(f"{path} answered {response.status}")
    head = f"HTTP/1.1 {response.status} {response.reason}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in response.getheaders()) + "\r\n"
    connection.close()
    return len(head.encode()) + len(body), body, response.getheader("Content-Encoding")


def decoded(body, encoding):
    import gzip

    import brotli

    return {"br": brotli.decompress, "gzip": gzip.decompress}.get(encoding, lambda b: b)(body)


def first_visit(port, encoding):
    """[(path, bytes on the wire, encoding)] for the page and everything it loads."""
    sent, queue, seen = [], ["/services"], set()
    while queue:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        size, body, used = fetch(port, path, encoding)
        sent.append((path, size, used or "none"))
        text = decoded(body, used).decode("utf-8", "replace")
        if path == "/services":
            queue += LINKED.findall(text)
        elif path.split("?")[0].endswith((".js", ".mjs")):
            folder = path.split("?")[0].rsplit("/", 1)[0]
            queue += [f"{folder}/{name[2:]}" for name in IMPORTED.findall(text)]
    return sent


def main():
    with tempfile.TemporaryDirectory() as tmp:
        env = production_env(Path(tmp))
        site, port = start_gunicorn("wsgi:app", env, 1)
        try:
            fetch(port, "/services", None)  # the first request builds the page cache's copy
            results = {label: first_visit(port, encoding) for label, encoding in ASKING.items()}
        finally:
            site.terminate()
            site.wait()
    baseline = sum(size for _, size, _ in results["nothing (baseline)"])
    print("\nA first visit to /services (the page, its stylesheet and scripts, nothing cached); bytes on the wire")
    for label, sent in results.items():
        total = sum(size for _, size, _ in sent)
        print(f"  asking for {label:<24} {total:>9,} bytes in {len(sent)} responses, {total / baseline:.2f} of the baseline")
        for path, size, used in sent:
            print(f"      {size:>9,}  {used:<5} {path}")
    best = sum(size for _, size, _ in results["Brotli or gzip (HTTPS)"])
    gzip_only = sum(size for _, size, _ in results["gzip (plain HTTP)"])
    print(f"Goal: at most {GOAL:,} bytes as a browser asks: {best:,} (Brotli), {gzip_only:,} (gzip alone)"
          f" – {'met' if max(best, gzip_only) <= GOAL else 'NOT MET'}.")


if __name__ == "__main__":
    main()
