"""Markdown's worst known inputs at the longest text a field accepts: processor seconds per render.

    python -m bench.markdown_worst [--runs 3]

The suite checks that render time grows linearly with the length (tests/content/test_markdown.py, a ratio
that holds on a busy machine); this prints the absolute figures, which need a quiet one. Each input is a
pattern repeated up to MAX_MARKDOWN characters; the figure is the fastest of --runs renders (process CPU
time, so other work on the machine counts as little as it can). The target: every one under a second.
"""

import argparse
import time

from lms.content.markdown import MAX_MARKDOWN, render_markdown
from tests.content.test_markdown import PATHOLOGICAL, lookup


def seconds(text: str, runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.process_time()
        render_markdown(text, lookup)
        best = min(best, time.process_time() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    figures = []
    for pattern in PATHOLOGICAL:
        text = (pattern * (MAX_MARKDOWN // len(pattern) + 1))[:MAX_MARKDOWN]
        figures.append((seconds(text, args.runs), pattern))
    for value, pattern in sorted(figures, reverse=True):
        print(f"{value:7.3f} s  {pattern!r}")
    worst = max(figures)
    print(f"worst {worst[0]:.3f} s ({worst[1]!r}); {'under' if worst[0] < 1 else 'OVER'} a second")


if __name__ == "__main__":
    main()
