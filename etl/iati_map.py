"""IATI activities mapped onto the allocation table, through the same checks as any upload.

Each ``<iati-activity>`` read by :mod:`etl.iati` becomes one row of the allocation table
(``docs/TEMPLATE.md``), indexed by the XML line of the activity:

| IATI | allocation column |
|---|---|
| ``iati-identifier`` (the EUTF reference it ends with, e.g. ``XI-IATI-EC_INTPA-T05-EUTF-SAH-ML-01``) | reference |
| ``title`` narrative in the chosen language (else the activity's language, else the first) | title |
| ``participating-org`` with role 4 (implementing), names joined with ``; `` | implementing_partner |
| ``recipient-country`` codes (ISO 3166-1 alpha-2; percentages kept on the activity) | countries |
| ``activity-scope`` (1-3 regional, 4-8 national), else one country = national | scope |
| the sum of the ``budget`` values in EUR (a revised budget replaces the original of its period) | amount_eur |
| ``related-activity`` type 1 (parent) | record_type ``contract``, parent_reference |

The window comes from the reference (``T05-EUTF-SAH-…`` -> SAH). What IATI has no element for
(strategic objectives, Valletta domains, theme, approval date, amount basis, a typed dialogue
round, source) is read from the dashboard's own ``<eutf:allocation>`` element when the file
is one of its exports (:mod:`downloads.iati`), and otherwise reported as missing like the
public exports' gaps. Values in another currency are never added to euros: each is reported.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from domain.dataset import SECTOR_COLUMNS  # the columns of sectors_frame, in order
from domain.findings import Finding
from domain.i18n import N_, Money
from etl.iati import Activity, IatiRead, iso_date
from etl.iati import Money as IatiValue
from etl.layouts import SourceFormat
from etl.normalize import Normalized, _with_dtypes
from etl.parse import MAX_AMOUNT_EUR

#: An EUTF reference at the end of an IATI identifier (after the publisher's prefix).
_EUTF_REFERENCE = re.compile(r"T\d{2}-EUTF-(?:SAH|HOA|NOA|REG)-[A-Z]{2,4}-\d{1,3}(?:-\d{1,3})?$", re.IGNORECASE)
_WINDOW = re.compile(r"^T\d{2}-EUTF-(SAH|HOA|NOA|REG)-", re.IGNORECASE)

#: The IATI file as a source: the template rules it cannot meet are warnings, as for the public exports.
IATI_FORMAT = SourceFormat(
    key="iati",
    label=N_("IATI activity file (IATI 2.01-2.03 XML)"),
    signature=frozenset(),
    columns={
        "iati-identifier": "reference",
        "title/narrative": "title",
        "participating-org[@role=4]": "implementing_partner",
        "recipient-country/@code": "countries",
        "activity-scope/@code": "scope",
        "budget/value (EUR)": "amount_eur",
        "related-activity[@type=1]/@ref": "parent_reference",
    },
    ignored={
        "description, sector, recipient-region, location, transaction, document-link, result": N_(
            "Read and checked, but not part of the allocation model."
        ),
    },
    derived=frozenset({"window", "scope", "record_type"}),
    relaxed={
        "objectives-missing": N_(
            "IATI has no element for the EUTF strategic objectives; the activity is counted under 'objective not "
            "given'."
        ),
        "countries-missing": N_(
            "The activity names no recipient country; it is counted as multi-country (country not given)."
        ),
        "date-missing": N_(
            "IATI has no element for the approval date; the date is shown as unknown and the activity has no "
            "dialogue round."
        ),
    },
    excluded=frozenset(),
)


def _numbers(text: str | None) -> list:
    """Space-separated numbers of the dashboard's own element; a token that is not one is kept as typed (reported)."""
    return [int(t) if t.isdecimal() else t for t in (text or "").split()]


