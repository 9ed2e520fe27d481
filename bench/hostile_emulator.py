"""Hostile clients against a running `modelgate serve` (for bench/hostile.sh).

    python3 bench/hostile_emulator.py PORT PID KEY

Runs each case against the emulator on 127.0.0.1:PORT and prints, per case, a line
`name<TAB>ok|FAILED: why<TAB>seconds<TAB>peak RSS of PID so far (KiB, VmHWM)`. The cases
are the ones issue 9 reproduced: 300 stalled sockets while a real client asks, 16
unauthenticated 60 MiB bodies in parallel, 2,000 requests with a 200 KB fault header, a
`json_schema` asking for a gigabyte, invalid `retry-after` values, a wrong method; and 16
authenticated 60 MiB bodies at once, against the memory budget.

Exits 1 when a case failed. The last line it prints is `cases<TAB>N`, the number of cases
run, so that the caller can tell a complete run from one that died early.
"""

import json
import socket
import sys
import threading
import time

PORT, PID, KEY = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
CHAT = {"model": "aws/glm-5", "messages": [{"role": "user", "content": "hi"}]}


def peak_kib():
    with open(f"/proc/{PID}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def request(method, path, body=b"", headers=None, key=KEY, timeout=30):
    """One request on a new connection; returns (status, headers dict, body bytes)."""
    s = socket.create_connection(("127.0.0.1", PORT), timeout=timeout)
    head = f"{method} {path} HTTP/1.1\r\nhost: x\r\nconnection: close\r\n"
    if key:
        head += f"authorization: Bearer {key}\r\n"
    for k, v in (headers or {}).items():
        head += f"{k}: {v}\r\n"
    head += f"content-type: application/json\r\ncontent-length: {len(body)}\r\n\r\n"
    s.sendall(head.encode() + body)
    data = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    s.close()
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode(errors="replace").split("\r\n")
    status = int(lines[0].split()[1]) if lines and len(lines[0].split()) > 1 else 0
    hdrs = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        hdrs[k.strip().lower()] = v.strip()
    return status, hdrs, rest


def chat(**extra):
    return request("POST", "/v1/chat/completions", json.dumps(dict(CHAT, **extra)).encode(), **{})


def case_stalled_sockets():
    socks = []
    for _ in range(300):
        try:
            s = socket.create_connection(("127.0.0.1", PORT), timeout=5)
            s.sendall(b"POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\n")  # half a head
            socks.append(s)
        except OSError:
            break
    started = time.time()
    status, _, _ = request("POST", "/v1/chat/completions", json.dumps(CHAT).encode(), timeout=60)
    waited = time.time() - started
    for s in socks:
        s.close()
    if status != 200:
        return f"real client got {status}"
    # Silent connections give way to a client that asks (within limits' 1 s idle grace).
    return None if waited < 5 else f"real client waited {waited:.1f} s"


def case_unauthenticated_bodies():
    results = []

    def one():
        s = socket.create_connection(("127.0.0.1", PORT), timeout=30)
        size = 60 << 20
        s.sendall(
            f"POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n"
            f"content-length: {size}\r\n\r\n".encode()
        )
        # Send the body slowly; the answer must come before it is all sent.
        answer = b""
        s.settimeout(0.01)
        sent = 0
        chunk = b" " * 65536
        while sent < size:
            try:
                answer += s.recv(65536)
                if answer:
                    break
            except socket.timeout:
                pass
            try:
                s.sendall(chunk)
                sent += len(chunk)
            except OSError:
                break
        s.settimeout(5)
        try:
            while b"\r\n" not in answer:
                more = s.recv(65536)
                if not more:
                    break
                answer += more
        except OSError:
            pass
        s.close()
        results.append((answer.split(b"\r\n", 1)[0], sent))

    threads = [threading.Thread(target=one) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    bad = [r for r in results if b" 401 " not in r[0]]
    if bad:
        return f"not 401: {bad[:2]}"
    most = max(sent for _, sent in results)
    return None if most < (60 << 20) else f"a whole body was sent ({most} bytes)"


def case_authenticated_bodies():
    """16 authenticated 60 MiB bodies at once: the memory budget (256 MiB) lets some be
    read while the others wait for room, or get 503; none is lost, the process stays
    within its memory cap."""
    results = []

    def one():
        size = 60 << 20
        try:
            status, _, _ = request("POST", "/v1/chat/completions", b" " * size, timeout=120)
        except OSError as e:
            status = f"{type(e).__name__}: {e}"
        results.append(status)

    threads = [threading.Thread(target=one) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # A body of spaces is not JSON: 400 once read; 503 when the budget had no room.
    bad = [r for r in results if r not in (400, 503)]
    if bad or len(results) != 16:
        return f"not 400 or 503: {bad[:3]} ({len(results)} answers)"
    if 400 not in results:
        return "no body was read"
    return None


def case_fault_headers():
    big = "503; count=1; x=" + "y" * 200_000
    for _ in range(2000):
        status, _, _ = request(
            "POST", "/v1/chat/completions", json.dumps(CHAT).encode(), headers={"x-modelgate-fault": big}
        )
        if status not in (400, 431):
            return f"a 200 KB fault header got {status}"
    return None


def case_json_schema():
    schema = {"type": "object", "properties": {"a": {"type": "string", "minLength": 1_000_000_000}},
              "required": ["a"]}
    body = dict(CHAT, response_format={"type": "json_schema",
                                       "json_schema": {"name": "x", "schema": schema}})
    started = time.time()
    status, _, _ = request("POST", "/v1/chat/completions", json.dumps(body).encode())
    return None if status == 400 and time.time() - started < 5 else f"got {status}"


def case_retry_after():
    for value in ["-1", "NaN", "inf"]:
        status, hdrs, _ = request(
            "POST", "/v1/chat/completions", json.dumps(CHAT).encode(),
            headers={"x-modelgate-fault": f"429; retry-after={value}"},
        )
        if status != 400:
            return f"retry-after={value} got {status} (Retry-After: {hdrs.get('retry-after')})"
    return None


def case_wrong_method():
    status, _, body = request("GET", "/v1/chat/completions")
    try:
        shaped = "error" in json.loads(body)
    except ValueError:
        shaped = False
    return None if status == 405 and shaped else f"got {status} {body[:80]!r}"


CASES = [
    ("emulator: 300 stalled sockets, then a real client", case_stalled_sockets),
    ("emulator: 16 unauthenticated 60 MiB bodies", case_unauthenticated_bodies),
    ("emulator: 16 authenticated 60 MiB bodies", case_authenticated_bodies),
    ("emulator: 2,000 requests with a 200 KB fault header", case_fault_headers),
    ("emulator: json_schema minLength 10^9", case_json_schema),
    ("emulator: retry-after -1, NaN, inf", case_retry_after),
    ("emulator: wrong method (405 in the gateway shape)", case_wrong_method),
]

failed = False
for name, case in CASES:
    started = time.time()
    try:
        problem = case()
    except Exception as e:  # a crash of the case is a failure too
        problem = f"{type(e).__name__}: {e}"
    took = time.time() - started
    failed |= problem is not None
    print(f"{name}\t{'ok' if problem is None else 'FAILED: ' + problem}\t{took:.2f}\t{peak_kib()}", flush=True)
print(f"cases\t{len(CASES)}", flush=True)
sys.exit(1 if failed else 0)
