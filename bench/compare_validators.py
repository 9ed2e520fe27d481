"""Runs modelgate, ajv-cli and check-jsonschema on the same corpus, interleaved, and
reports median wall times, ratios and verdict agreement. Called by
bench/compare-validators.sh, which builds the tools and the corpus first."""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time


def split_corpus(work):
    """One file per payload, named by its line number in corpus.jsonl."""
    names = []
    with open(os.path.join(work, "corpus.jsonl"), encoding="utf-8") as f:
        for n, line in enumerate(f, start=1):
            name = f"{n:06d}.json"
            with open(os.path.join(work, "corpus", name), "w", encoding="utf-8") as out:
                out.write(line)
            names.append(name)
    return names


def modelgate_verdicts(stdout, names, jsonl):
    """`validate --format json`: one object per payload, with path, line and valid."""
    verdicts = {}
    for item in json.loads(stdout):
        if jsonl:
            key = names[item["line"] - 1]
        else:
            key = os.path.basename(item["path"])
        verdicts[key] = item["valid"]
    return verdicts


def ajv_verdicts(output):
    """ajv-cli prints `FILE valid` or `FILE invalid` per file."""
    verdicts = {}
    for line in output.splitlines():
        parts = line.rsplit(" ", 1)
        if len(parts) == 2 and parts[1] in ("valid", "invalid"):
            verdicts[os.path.basename(parts[0])] = parts[1] == "valid"
    return verdicts


def check_jsonschema_verdicts(stdout, names):
    """check-jsonschema -o JSON lists the files with errors; the rest passed."""
    report = json.loads(stdout)
    failed = {os.path.basename(e["filename"]) for e in report.get("errors", [])}
    failed |= {os.path.basename(e["filename"]) for e in report.get("parse_errors", [])}
    return {name: name not in failed for name in names}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--work", required=True)
    parser.add_argument("--tools", required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--modelgate", default="target/release/modelgate")
    args = parser.parse_args()
    work, tools = args.work, args.tools

    names = split_corpus(work)
    files = [os.path.join(work, "corpus", n) for n in names]
    schema = os.path.join(work, "any-model.json")
    modelgate = args.modelgate
    runs = {
        "modelgate validate, JSON Lines file": (
            [modelgate, "validate", "--format", "json", os.path.join(work, "corpus.jsonl")],
            lambda out, err: modelgate_verdicts(out, names, jsonl=True),
        ),
        "modelgate validate, directory": (
            [modelgate, "validate", "--format", "json", os.path.join(work, "corpus")],
            lambda out, err: modelgate_verdicts(out, names, jsonl=False),
        ),
        "ajv-cli, directory": (
            [
                os.path.join(tools, "node/node_modules/.bin/ajv"),
                "validate",
                "--spec=draft2020",
                "--errors=no",
                "-s",
                schema,
                "-d",
                os.path.join(work, "corpus", "*.json"),
            ],
            lambda out, err: ajv_verdicts(out + "\n" + err),
        ),
        "check-jsonschema, directory": (
            [os.path.join(tools, "venv/bin/check-jsonschema"), "--schemafile", schema, "-o", "JSON"]
            + files,
            lambda out, err: check_jsonschema_verdicts(out, names),
        ),
    }

    times = {label: [] for label in runs}
    verdicts = {}
    for _ in range(args.rounds):
        for label, (command, parse) in runs.items():
            started = time.perf_counter()
            done = subprocess.run(command, capture_output=True, text=True)
            times[label].append(time.perf_counter() - started)
            if done.returncode not in (0, 1):
                sys.exit(f"{label} failed with exit code {done.returncode}:\n{done.stderr[-2000:]}")
            got = parse(done.stdout, done.stderr)
            if len(got) != len(names):
                sys.exit(f"{label} gave {len(got)} verdicts for {len(names)} payloads")
            verdicts[label] = got

    valid = sum(verdicts["modelgate validate, JSON Lines file"].values())
    print(f"corpus: {len(names)} payloads ({valid} valid, {len(names) - valid} invalid), "
          f"{os.path.getsize(os.path.join(work, 'corpus.jsonl')) / 1e6:.1f} MB; "
          f"{args.rounds} interleaved rounds, median wall time per whole run")
    baseline = statistics.median(times["modelgate validate, JSON Lines file"])
    for label, samples in times.items():
        median = statistics.median(samples)
        print(f"  {label:38} {median * 1000:9.1f} ms   {median / baseline:6.1f}x the JSONL run   "
              f"(runs: {', '.join(f'{s * 1000:.0f}' for s in samples)} ms)")
    mg_dir = statistics.median(times["modelgate validate, directory"])
    for other in ("ajv-cli, directory", "check-jsonschema, directory"):
        ratio = statistics.median(times[other]) / mg_dir
        print(f"  directory vs directory: modelgate is {ratio:.1f}x faster than {other.split(',')[0]}")

    reference = verdicts["modelgate validate, JSON Lines file"]
    disagreements = 0
    for label, got in verdicts.items():
        differing = [n for n in names if got[n] != reference[n]]
        disagreements += len(differing)
        print(f"  verdicts of {label}: {len(names) - len(differing)} of {len(names)} the same as modelgate's")
        for n in differing[:10]:
            print(f"    {n}: modelgate {reference[n]}, {label} {got[n]}")
    sys.exit(1 if disagreements else 0)


if __name__ == "__main__":
    main()