def eur_amount(activity: Activity) -> tuple[Decimal | None, list[Finding]]:
    """The activity's amount in euros: the sum of its EUR budgets, and findings on the others.

    Where a period has a revised budget (type 2) and an original one (type 1), the revised one
    counts. Budgets in another currency, or without one, are each reported and never added.
    Returns ``(None, findings)`` when no budget is in euros.
    """
    findings: list[Finding] = []
    periods: dict[tuple, list] = defaultdict(list)
    for budget in activity.budgets:
        periods[(budget.period_start, budget.period_end)].append(budget)
    total: Decimal | None = None
    for budgets in periods.values():
        revised = [b for b in budgets if (b.type or "").strip() == "2"]
        for budget in revised or budgets:
            money = budget.money
            if money.value is None:
                continue
            if money.currency != "EUR":
                template = (
                    N_(
                        "A budget of '{identifier}' is {value} {currency}, not euros; it is not added to the "
                        "euro amount."
                    )
                    if money.currency
                    else N_(
                        "A budget of '{identifier}' ({value}) gives no currency, neither on the value nor as the "
                        "activity's default-currency; it is not added to the euro amount."
                    )
                )
                findings.append(_not_in_euros(template, activity.identifier, money, money.line or activity.line))
                continue
            total = money.value if total is None else total + money.value
    return total, findings


def to_normalized(read: IatiRead, lang: str = "en") -> Normalized:
    """The activities as the allocation table (:class:`etl.normalize.Normalized`), with the mapping's findings.

    Args:
        read: :func:`etl.iati.read_iati`'s result.
        lang: the language whose title narratives are used (``en``/``fr``); other languages are the fallback.

    Returns:
        A :class:`Normalized` indexed by the XML line of each activity, ``source_format``
        :data:`IATI_FORMAT`; its findings name the activity's line.
    """
    columns: dict[str, list] = defaultdict(list)
    rows: list[int] = []
    findings: list[Finding] = []
    raw: dict[str, list] = defaultdict(list)
    for a in read.activities:
        ext = a.extension
        identifier = a.identifier
        reference = identifier
        if identifier and not _WINDOW.match(identifier) and (m := _EUTF_REFERENCE.search(identifier)):
            reference = m.group(0)
        countries = [s.code for s in a.countries if s.code]
        scope = ext.get("scope") or _scope(a.scope, countries)
        amount, money_findings = eur_amount(a)
        findings += money_findings
        if amount is None:
            findings.append(
                Finding.of(
                    "iati-no-eur-budget",
                    N_("'{identifier}' has no budget in euros, so it has no amount."),
                    {"identifier": identifier or ""},
                    line=a.line,
                    row=a.line,
                    column="amount_eur",
                )
            )
            euros = None
        elif abs(amount) > MAX_AMOUNT_EUR:
            findings.append(_too_large(identifier, amount, a.line))
            euros = None
        else:
            euros = int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))
            if euros != amount:
                findings.append(
                    Finding.of(
                        "amount-rounded-to-euro",
                        N_("The euro budgets of '{identifier}' add up to {value} EUR, counted as {amount}."),
                        {"identifier": identifier or "", "value": str(amount), "amount": Money(euros)},
                        line=a.line,
                        row=a.line,
                        column="amount_eur",
                    )
                )
        parent = next((ref for kind, ref, _ in a.related if (kind or "").strip() == "1" and ref), None)
        parent_reference = _reference_of(parent) if parent else None  # a missing parent: iati-parent-missing
        partners = [o.name for o in a.implementing() if o.name]
        approval = iso_date(ext.get("approval-date"))
        if ext.get("approval-date") and approval is None:
            findings.append(
                Finding.of(
                    "date-not-a-date",
                    N_("The approval date '{value}' of '{identifier}' is not a date (yyyy-mm-dd)."),
                    {"value": ext["approval-date"], "identifier": identifier or ""},
                    line=a.line,
                    row=a.line,
                    column="approval_date",
                    value=ext["approval-date"],
                )
            )
        window = ext.get("window") or (m.group(1).upper() if reference and (m := _WINDOW.match(reference)) else None)
        values = {
            "reference": reference,
            "title": a.title(lang),
            "window": window,
            "scope": scope,
            "countries": countries,
            "objectives": _numbers(ext.get("objectives")),
            "valletta_domains": _numbers(ext.get("valletta-domains")),
            "theme": ext.get("theme") or None,
            "amount_eur": euros,
            "amount_basis": ext.get("amount-basis") or "sourced",
            "approval_date": approval,
            "dialogue_round": int(ext["dialogue-round"]) if ext.get("dialogue-round", "").isdecimal() else None,
            "implementing_partner": "; ".join(partners) or None,
            "source": ext.get("source") or None,
            "record_type": ext.get("record-type") or ("contract" if parent else "decision"),
            "parent_reference": parent_reference,
        }
        for name, value in values.items():
            columns[name].append(value)
            raw[name].append(identifier if name == "reference" else value)
        rows.append(a.line)
    frame = _with_dtypes(columns, rows)
    return Normalized(
        frame=frame,
        findings=findings,
        header_row=None,
        raw={k: list(v) for k, v in raw.items()},
        rows=rows,
        source_format=IATI_FORMAT,
    )


