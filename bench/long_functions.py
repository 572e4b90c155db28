"""Counts the long places in a source tree (issue 19's targets): modules over ``--max-module``
lines (450) and functions over ``--max-function`` lines (60, a function's ``def`` line to its last
line, decorators left out, nested functions counted on their own), with the median function.

    python bench/long_functions.py [SRC] [--max-module 450] [--max-function 60] [--list]
"""

from __future__ import annotations

import argparse
import ast
import statistics
from pathlib import Path


def function_sizes(path: Path) -> list[tuple[str, int, int]]:
    """``(qualified name, first line, lines)`` of every function and method in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: list[tuple[str, int, int]] = []

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                name = f"{prefix}{child.name}"
                out.append((name, child.lineno, child.end_lineno - child.lineno + 1))
                visit(child, f"{name}.")
            elif isinstance(child, ast.ClassDef):
                visit(child, f"{prefix}{child.name}.")
            else:
                visit(child, prefix)

    visit(tree, "")
    return out


def measure(src: Path, max_module: int, max_function: int) -> dict:
    modules, functions = [], []
    for path in sorted(src.rglob("*.py")):
        rel = str(path.relative_to(src.parent))
        lines = len(path.read_text(encoding="utf-8").splitlines())
        modules.append((rel, lines))
        functions += [(f"{rel}:{line} {name}", size) for name, line, size in function_sizes(path)]
    sizes = [size for _, size in functions]
    return {
        "modules": len(modules),
        "functions": len(functions),
        "median_function_lines": statistics.median(sizes) if sizes else 0,
        "long_modules": sorted(((m, n) for m, n in modules if n > max_module), key=lambda x: -x[1]),
        "long_functions": sorted(
            ((f, n) for f, n in functions if n > max_function), key=lambda x: -x[1]
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("src", nargs="?", default="src/spinscope", type=Path)
    parser.add_argument("--max-module", type=int, default=450)
    parser.add_argument("--max-function", type=int, default=60)
    parser.add_argument("--list", action="store_true", help="name every long module and function")
    args = parser.parse_args()
    found = measure(args.src, args.max_module, args.max_function)
    print(f"{found['modules']} modules, {found['functions']} functions, median function "
          f"{found['median_function_lines']} lines")  # fmt: skip
    print(f"modules over {args.max_module} lines: {len(found['long_modules'])}")
    if args.list:
        for name, lines in found["long_modules"]:
            print(f"  {lines:5d}  {name}")
    print(f"functions over {args.max_function} lines: {len(found['long_functions'])}")
    if args.list:
        for name, lines in found["long_functions"]:
            print(f"  {lines:5d}  {name}")


if __name__ == "__main__":
    main()
