"""Imports point one way: model <- analysis <- evaluation/report <- cli, and model <- store <-
batch <- cli (ARCHITECTURE.md)."""

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "spinscope"

FORBIDDEN = {
    "model": (
        "analysis",
        "ingest",
        "report",
        "cli",
        "training",
        "evaluation",
        "corpora",
        "interchange",
    ),
    "ingest": ("analysis", "report", "cli", "training", "evaluation"),
    "analysis": ("report", "cli", "training", "evaluation", "ingest", "interchange"),
    "report": ("analysis", "cli", "training", "evaluation", "ingest"),
    "evaluation": ("cli", "training", "report"),
    "corpora": ("analysis", "cli", "training", "report", "evaluation"),
    # the store holds and counts; drawing its charts is the report's (report/charts.py)
    "store": ("analysis", "cli", "training", "evaluation", "ingest", "batch", "report", "api"),
    # file formats of annotation tools <-> plain records; the store gathers and keeps them
    "interchange": (
        "analysis",
        "api",
        "batch",
        "cli",
        "corpora",
        "evaluation",
        "report",
        "store",
        "training",
    ),
    "batch": ("cli", "training", "evaluation", "report"),
    # training reads corpora and scores with evaluation; it never reaches the interfaces
    "training": ("cli", "api", "batch", "report", "store", "ingest"),
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_layers_import_one_way():
    bad = []
    for layer, forbidden in FORBIDDEN.items():
        for path in (SRC / layer).rglob("*.py"):
            for module in imported_modules(path):
                parts = module.split(".")
                if parts[0] == "spinscope" and len(parts) > 1 and parts[1] in forbidden:
                    bad.append(f"{path.relative_to(SRC)} imports {module}")
    assert not bad, bad


def test_inference_never_imports_torch():
    for layer in ("analysis", "model", "ingest", "report", "evaluation", "cli"):
        for path in (SRC / layer).rglob("*.py"):
            mods = imported_modules(path)
            assert not {m for m in mods if m.split(".")[0] in ("torch", "transformers")}, path


def test_only_the_cli_has_entry_points():
    """`spinscope train TASK` is the one way into training (issue 19): no module outside cli/
    parses arguments or runs as ``python -m``."""
    bad = []
    for path in SRC.rglob("*.py"):
        if path.is_relative_to(SRC / "cli"):
            continue
        text = path.read_text(encoding="utf-8")
        if "argparse" in imported_modules(path) or '__name__ == "__main__"' in text:
            bad.append(str(path.relative_to(SRC)))
    assert not bad, bad