def _not_in_euros(template: str, identifier: str | None, money: IatiValue, line: int, unknown: str = "") -> Finding:
    """An ``iati-currency-not-eur`` warning: a value in another (or no) currency, never added to euros.

    ``template`` names what the value is (a budget, a transaction); ``unknown`` stands for a
    missing currency in it.
    """
    return Finding.of(
        "iati-currency-not-eur",
        template,
        {"identifier": identifier or "", "value": str(money.value), "currency": money.currency or unknown},
        line=line,
        extra={"currency": money.currency, "value": str(money.value)},
    )


def _too_large(identifier: str | None, value: Decimal, line: int) -> Finding:
    """An ``amount-too-large`` error: over 10^12 EUR (:data:`etl.parse.MAX_AMOUNT_EUR`), as for workbook cells."""
    return Finding.of(
        "amount-too-large",
        N_("The euro value {value} of '{identifier}' is over {limit}; it is not counted."),
        {"value": str(value), "identifier": identifier or "", "limit": Money(MAX_AMOUNT_EUR)},
        line=line,
        row=line,
        column="amount_eur",
        level="error",
    )


def _reference_of(identifier: str) -> str:
    """The reference an activity identifier maps to (its trailing EUTF reference, else itself)."""
    if not _WINDOW.match(identifier) and (m := _EUTF_REFERENCE.search(identifier)):
        return m.group(0)
    return identifier


def _scope(code: str | None, countries: list[str]) -> str:
    """``activity-scope`` (IATI ActivityScope: 1 global, 2 regional, 3 multi-national, 4 national, 5-8 below)."""
    code = (code or "").strip()
    if code in ("1", "2", "3"):
        return "regional"
    if code in ("4", "5", "6", "7", "8"):
        return "national"
    return "national" if len(countries) == 1 else "regional"


def located(findings: list[Finding]) -> list[Finding]:
    """Findings on the allocation table of an IATI file, located by the activity's XML line (their ``row``)."""
    return [f if f.line or f.row is None else replace(f, line=f.row) for f in findings]


#: The transaction types shown, in this order (IATI TransactionType codes, named as IATI names them).
MEASURES = ("11", "1", "2", "3", "4")


def transactions_frame(read: IatiRead) -> tuple[pd.DataFrame, list[Finding]]:
    """The activities' transactions in euros, one row each, and a finding for each one not in euros.

    Returns:
        A frame with columns ``line`` (int, XML line of the value), ``reference`` (``string``,
        as :func:`to_normalized` maps the activity's identifier), ``record_type`` (``decision``/
        ``contract``), ``transaction_type`` (``string``, the IATI TransactionType code, e.g. ``2``
        Outgoing Commitment, ``3`` Disbursement), ``date`` (``datetime64[ns]``, the
        transaction-date, else the value-date), ``value_eur`` (``Int64``, EUR, rounded half up
        to the euro); and the ``iati-currency-not-eur`` warnings of the transactions left out.
    """
    records = []
    findings: list[Finding] = []
    for a in read.activities:
        reference = _reference_of(a.identifier) if a.identifier else None
        is_contract = a.extension.get("record-type") == "contract" or any(
            (kind or "").strip() == "1" and ref for kind, ref, _ in a.related
        )
        for t in a.transactions:
            money = t.money
            if money.value is None:
                continue
            if money.currency != "EUR":
                template = N_(
                    "A transaction of '{identifier}' is {value} {currency}, not euros; it is not added to the euro "
                    "figures."
                )
                findings.append(_not_in_euros(template, a.identifier, money, money.line or a.line, unknown="?"))
                continue
            if abs(money.value) > MAX_AMOUNT_EUR:
                findings.append(_too_large(a.identifier, money.value, money.line or a.line))
                continue
            records.append(
                {
                    "line": money.line or a.line,
                    "reference": reference,
                    "record_type": "contract" if is_contract else "decision",
                    "transaction_type": t.type,
                    "date": t.date,
                    "value_eur": int(money.value.quantize(Decimal(1), rounding=ROUND_HALF_UP)),
                }
            )
    frame = pd.DataFrame.from_records(
        records, columns=["line", "reference", "record_type", "transaction_type", "date", "value_eur"]
    )
    frame = frame.astype(
        {"line": "int64", "reference": "string", "record_type": "string", "transaction_type": "string"}
    )
    frame["date"] = pd.to_datetime(frame["date"]).astype("datetime64[ns]")
    frame["value_eur"] = frame["value_eur"].astype("Int64")
    return frame, findings


