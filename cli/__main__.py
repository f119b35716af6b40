"""Command line for allocation workbooks and the versioned store.

* ``python -m cli validate FILE [--dataset NAME]``: every problem at once (sheet, cell, column, rule, value,
  what to do) and the totals against the communiqué's control totals; exit 1 when any
  problem is an error, 0 otherwise (warnings included), 2 on a usage error.
* ``python -m cli publish FILE --comment TEXT [--by NAME] [--accept-warnings]``: validate,
  then publish as the next version (refused on errors; warnings need ``--accept-warnings``);
  exit 1 when nothing was published.
* ``python -m cli history``: the published versions, newest first.
* ``python -m cli export --format {csv,csv-fr,xlsx,json,iati} [--filter KEY=VALUE ...]
  [--columns a,b,...] [--version N] [--lang en|fr] [--out FILE]``: the same exports as the
  explorer, of the latest (or a given) version, filtered; filter keys: window, scope,
  country, objective, domain, round, theme, partner, q, approved_from, approved_to, undated,
  min_eur, max_eur, as in a dashboard link (``domain.filters.PARAMS``; repeat a key for several values).
* ``python -m cli hash-password``: the hash of an analyst password, for the secrets file.
* ``python -m cli migrate``: bring the store's schema to the newest migration (the dashboard
  also does it when it starts); prints the revision before and after.

The store is the one the dashboard uses (``EUTF_DATABASE_URL``, ``DATABASE_URL``, the secrets
file's ``[database] url``; default ``var/eutf.sqlite``): see :func:`store.db.database_settings`.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from domain.dataset import DEFAULT_DATASET
from domain.fmt import plain_eur
from domain.i18n import _, ngettext
from downloads.tables import header
from etl import catalog
from validation.pipeline import dataset_of, load_path


def _validate(args: argparse.Namespace) -> int:
    status, _result = _check(args)
    return status


def _check(args: argparse.Namespace):
    """Read and validate ``args.file`` once and print the report; ``(exit status, LoadResult or None)``."""
    path = Path(args.file)
    if path.is_dir():
        print(f"{path}: is a folder, not a file", file=sys.stderr)
        return 2, None
    if not path.is_file():
        print(f"{path}: no such file", file=sys.stderr)
        return 2, None
    control = None  # the communiqué's control totals: those of the Mali dataset only (dashboard/cache.py too)
    if getattr(args, "dataset", None) and not catalog.profile(args.dataset).communique:
        control = catalog.load_control_totals().iloc[0:0]
    result = load_path(path, control=control)
    report = result.report
    shown = [f for f in report if args.verbose or f.severity != "info"]
    lang = args.lang
    if result.sheet is not None and result.header_row is not None:
        print(_("Read the sheet '{sheet}' (header on row {row}).", lang, sheet=result.sheet, row=result.header_row))
    elif result.header_row is not None:
        print(_("Read as a CSV file (header on row {row}).", lang, row=result.header_row))
    for finding in shown:
        value = "" if finding.value is None else " [" + _("value: {value}", lang, value=repr(finding.value)) + "]"
        column = f" ({finding.header or header(finding.column, lang)})" if finding.column else ""
        message, advice = finding.message_in(lang), finding.advice_in(lang)
        level = _(finding.severity, lang).upper()
        print(f"{level:9} {finding.rule:28} {finding.where(lang)}{column}: {message}{value}")
        print(f"{'':39}→ {advice}")
    if result.dataset is not None:
        table = result.dataset.allocations
        total = plain_eur(int(table["amount_eur"].sum()), lang)
        print("\n" + ngettext("{n} project, {total}.", "{n} projects, {total}.", len(table), lang, total=total))
        for line in result.reconciliation:
            gap = plain_eur(abs(line.gap_eur), lang)
            mark = (
                _("reconciles", lang)
                if line.reconciles
                else _("GAP {sign}{gap}", lang, sign="+" if line.gap_eur > 0 else "-", gap=gap)
            )
            found, control = plain_eur(line.found_eur, lang), plain_eur(line.control_eur, lang)
            dialogue, against = _("dialogue", lang), _("against", lang)
            print(f"  {dialogue} {line.dialogue_round} {line.total:9} {found:>17} {against} {control:>17}: {mark}")
    counts = ", ".join(
        (
            ngettext("{n} error", "{n} errors", len(report.errors), lang),
            ngettext("{n} warning", "{n} warnings", len(report.warnings), lang),
        )
    )
    print(f"\n{path.name}: {counts}.")
    return (1 if report.errors else 0), result


def getpass_user() -> str:
    """The login name of whoever runs the CLI."""
    import getpass

    try:
        return getpass.getuser()
    except OSError:
        return "cli"


def _analyst_credential() -> str | None:
    """The analyst role for the command line, checked like the app's password sign-in.

    The password hash and name come from where the app reads them (``[analyst]`` in
    ``.streamlit/secrets.toml``, or ``EUTF_ANALYST_PASSWORD_HASH`` / ``EUTF_ANALYST_NAME``);
    the password from ``EUTF_ANALYST_PASSWORD`` (scripts) or asked at the terminal.
    Returns the name recorded with the version, ``<analyst name> (command line, <login>)``,
    or None after saying why on stderr (no credential configured, no password, wrong password).
    """
    import getpass
    import time

    from store.auth import analyst_settings, secrets_file, verify_password

    try:
        settings = analyst_settings(secrets_file().get("analyst", {}))
    except ValueError as exc:
        print(f".streamlit/secrets.toml cannot be read ({exc}); nothing was published.", file=sys.stderr)
        return None
    stored = str(settings.get("password_hash", ""))
    if not stored:
        print(
            "Publishing needs the analyst credential, and none is configured: add [analyst] password_hash to "
            ".streamlit/secrets.toml (python -m cli hash-password) or set EUTF_ANALYST_PASSWORD_HASH. "
            "Nothing was published.",
            file=sys.stderr,
        )
        return None
    password = os.environ.get("EUTF_ANALYST_PASSWORD")
    if password is None:
        if not sys.stdin.isatty():
            print("Set EUTF_ANALYST_PASSWORD, or run at a terminal to type it. Nothing was published.", file=sys.stderr)
            return None
        password = getpass.getpass("Analyst password: ")
    if not verify_password(password, stored):
        time.sleep(1)  # slows guessing, as the sign-in page does
        print("Wrong analyst password. Nothing was published.", file=sys.stderr)
        return None
    return f"{settings.get('name', 'analyst')} (command line, {getpass_user()})"


def _store(dataset: str | None = None):
    """The store of a dataset (default: the Mali communiqué's), seeded like the app on first use."""
    from seed.public import seed_if_empty, seed_public_exports
    from store.db import make_engine
    from store.versions import Store

    store = Store(make_engine())
    seed_if_empty(store)
    seed_public_exports(store.engine)
    return store if dataset in (None, DEFAULT_DATASET) else Store(store.engine, dataset)


def _dataset_for(args: argparse.Namespace, result=None) -> str:
    """The dataset named by ``--dataset``, else a public export's own, else the Mali communiqué's."""
    from etl import catalog

    if getattr(args, "dataset", None):
        return args.dataset
    return catalog.dataset_for_format(getattr(result, "source_format", None)) or DEFAULT_DATASET


def _publish(args: argparse.Namespace) -> int:
    from store.versions import PublishConflict

    if not args.comment.strip() or len(args.comment) > 500:
        print("--comment: say why this version, in at most 500 characters.", file=sys.stderr)
        return 2
    status, result = _check(args)  # the file is read and validated once
    if status == 2:
        return 2
    if result.dataset is None:
        print("Nothing was published: fix the errors above first.", file=sys.stderr)
        return 1
    if result.report.warnings and not args.accept_warnings:
        print("Nothing was published: read the warnings above, then run again with --accept-warnings.", file=sys.stderr)
        return 1
    analyst = _analyst_credential()
    if analyst is None:
        return 2
    store = _store(_dataset_for(args, result))
    base = store.latest_number()
    try:
        info = store.publish(
            result.dataset.records,
            base=base,
            by=analyst,
            file_name=result.filename,
            file_sha256=result.sha256,
            comment=args.comment,
            n_warnings=len(result.report.warnings),
            transactions=result.transactions,  # an IATI file's, stored with the version
            sectors=result.sectors,  # likewise
        )
    except PublishConflict as conflict:
        print(str(conflict), file=sys.stderr)
        return 1
    print(
        f"Published version {info.number} of '{store.dataset}': {_projects(info.row_count)}, "
        f"{plain_eur(info.total_eur)}."
    )
    return 0


def _projects(n: int, width: int = 0) -> str:
    """``1 project`` / ``2 projects``, the count right-aligned in ``width`` characters."""
    return f"{n:>{width}} project" + ("" if n == 1 else "s")


def _datasets(_args: argparse.Namespace) -> int:
    from store.versions import Store, dataset_names

    engine = _store().engine
    for name in dataset_names(engine):
        latest = Store(engine, name).versions()[0]
        print(f"{name:45} v{latest.number:<4} {_projects(latest.row_count, 6):15} {plain_eur(latest.total_eur):>20}")
    return 0


def _history(args: argparse.Namespace) -> int:
    for v in _store(_dataset_for(args)).versions():
        restored = f" (restore of v{v.restored_from})" if v.restored_from else ""
        print(
            f"v{v.number:<4} {v.published_at:%Y-%m-%d %H:%M} UTC  {v.published_by:24.24}  "
            f"{_projects(v.row_count, 5):14} "
            f"{plain_eur(v.total_eur):>20}  {v.file_name}  sha256 {v.file_sha256[:12]}  {v.comment}{restored}"
        )
    return 0


def _filters(pairs: list[str]):
    """Parse ``KEY=VALUE`` filter options into :class:`domain.filters.Filters`, with the links' codec.

    Raises:
        ValueError: for an unknown key or a value the codec refuses (each one named).
    """
    from domain.filters import KEYS, Filters

    params: dict[str, list[str]] = {}
    for pair in pairs:
        key, _sep, value = pair.partition("=")
        key = key.strip()
        if key not in KEYS:
            raise ValueError(f"unknown filter {key!r}; known: {', '.join(KEYS)}")
        params.setdefault(key, []).append(value)
    filters, problems = Filters.from_params(params)
    if problems:
        raise ValueError("; ".join(p.in_words() for p in problems))
    return filters


def _export(args: argparse.Namespace) -> int:
    from analysis.filtering import apply, describe
    from domain.filters import PARAMS, Filters
    from downloads import tables
    from etl import results

    try:
        filters = _filters(args.filter)
    except ValueError as exc:
        print(f"--filter: {exc}", file=sys.stderr)
        return 2
    columns = [c.strip() for c in args.columns.split(",")] if args.columns else list(tables.TEMPLATE_COLUMNS)
    unknown = [c for c in columns if c not in tables.EXPORT_COLUMNS]
    if unknown:
        print(f"--columns: unknown {', '.join(unknown)}; known: {', '.join(tables.EXPORT_COLUMNS)}", file=sys.stderr)
        return 2
    store = _store(_dataset_for(args))
    if store.latest_number() is None:
        print(f"--dataset: there is no dataset named {store.dataset!r}; see `python -m cli datasets`.", file=sys.stderr)
        return 2
    number = args.version or store.latest_number()
    info = store.info(number)
    whole = dataset_of(store.table(number), sectors=store.sectors(number))  # sectors: the sector filter's
    # a value that matches no row is refused, as the app refuses it in a link (never "0 rows" in silence)
    unmatched = [
        f"{param.key}={value}"
        for param in PARAMS
        if param.many
        for value in getattr(filters, param.field)
        if apply(whole, Filters(**{param.field: (value,)})).allocations.empty
    ]
    if unmatched:
        print(f"--filter: {', '.join(unmatched)} matches nothing in {store.dataset!r}.", file=sys.stderr)
        return 2
    data = apply(whole, filters)
    lang = "fr" if args.format == "csv-fr" else args.lang
    rows = tables.with_contract_rows(data.allocations, data.contracts)  # contracts as rows of their own
    if len(data.contracts):
        columns = tables.columns_with_hierarchy(columns)
    frame = tables.export_frame(rows, columns, lang)
    if args.format in ("csv", "csv-fr"):
        payload = tables.to_csv(frame, tables.FRENCH_EXCEL if args.format == "csv-fr" else tables.STANDARD)
        extension = "csv"
    elif args.format == "json":
        payload, extension = tables.to_json(tables.export_frame(rows, columns, "en")), "json"
    else:
        about = tables.About(
            dataset=catalog.dataset_title(store.dataset, lang),
            version=f"v{info.number} · {info.published_at:%d/%m/%Y} · {info.file_name} · sha256 {info.file_sha256[:8]}",
            filters=tuple(describe(filters)),
            sources=(catalog.profile(store.dataset).source_in(lang).split(":", 1)[-1].strip(),),
            citation=f"EUTF allocations dashboard, {store.dataset}, version {info.number} ({info.file_sha256[:8]}).",
            lang=lang,
        )
        if args.format == "iati":  # decisions with their contracts, every field (downloads.iati)
            from downloads.iati import to_iati

            moved = store.transactions(number)  # the version's IATI transactions, if any
            payload = to_iati(
                data.records, about, fallback_date=info.published_at.date(), transactions=moved, sectors=data.sectors
            )
            extension = "xml"
        else:
            shipped = results.read_results()
            attached = results.attach(shipped.frame, data.records)
            rows_reported = results.rows_of(attached, list(data.allocations["reference"]))
            if len(rows_reported):
                line = _(results.EXPORT_SOURCE, lang, file=shipped.file_name, date=results.RESULTS_AS_OF)
                about = dataclasses.replace(about, sources=(*about.sources, line))
            payload = tables.to_xlsx(frame, about, rows_reported if len(rows_reported) else None)
            extension = "xlsx"
    suffix = {"csv-fr": "_excel-fr", "iati": "_iati"}.get(args.format, "")
    out = (
        Path(args.out)
        if args.out
        else Path(
            tables.file_name(
                "eutf-allocations" if store.dataset == DEFAULT_DATASET else catalog.dataset_slug(store.dataset),
                info.number,
                extension,
                suffix=suffix,
            )
        )
    )
    out.write_bytes(payload)
    total = int(data.allocations["amount_eur"].sum())
    contracts = f" ({len(data.contracts)} of them contracts, inside that total)" if len(data.contracts) else ""
    print(f"{out}: {len(frame)} rows{contracts}, {plain_eur(total)}, version {info.number}.")
    return 0


def _migrate(_args: argparse.Namespace) -> int:
    from sqlalchemy.engine import make_url

    from store.db import make_engine, schema_revision, upgrade

    engine = make_engine(migrate=False)
    before = schema_revision(engine)
    upgrade(engine)
    after = schema_revision(engine)
    where = make_url(engine.url).render_as_string(hide_password=True)
    print(f"{where}: schema {before or 'empty'} -> {after}" + (" (already the newest)" if before == after else ""))
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
    parser = argparse.ArgumentParser(prog="python -m cli", description="EUTF allocation workbooks")
    commands = parser.add_subparsers(dest="command", required=True)
    validate = commands.add_parser("validate", help="report every problem in an allocation file (.xlsx, .xlsm, .csv)")
    validate.add_argument("file")
    validate.add_argument("-v", "--verbose", action="store_true", help="also list notices (e.g. text read as amounts)")
    validate.add_argument("--lang", choices=["en", "fr"], default="en", help="language of the problems and advice")
    validate.add_argument(
        "--dataset", help="the dataset the file is for (the communiqué's control totals apply to the Mali one only)"
    )
    validate.set_defaults(run=_validate)
    publish = commands.add_parser("publish", help="validate a file and publish it as the next version")
    publish.add_argument("file")
    publish.add_argument("--comment", required=True, help="why this version (shown in the history)")
    publish.add_argument("--accept-warnings", action="store_true", help="publish even though there are warnings")
    publish.add_argument("-v", "--verbose", action="store_true", help=argparse.SUPPRESS)
    publish.add_argument("--lang", choices=["en", "fr"], default="en", help="language of the problems and advice")
    dataset_help = "the dataset's name (default: a public EUTF export's own dataset, else the Mali communiqué's)"
    publish.add_argument("--dataset", help=dataset_help)
    publish.set_defaults(run=_publish)
    history = commands.add_parser("history", help="list the published versions of a dataset")
    history.add_argument("--dataset", help="the dataset's name (default: the Mali communiqué's)")
    history.set_defaults(run=_history)
    commands.add_parser("datasets", help="list the datasets and their latest versions").set_defaults(run=_datasets)
    export = commands.add_parser("export", help="export the (filtered) allocation table")
    export.add_argument("--format", choices=["csv", "csv-fr", "xlsx", "json", "iati"], default="xlsx")
    export.add_argument("--filter", action="append", default=[], metavar="KEY=VALUE", help="e.g. country=ML")
    export.add_argument("--columns", help="comma-separated internal column names (default: the template's)")
    export.add_argument("--version", type=int, help="a published version (default: the latest)")
    export.add_argument("--lang", choices=["en", "fr"], default="en", help="headers and spellings")
    export.add_argument("--dataset", help="the dataset's name (default: the Mali communiqué's)")
    export.add_argument("--out", help="output file (default: a name that says what it holds)")
    export.set_defaults(run=_export)
    commands.add_parser("migrate", help="bring the store's schema to the newest migration").set_defaults(run=_migrate)
    commands.add_parser("hash-password", help="hash an analyst password for .streamlit/secrets.toml").set_defaults(
        run=_hash_password
    )
    args = parser.parse_args(argv)
    from sqlalchemy.exc import SQLAlchemyError

    from store.versions import StoreError

    try:
        return args.run(args)
    except (StoreError, SQLAlchemyError, OSError, ValueError) as exc:  # said in words, not a traceback
        print(f"{type(exc).__name__}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
