"""Speed, memory and accuracy, each figure against a baseline run alongside and its target.

    make bench                                   # everything; writes docs/benchmarks.md
    .venv/bin/python benchmarks/run.py --quick   # a smoke run: fewer sizes and repeats
    .venv/bin/python benchmarks/run.py --only startup,pipelines --output /tmp/b.md

Sections: pages (the real server over 1 week to 20 years of data), routes (the other routes
and daily commands over 1 week and 20 years of check-ins, sessions, shoes and questionnaires;
`benchmarks/routes.py --survey` times every one), load (check-in writes at 1,
10 and 50 clients on SQLite and PostgreSQL), startup (CLI and server), pipelines (the domain
code in-process), accuracy (the early-warning detectors) and video (the movement check on a
1080p clip against a bare loop of the pose model). docs/benchmarks.md says what each
ratio means. Nothing here asserts: a figure that misses its target is printed "holds: no".
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import report
from benchmarks.common import ROOT, Figure, Section

SECTIONS = ("pipelines", "accuracy", "startup", "pages", "routes", "load", "video")
DOCS = ROOT / "docs" / "benchmarks.md"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="a smoke run: fewer sizes, clients and repeats"
    )
    parser.add_argument(
        "--only", default=",".join(SECTIONS), help=f"comma-separated sections of {SECTIONS}"
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=None,
        help="where to write the Markdown report (default: docs/benchmarks.md for a full run "
        "of every section; a --quick or --only run writes nothing unless given this)",
    )
    args = parser.parse_args(argv)
    chosen = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = sorted(set(chosen) - set(SECTIONS))
    if unknown:
        parser.error(f"unknown section(s) {', '.join(unknown)}; choose from {', '.join(SECTIONS)}")
    args.sections = [s for s in SECTIONS if s in chosen]
    if args.output is None and not args.quick and args.sections == list(SECTIONS):
        args.output = DOCS
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    figures: list[Figure] = []
    details: list[tuple[str, str]] = []
    started = time.perf_counter()
    for name in args.sections:
        print(f"== {name}", flush=True)
        section_started = time.perf_counter()
        module = importlib.import_module(f"benchmarks.{name}")
        result: Section = module.run(args.quick)
        for figure in result.figures:
            print("  " + report.text_table([figure]).splitlines()[-1], flush=True)
        figures += result.figures
        details += result.details
        print(f"   ({time.perf_counter() - section_started:.0f} s)", flush=True)
    print()
    print(report.text_table(figures))
    print(f"\n{report.summary(figures)}; {time.perf_counter() - started:.0f} s in all")
    if args.output is not None:
        args.output.write_text(report.document(figures, report.command_line(), details))
        print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