def sectors_frame(read: IatiRead) -> pd.DataFrame:
    """The activities' sectors as the file gives them, one row per ``<sector>``.

    Returns:
        A frame with columns ``line`` (int, the XML line), ``reference`` (``string``, as
        :func:`to_normalized` maps the activity's identifier), ``record_type`` (``decision``/
        ``contract``), ``vocabulary`` (``string``: ``1`` = OECD DAC 5-digit purpose code, the
        default), ``code`` (``string``) and ``percentage`` (``object``: :class:`~decimal.Decimal`
        as written, or None when the file gives none). Percentages that do not add up to 100 were
        reported by :func:`etl.iati.read_iati` (``iati-percentages-not-100``); nothing is dropped here.
    """
    records = []
    for a in read.activities:
        reference = _reference_of(a.identifier) if a.identifier else None
        is_contract = a.extension.get("record-type") == "contract" or any(
            (kind or "").strip() == "1" and ref for kind, ref, _ in a.related
        )
        for share in a.sectors:
            records.append(
                {
                    "line": share.line,
                    "reference": reference,
                    "record_type": "contract" if is_contract else "decision",
                    "vocabulary": share.vocabulary or "1",
                    "code": share.code,
                    "percentage": share.percentage,
                }
            )
    frame = pd.DataFrame.from_records(records, columns=list(SECTOR_COLUMNS))
    return frame.astype(
        {"line": "int64", "reference": "string", "record_type": "string", "vocabulary": "string", "code": "string"}
    )


def keyed(frame: pd.DataFrame, value: str, allocations: pd.DataFrame, by: str) -> pd.DataFrame:
    """``frame`` (with ``reference``, ``record_type`` and a ``value`` column in EUR) with a ``by`` key per row.

    ``by`` is ``window``; ``country`` (the country of a national project, ``regional`` for a
    multi-country one: never apportioned to its countries); or ``objective`` (each strategic
    objective the project lists, 0 when none, the value split equally between them to the euro,
    remainder euros to the first ones: the dashboard's counting rule). A row whose activity is
    not in ``allocations`` gets a missing key.
    """
    facts = {
        (kind, ref): (window, scope, list(countries), list(objectives))
        for kind, ref, window, scope, countries, objectives in zip(
            allocations["record_type"].fillna("decision"),
            allocations["reference"],
            allocations["window"],
            allocations["scope"],
            allocations["countries"],
            allocations["objectives"],
            strict=True,
        )
    }
    rows = []
    for record in frame.to_dict("records"):
        fact = facts.get((record["record_type"], record["reference"]))
        amount = record[value]
        if fact is None or pd.isna(amount):
            rows.append({**record, by: pd.NA})
            continue
        window, scope, countries, objectives = fact
        if by == "window":
            rows.append({**record, by: window})
        elif by == "country":
            national = scope == "national" and len(countries) == 1
            rows.append({**record, by: countries[0] if national else "regional"})
        else:
            keys = [o for o in objectives if isinstance(o, int)] or [0]
            share, remainder = divmod(int(amount), len(keys))
            for n, key in enumerate(keys):
                rows.append({**record, by: key, value: share + (1 if n < remainder else 0)})
    columns = [*frame.columns, by]
    return pd.DataFrame.from_records(rows, columns=columns) if rows else pd.DataFrame(columns=columns)


def transactions_by(transactions: pd.DataFrame, allocations: pd.DataFrame, by: str) -> pd.DataFrame:
    """Euros by IATI transaction type per ``year``, EUTF ``window``, ``country`` or strategic ``objective``.

    Decisions' and contracts' transactions are both counted (IATI reports each once, at the
    level of the activity that made it); countries and objectives follow :func:`keyed`.
    Columns: the key (``year`` ``Int64``, missing when the transaction has no date; ``window``
    or ``country``, ``string`` — ``regional`` for multi-country projects; ``objective``,
    ``Int64``, 0 = not given), then one ``Int64`` column per transaction type present, named
    by its IATI code (:data:`MEASURES` order), in EUR; the rows' values add up to the
    transactions' total.
    """
    if transactions.empty:
        return pd.DataFrame(columns=[by])
    if by == "year":
        frame = transactions.assign(year=transactions["date"].dt.year.astype("Int64"))
    else:
        frame = keyed(transactions, "value_eur", allocations, by)
    table = (
        frame.astype({by: "Int64" if by in ("year", "objective") else "string", "value_eur": "Int64"})
        .groupby([by, "transaction_type"], dropna=False)["value_eur"]
        .sum()
        .unstack("transaction_type")
    )
    codes = [c for c in MEASURES if c in table.columns] + sorted(c for c in table.columns if c not in MEASURES)
    return table[codes].fillna(0).astype("Int64").reset_index()


