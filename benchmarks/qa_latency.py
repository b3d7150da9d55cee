"""Answering latency: load the knowledge base, then time retrieval and answer composition.

Runs every question of the three evaluation files (tuning, held-out, out of
scope) through retrieval for a number of rounds and prints p50/p99 in ms.
Round 1 runs with cold caches (spelling corrections and stems are memoised),
and is also reported on its own. Target (DESIGN.md): retrieval p50 < 2 ms.

    .venv/bin/python benchmarks/qa_latency.py [--rounds 20]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import yaml
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from knowledge import KnowledgeBase
from knowledge.answers import compose

ROOT = Path(__file__).resolve().parents[1]
QUESTION_FILES = ("questions_tuning.yaml", "questions_heldout.yaml", "questions_out_of_scope.yaml")
TARGET_P50_MS = 2.0


def load_questions() -> list[str]:
    questions: list[str] = []
    for name in QUESTION_FILES:
        data = yaml.safe_load((ROOT / "tests" / "knowledge" / name).read_text(encoding="utf-8"))
        questions.extend(str(item["q"]) for item in data["questions"])
    return questions


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    console = Console()

    started = time.perf_counter()
    kb = KnowledgeBase.load()
    load_ms = (time.perf_counter() - started) * 1000
    sections = sum(len(topic.sections) for topic in kb.topics())
    console.print(f"loaded {len(kb.topics())} topics, {sections} sections; load + index build: {load_ms:.1f} ms")

    questions = load_questions()
    topics = {topic.id: topic for topic in kb.topics()}
    by_id = {section.id: section for section in kb.sections()}
    retrieval: list[float] = []
    composition: list[float] = []
    cold: list[float] = []
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task(f"{len(questions)} questions x {args.rounds} rounds", total=args.rounds)
        for round_number in range(args.rounds):
            for question in questions:
                t0 = time.perf_counter()
                result = kb.explain(question)  # retrieval alone; composition is timed next
                t1 = time.perf_counter()
                compose(question, result, by_id, topics)
                t2 = time.perf_counter()
                retrieval.append((t1 - t0) * 1000)
                composition.append((t2 - t1) * 1000)
                if round_number == 0:
                    cold.append((t1 - t0) * 1000)
            progress.advance(task)

    table = Table(title=f"answering latency ({len(retrieval)} runs)")
    for column in ("stage", "p50 ms", "p99 ms", "mean ms"):
        table.add_column(column, justify="right" if column != "stage" else "left")
    for name, values in (
        ("retrieval", retrieval),
        ("retrieval, round 1 (cold caches)", cold),
        ("answer composition", composition),
    ):
        table.add_row(
            name, f"{percentile(values, 0.5):.3f}", f"{percentile(values, 0.99):.3f}", f"{statistics.fmean(values):.3f}"
        )
    console.print(table)
    p50 = percentile(retrieval, 0.5)
    verdict = "meets" if p50 < TARGET_P50_MS else "MISSES"
    console.print(f"retrieval p50 {p50:.3f} ms {verdict} the target of < {TARGET_P50_MS:.0f} ms")


if __name__ == "__main__":
    main()
