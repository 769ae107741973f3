"""`bench.png`: search latency by corpus size, Sunbae's indexes against bare exact FAISS."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def plot_series(sizes: list[dict[str, Any]]) -> dict[str, list[tuple[int, float]]]:
    """The plotted lines, (passages, p50 ms) each, from the bench's per-size rows."""
    series: dict[str, list[tuple[int, float]]] = {
        "Sunbae dense (FAISS index)": [],
        "Sunbae dense + BM25": [],
        "bare FAISS, exact (IndexFlatIP)": [],
    }
    for row in sorted(sizes, key=lambda r: r["passages"]):
        n = int(row["passages"])
        series["Sunbae dense (FAISS index)"].append((n, row["search_p50_ms"]))
        series["Sunbae dense + BM25"].append((n, row["search_p50_ms"] + row["lexical_p50_ms"]))
        if "flat_p50_ms" in row:
            series["bare FAISS, exact (IndexFlatIP)"].append((n, row["flat_p50_ms"]))
    return {name: points for name, points in series.items() if points}


def write_plot(sizes: list[dict[str, Any]], path: Path) -> bool:
    """Draw the latency lines to `path` (PNG); False when matplotlib is not installed."""
    try:
        import matplotlib

        matplotlib.use("Agg")  # no display: files only
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    figure, axes = plt.subplots(figsize=(7, 4.5))
    for name, points in plot_series(sizes).items():
        axes.plot([p[0] for p in points], [p[1] for p in points], marker="o", label=name)
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlabel("passages (above the real corpora: generated)")
    axes.set_ylabel("p50 ms per question, one thread, depth 100")
    axes.set_title("sunbae bench: search latency by corpus size")
    axes.grid(True, which="both", alpha=0.3)
    axes.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)
    return True


def main(argv: list[str]) -> int:
    """`python -m knowledge.bench.plot bench.json bench.png`: print the table of a saved
    `sunbae bench --json` run and draw its plot (as `make bench` does)."""
    import json

    from knowledge.bench.run import render

    result = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    print(render(result))
    target = Path(argv[1] if len(argv) > 1 else "bench.png")
    if write_plot(result["sizes"], target):
        print(f"\nplot: {target}")
    else:
        print("\nno plot: matplotlib is not installed (pip install -e '.[dev]')")
    return 0


if __name__ == "__main__":
    import sys

    raise SystemExit(main(sys.argv[1:]))