def approved_by(allocations: pd.DataFrame, by: str) -> pd.Series:
    """The decisions' approved amounts (EUR, ``Int64``) by ``window``, ``country`` or ``objective`` (:func:`keyed`)."""
    decisions = allocations[allocations["record_type"].fillna("decision") != "contract"]
    frame = keyed(
        decisions[["reference", "record_type", "amount_eur"]].fillna({"record_type": "decision"}),
        "amount_eur",
        decisions,
        by,
    )
    return frame.astype({"amount_eur": "Int64"}).groupby(by)["amount_eur"].sum()


def approved_by_year(allocations: pd.DataFrame) -> pd.Series:
    """The decisions' approved amounts (EUR, ``Int64``) by year of approval (``Int64``; missing: no approval date)."""
    decisions = allocations[allocations["record_type"].fillna("decision") != "contract"]
    years = pd.to_datetime(decisions["approval_date"]).dt.year.astype("Int64")
    frame = pd.DataFrame({"year": years, "amount_eur": decisions["amount_eur"].astype("Int64")})
    return frame.groupby("year", dropna=False)["amount_eur"].sum()


def for_records(transactions: pd.DataFrame, records: pd.DataFrame) -> pd.DataFrame:
    """The transactions of the activities among ``records`` (a filtered view's decisions and contracts).

    A transaction belongs to the row of the same ``record_type`` and ``reference``; the
    frame keeps its columns and order (:func:`transactions_frame`).
    """
    if transactions.empty:
        return transactions
    shown = set(zip(records["record_type"].fillna("decision"), records["reference"], strict=True))
    keys = zip(transactions["record_type"], transactions["reference"], strict=True)
    return transactions[[key in shown for key in keys]]


def measures_by(transactions: pd.DataFrame, allocations: pd.DataFrame, by: str) -> pd.DataFrame:
    """Approved amounts beside the transactions by type, per ``year``, ``window``, ``country`` or ``objective``.

    Args:
        transactions: :func:`transactions_frame` (or a version's stored transactions), EUR.
        allocations: the allocation table the transactions belong to (decisions and contracts;
            columns ``reference``, ``record_type``, ``window``, ``scope``, ``countries``,
            ``objectives``, ``amount_eur``, ``approval_date``).
        by: ``year`` (transactions by the year of their date; approved amounts by the year of
            approval), ``window``, ``country`` or ``objective`` (the counting rules of :func:`keyed`).

    Returns:
        Columns: the key (as :func:`transactions_by`), ``approved`` (``Int64``, EUR: the
        decisions' amounts, contracts being inside them), then one ``Int64`` column per
        transaction type present, named by its IATI code (:data:`MEASURES` order), EUR. Every
        key of either side is a row (0 where the other side has nothing); each column adds up
        to its total. Sorted by key, missing keys last.
    """
    moved = transactions_by(transactions, allocations, by)
    kind = "Int64" if by in ("year", "objective") else "string"
    if allocations.empty or not {"amount_eur", "reference"} <= set(allocations.columns):
        approved = pd.Series([], dtype="Int64", index=pd.Index([], dtype=kind, name=by))
    else:
        approved = approved_by_year(allocations) if by == "year" else approved_by(allocations, by)
    approved = approved.rename("approved").reset_index().astype({by: kind, "approved": "Int64"})
    moved = moved.astype({by: kind})
    table = approved.merge(moved, on=by, how="outer") if not moved.empty else approved
    codes = [c for c in table.columns if c not in (by, "approved")]
    table = table.fillna({c: 0 for c in ["approved", *codes]}).astype({c: "Int64" for c in ["approved", *codes]})
    return table.sort_values(by, na_position="last", key=lambda s: s.fillna("\uffff") if kind == "string" else s)[
        [by, "approved", *codes]
    ].reset_index(drop=True)
