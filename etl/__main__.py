"""Command line: ``python -m etl validate FILE``.

Prints every problem at once (sheet, cell, column, rule, value, what to do) and the
totals against the communiqué's control totals; exits 1 when any problem is an error,
0 otherwise (warnings included), 2 on a usage error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from etl.pipeline import load_path
from validation.reconcile import eur


def _validate(args: argparse.Namespace) -> int:
    path = Path(args.file)
    if not path.is_file():
        print(f"{path}: no such file", file=sys.stderr)
        return 2
    result = load_path(path)
    report = result.report
    shown = [f for f in report if args.verbose or f.severity != "info"]
    for finding in shown:
        value = "" if finding.value is None else f" [value: {finding.value!r}]"
        column = f" ({finding.header or finding.column})" if finding.column else ""
        print(f"{finding.severity.upper():7} {finding.rule:28} {finding.where()}{column}: {finding.message}{value}")
        print(f"{'':37}→ {finding.advice}")
    if result.dataset is not None:
        table = result.dataset.allocations
        print(f"\n{len(table)} projects, {eur(int(table['amount_eur'].sum()))}.")
        for line in result.reconciliation:
            mark = "reconciles" if line.reconciles else f"GAP {line.gap_eur:+,} EUR".replace(",", " ")
            print(
                f"  dialogue {line.dialogue_round} {line.total:9} {eur(line.found_eur):>17} "
                f"against {eur(line.control_eur):>17}: {mark}"
            )
    print(f"\n{path.name}: {len(report.errors)} error(s), {len(report.warnings)} warning(s).")
    return 1 if report.errors else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m etl", description="EUTF allocation workbooks")
    commands = parser.add_subparsers(dest="command", required=True)
    validate = commands.add_parser("validate", help="report every problem in an allocation file (.xlsx, .xlsm, .csv)")
    validate.add_argument("file")
    validate.add_argument("-v", "--verbose", action="store_true", help="also list notices (e.g. text read as amounts)")
    validate.set_defaults(run=_validate)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
