#!/usr/bin/env python3
"""The helper of bench/linear-cost.sh (standard library only): writes each input at 1x and
10x, checks modelgate's JSON output against what it wrote, times the runs and prints the
table. Run it through the shell script, which builds the binary:

    bash bench/linear-cost.sh

Each input knows the findings it holds, as (code, pointer, line) with their counts; the run
must report exactly these, each with a line and a column inside the file. Timed runs write
their output to /dev/null; one run per file, before them, is read and checked.
"""

import argparse
import collections
import json
import os
import statistics
import subprocess
import sys
import time

MODEL = "vtrix-claude-3-haiku"  # max_tokens documented: 1 to 4096 (generated/MODELS.md)
# Models whose plain chat payload (messages, max_tokens) has no finding at all.
VALID_MODELS = ["vtrix-claude-3-haiku", "vtrix-gpt-5.3-codex", "vtrix-deepseek-v3.2",
                "vtrix-claude-sonnet-4.5", "vtrix-gemini-2.5-flash"]
YAML_CAP = 8 << 20  # inputs::MAX_YAML_BYTES: a larger YAML file is refused (exit 2)
JSON_CAP = 64 << 20  # inputs::MAX_PAYLOAD_BYTES


class Input:
    """A generated file and what its validation must report."""

    def __init__(self, path):
        self.path = path
        self.payloads = 0
        self.expected = collections.Counter()  # (code, pointer, line) -> count
        self.line_lengths = []  # characters per line of the file, for the column check
        self.size = 0

    @property
    def findings(self):
        return sum(self.expected.values())

    def write(self, text):
        with open(self.path, "w", encoding="utf-8") as f:
            f.write(text)
        self.line_lengths = [len(line) for line in text.split("\n")]
        self.size = os.path.getsize(self.path)


