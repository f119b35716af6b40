"""Command line for allocation workbooks and the versioned store.

* ``python -m etl validate FILE``: every problem at once (sheet, cell, column, rule, value,
  what to do) and the totals against the communiqué's control totals; exit 1 when any
  problem is an error, 0 otherwise (warnings included), 2 on a usage error.
* ``python -m etl publish FILE --comment TEXT [--by NAME] [--accept-warnings]``: validate,
  then publish as the next version (refused on errors; warnings need ``--accept-warnings``);
  exit 1 when nothing was published.
* ``python -m etl history``: the published versions, newest first.
* ``python -m etl hash-password``: the hash of an analyst password, for the secrets file.

The store is the one the dashboard uses (``EUTF_DATABASE_URL``, default ``var/eutf.sqlite``).
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
    if path.is_dir():
        print(f"{path}: is a folder, not a file", file=sys.stderr)
        return 2
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


def getpass_user() -> str:
    """The login name of whoever runs the CLI."""
    import getpass

    try:
        return getpass.getuser()
    except OSError:
        return "cli"


def _store():
    from store.db import make_engine
    from store.versions import Store

    store = Store(make_engine())
    store.seed_if_empty()
    return store


def _publish(args: argparse.Namespace) -> int:
    from store.versions import PublishConflict

    status = _validate(args)
    if status == 2:
        return 2
    result = load_path(Path(args.file))
    if result.dataset is None:
        print("Nothing was published: fix the errors above first.", file=sys.stderr)
        return 1
    if result.report.warnings and not args.accept_warnings:
        print("Nothing was published: read the warnings above, then run again with --accept-warnings.", file=sys.stderr)
        return 1
    store = _store()
    base = store.latest_number()
    try:
        info = store.publish(
            result.dataset.allocations,
            base=base,
            by=args.by,
            file_name=result.filename,
            file_sha256=result.sha256,
            comment=args.comment,
            n_warnings=len(result.report.warnings),
        )
    except PublishConflict as conflict:
        print(str(conflict), file=sys.stderr)
        return 1
    print(f"Published version {info.number}: {info.row_count} projects, {eur(info.total_eur)}.")
    return 0


def _history(_args: argparse.Namespace) -> int:
    for v in _store().versions():
        restored = f" (restore of v{v.restored_from})" if v.restored_from else ""
        print(
            f"v{v.number:<4} {v.published_at:%Y-%m-%d %H:%M} UTC  {v.published_by:24.24}  {v.row_count:>5} projects  "
            f"{eur(v.total_eur):>20}  {v.file_name}  sha256 {v.file_sha256[:12]}  {v.comment}{restored}"
        )
    return 0


def _hash_password(_args: argparse.Namespace) -> int:
    import getpass

    from store.auth import hash_password

    password = getpass.getpass("Analyst password: ")
    if len(password) < 12:
        print("Use at least 12 characters.", file=sys.stderr)
        return 2
    if getpass.getpass("Again: ") != password:
        print("The two entries differ.", file=sys.stderr)
        return 2
    print(f'[analyst]\npassword_hash = "{hash_password(password)}"')
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m etl", description="EUTF allocation workbooks")
    commands = parser.add_subparsers(dest="command", required=True)
    validate = commands.add_parser("validate", help="report every problem in an allocation file (.xlsx, .xlsm, .csv)")
    validate.add_argument("file")
    validate.add_argument("-v", "--verbose", action="store_true", help="also list notices (e.g. text read as amounts)")
    validate.set_defaults(run=_validate)
    publish = commands.add_parser("publish", help="validate a file and publish it as the next version")
    publish.add_argument("file")
    publish.add_argument("--comment", required=True, help="why this version (shown in the history)")
    publish.add_argument("--by", default=getpass_user(), help="who publishes (default: your login name)")
    publish.add_argument("--accept-warnings", action="store_true", help="publish even though there are warnings")
    publish.add_argument("-v", "--verbose", action="store_true", help=argparse.SUPPRESS)
    publish.set_defaults(run=_publish)
    commands.add_parser("history", help="list the published versions").set_defaults(run=_history)
    commands.add_parser("hash-password", help="hash an analyst password for .streamlit/secrets.toml").set_defaults(
        run=_hash_password
    )
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