def batch_jsonl(path, lines):
    """(a) An OpenAI Batch API input file: half the lines valid (five models), half with
    one finding each: max_tokens out of range, an unknown parameter, a wrong type, a role
    not in the enum, a method other than POST, a custom_id given on the line before."""
    inp = Input(path)
    out = []
    for n in range(1, lines + 1):
        custom_id = "req-%08d" % n
        method = "POST"
        model = VALID_MODELS[(n // 2) % len(VALID_MODELS)] if n % 2 == 0 else MODEL
        role = "user"
        extra = ', "max_tokens": 100'
        kind = n % 10
        finding = None
        if kind == 1:
            extra = ', "max_tokens": 99999'
            finding = ("out_of_range", "/body/max_tokens")
        elif kind == 3:
            extra = ', "max_token": 100'
            finding = ("unknown_parameter", "/body/max_token")
        elif kind == 5:
            extra = ', "max_tokens": 100, "temperature": "hot"'
            finding = ("wrong_type", "/body/temperature")
        elif kind == 7:
            role = "robot"
            finding = ("not_in_enum", "/body/messages/0/role")
        elif kind == 9 and (n // 10) % 2 == 0:
            method = "GET"
            finding = ("batch_method", "/method")
        elif kind == 9:
            custom_id = "req-%08d" % (n - 1)
            finding = ("duplicate_custom_id", "/custom_id")
        out.append(
            '{"custom_id": "%s", "method": "%s", "url": "/v1/chat/completions", "body": '
            '{"model": "%s", "messages": [{"role": "%s", "content": "hi"}]%s}}'
            % (custom_id, method, model, role, extra))
        if finding:
            inp.expected[finding + (n,)] += 1
    inp.payloads = lines
    inp.write("\n".join(out) + "\n")
    return inp


def yaml_documents(path, documents):
    """(b) One YAML file of DOCUMENTS chat payloads separated by `---`: half valid, half
    with one finding each (max_tokens out of range, an unknown parameter, a wrong type, a
    role not in the enum, a key given twice)."""
    inp = Input(path)
    out = []
    line = 1  # the line the next document starts on
    for n in range(1, documents + 1):
        if n > 1:
            out.append("---\n")
            line += 1
        role, tail, finding = "user", "max_tokens: 100\n", None
        kind = n % 10
        if kind == 1:
            tail = "max_tokens: 99999\n"
            finding = ("out_of_range", "/max_tokens", line + 4)
        elif kind == 3:
            tail = "max_token: 100\n"
            finding = ("unknown_parameter", "/max_token", line + 4)
        elif kind == 5:
            tail = "max_tokens: 100\ntemperature: hot\n"
            finding = ("wrong_type", "/temperature", line + 5)
        elif kind == 7:
            role = "robot"
            finding = ("not_in_enum", "/messages/0/role", line + 2)
        elif kind == 9:
            tail = "max_tokens: 99999\nmax_tokens: 100\n"
            finding = ("duplicate_key", "/max_tokens", line + 5)
        model = VALID_MODELS[(n // 2) % len(VALID_MODELS)] if n % 2 == 0 else MODEL
        doc = ("model: %s\nmessages:\n  - role: %s\n    content: \"hello %08d\"\n%s"
               % (model, role, n, tail))
        out.append(doc)
        line += doc.count("\n")
        if finding:
            inp.expected[finding] += 1
    inp.payloads = documents
    inp.write("".join(out))
    if inp.size > YAML_CAP:
        sys.exit("error: %s is %d bytes, over modelgate's YAML cap of 8 MiB: fewer documents"
                 % (path, inp.size))
    return inp


def repeated_key_json(path, members):
    """(c) ONE JSON payload with MEMBERS unknown parameters (x000000, x000001, ...: each an
    unknown_parameter error) and the first of them given again at the end (a duplicate_key
    warning; the error is then on the last copy): MEMBERS + 1 findings, all on line 1."""
    inp = Input(path)
    parts = ['{"model": "%s", "messages": [{"role": "user", "content": "hi"}]' % MODEL]
    parts += [', "x%07d": 1' % i for i in range(members)]
    parts.append(', "x%07d": 2}\n' % 0)
    for i in range(members):
        inp.expected[("unknown_parameter", "/x%07d" % i, 1)] += 1
    inp.expected[("duplicate_key", "/x%07d" % 0, 1)] += 1
    inp.payloads = 1
    inp.write("".join(parts))
    if inp.size > JSON_CAP:
        sys.exit("error: %s is over modelgate's JSON cap of 64 MiB: fewer members" % path)
    return inp


def reports(stream):
    """The reports of `--format json`: one array, a report per line (`[`, then
    `{...},` lines, then `]`)."""
    first = stream.readline()
    if first.strip() != b"[":
        # Not the line-per-report layout: read the whole array.
        yield from json.loads(first + stream.read())
        return
    for raw in stream:
        raw = raw.strip()
        if raw == b"]":
            return
        yield json.loads(raw.rstrip(b","))


def check(binary, inp):
    """One run with its output read: the exact findings, each with a line and a column.
    Returns a list of problems (empty when all is right)."""
    problems = []
    proc = subprocess.Popen([binary, "validate", "--format", "json", inp.path],
                            stdout=subprocess.PIPE)
    seen = collections.Counter()
    payloads = unplaced = misplaced = 0
    for report in reports(proc.stdout):
        payloads += 1
        for finding in report["errors"] + report["warnings"]:
            line, column = finding.get("line"), finding.get("column")
            if not isinstance(line, int) or not isinstance(column, int):
                unplaced += 1
                if unplaced <= 3:
                    problems.append("finding without a line and column: %s"
                                    % json.dumps(finding)[:300])
                continue
            if not (1 <= line <= len(inp.line_lengths)
                    and 1 <= column <= inp.line_lengths[line - 1] + 1):
                misplaced += 1
                if misplaced <= 3:
                    problems.append("finding outside the file: %s" % json.dumps(finding)[:300])
            seen[(finding["code"], finding["pointer"], line)] += 1
    status = proc.wait()
    if status != 1:
        problems.append("exit status %d, expected 1 (some payloads have errors)" % status)
    if unplaced:
        problems.append("%d findings of %d without a line and column"
                        % (unplaced, sum(seen.values()) + unplaced))
    if misplaced:
        problems.append("%d findings placed outside the file" % misplaced)
    if payloads != inp.payloads:
        problems.append("%d payloads reported, %d written" % (payloads, inp.payloads))
    total = sum(seen.values()) + unplaced
    if total != inp.findings:
        problems.append("%d findings reported, %d written" % (total, inp.findings))
    if not unplaced and seen != inp.expected:
        missing = list((inp.expected - seen).items())[:3]
        extra = list((seen - inp.expected).items())[:3]
        problems.append("findings differ from the ones written: missing %s, unexpected %s"
                        % (missing, extra))
    return problems, total


def wall(binary, path):
    start = time.perf_counter()
    status = subprocess.run([binary, "validate", "--format", "json", path],
                            stdout=subprocess.DEVNULL).returncode
    seconds = time.perf_counter() - start
    if status != 1:
        sys.exit("error: modelgate exited with %d on %s" % (status, path))
    return seconds


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--factor", type=int, default=10)
    ap.add_argument("--limit", type=float, default=11.0)
    ap.add_argument("--batch-lines", type=int, default=60_000)
    ap.add_argument("--yaml-documents", type=int, default=7_500)
    ap.add_argument("--json-members", type=int, default=50_000)
    ap.add_argument("--inputs", default="batch,docs,repeated",
                    help="which inputs, comma-separated: batch, docs, repeated")
    args = ap.parse_args()
    if args.json_members < 50_000:
        sys.exit("error: the JSON input needs at least 50,000 findings")

    cases = [
        ("batch JSONL", "batch", ".jsonl", batch_jsonl, args.batch_lines),
        ("YAML documents", "docs", ".yaml", yaml_documents, args.yaml_documents),
        ("one JSON, repeated key", "repeated", ".json", repeated_key_json, args.json_members),
    ]
    chosen = args.inputs.split(",")
    if not set(chosen) <= {stem for _, stem, *_ in cases}:
        sys.exit("error: --inputs takes batch, docs and repeated")
    cases = [case for case in cases if case[1] in chosen]
    # Process start-up and one small payload, for scale.
    tiny = os.path.join(args.work, "tiny.json")
    with open(tiny, "w") as f:
        f.write('{"model": "%s", "messages": [{"role": "user", "content": "hi"}], '
                '"max_tokens": 99999}\n' % MODEL)
    startup = statistics.median(wall(args.bin, tiny) for _ in range(max(args.runs, 5)))
    rows, failed = [], False
    for label, stem, ext, make, count in cases:
        sizes = {}
        for scale in (1, args.factor):
            path = os.path.join(args.work, "%s-%dx%s" % (stem, scale, ext))
            sizes[scale] = make(path, count * scale)
        problems = []
        for scale, inp in sizes.items():
            found, total = check(args.bin, inp)
            problems += ["%dx: %s" % (scale, p) for p in found]
        if label.startswith("one JSON") and sizes[1].findings < 50_000:
            problems.append("1x: only %d findings" % sizes[1].findings)
        times = {1: [], args.factor: []}
        for _ in range(args.runs):  # interleaved, so that the machine's drift hits both
            for scale, inp in sizes.items():
                times[scale].append(wall(args.bin, inp.path))
            # Far from linear (3 times the limit) after a round: the verdict is clear, and
            # repeating the 10x run could take many minutes.
            if times[args.factor][-1] > 3 * args.limit * times[1][-1]:
                break
        t1, t10 = statistics.median(times[1]), statistics.median(times[args.factor])
        ratio = t10 / t1
        verdict = "ok" if ratio <= args.limit else "FAIL"
        if problems:
            verdict = "FAIL (output)" if verdict == "ok" else verdict + ", output"
            for p in problems:
                print("error: %s: %s" % (label, p), file=sys.stderr)
        failed |= verdict != "ok"
        rows.append((label, sizes, times, t1, t10, ratio, verdict))
        for inp in sizes.values():
            os.remove(inp.path)

    f = args.factor
    print("| Input | Bytes (1x / %dx) | Payloads | Findings | 1x | %dx | Ratio | |" % (f, f))
    print("|---|---|---|---|---|---|---|---|")
    for label, sizes, times, t1, t10, ratio, verdict in rows:
        a, b = sizes[1], sizes[f]
        print("| %s | %s / %s | %s / %s | %s / %s | %.3f s | %.3f s | %.2f | %s |" % (
            label, "{:,}".format(a.size), "{:,}".format(b.size),
            "{:,}".format(a.payloads), "{:,}".format(b.payloads),
            "{:,}".format(a.findings), "{:,}".format(b.findings), t1, t10, ratio, verdict))
    print()
    print("start-up (one small payload): %.3f s; runs (s), 1x and 10x interleaved, up to %d"
          " each; the table shows medians:" % (startup, args.runs))
    for label, sizes, times, *_ in rows:
        for scale in (1, f):
            print("  %-24s %3dx: %s" % (label, scale, " ".join("%.3f" % t for t in times[scale])))
    if failed:
        print("FAIL: a ratio above %g, or output that is not what was written" % args.limit)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
