"""Any (filtered) view as IATI 2.03 activity XML, valid against the shipped schema.

One ``<iati-activity>`` per decision, then one per contract (``hierarchy`` 1 and 2), with:

* ``iati-identifier``: the EUTF reference (``T05-EUTF-SAH-ML-01``), as the dashboard keeps it;
* ``reporting-org``: the provenance: the European Commission's IATI organisation identifier
  under which the EUTF's activities are published (``XI-IATI-EC_DEVCO``), flagged
  ``secondary-reporter="1"`` because this file reproduces them, its name saying which dataset
  and version of the dashboard it comes from; a comment under the root says the same with
  the filters, the sources and the export time;
* ``title`` (English), a ``description`` (the source, else the title), ``participating-org``
  role 1 (funding: the EUTF) and role 4 (implementing partner), ``activity-scope`` (2 regional,
  4 national), ``recipient-country`` (``percentage="100"`` for a single country; several
  countries are listed without percentages: the sources give no split, and none is invented);
* one ``budget`` in EUR (``type`` 1 original, ``status`` 2 committed) holding the amount;
* the version's stored ``transaction`` elements of the activity, when given (type, date, EUR);
* ``related-activity``: a decision lists its contracts (type 2, child), a contract its decision
  (type 1, parent);
* the dashboard's own ``<eutf:allocation>`` element (namespace :data:`etl.iati.EUTF_NS`, which
  the schema allows at the end of an activity) with what IATI has no element for: window,
  scope, strategic objectives, Valletta domains, theme, approval date, amount basis, a typed
  dialogue round and the source, so that importing the file back gives identical data.

The schema requires dates the allocation model may lack: ``activity-date`` (type 1, planned
start) and the budget's period and value date are the approval date when it is known, else
the date of the data version (``fallback_date``); ``<eutf:allocation>`` keeps the approval
date empty then, and ``activity-status`` (required) is 2 (implementation) for every activity,
which the comment states. Every date so filled is marked where it stands: the attribute
``eutf:date-basis`` (:data:`etl.iati.DATE_BASIS`: ``approval-date`` or ``version-date``), a
``<narrative>`` in ``activity-date`` (:data:`FILLED`), an XML comment in ``budget``;
:mod:`etl.iati` does not read a date so marked as the source's.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pandas as pd
from lxml import etree

from downloads.tables import About
from etl.iati import DATE_BASIS, EUTF_NS, XML_LANG

#: The European Commission's IATI organisation identifier under which EUTF activities are published.
REPORTING_ORG_REF = "XI-IATI-EC_DEVCO"
#: IATI OrganisationType 15: other public sector.
REPORTING_ORG_TYPE = "15"
FUNDER = "European Union Emergency Trust Fund for Africa (EUTF)"


def _text(parent, tag: str, text: str | None = None, **attrib: str):
    element = etree.SubElement(parent, tag, {k.replace("_", "-"): v for k, v in attrib.items()})
    if text is not None:
        element.text = text
    return element


def _narrative(parent, tag: str, text: str, **attrib: str):
    element = _text(parent, tag, **attrib)
    _text(element, "narrative", text)
    return element


def _present(value) -> bool:
    return value is not None and not (isinstance(value, float) and value != value) and value is not pd.NA


def _iso(value) -> str | None:
    return pd.Timestamp(value).date().isoformat() if _present(value) and not pd.isna(value) else None


def to_iati(
    records: pd.DataFrame,
    about: About,
    *,
    fallback_date: date | None = None,
    transactions: pd.DataFrame | None = None,
    sectors: pd.DataFrame | None = None,
) -> bytes:
    """The records (decisions and their contracts) as an IATI 2.03 activities file (UTF-8 bytes).

    Args:
        records: :class:`validation.schemas.Allocation` rows (decisions and contracts, e.g.
            :attr:`domain.dataset.Dataset.records` of a filtered view); amounts in integer euros.
        about: the provenance written in the ``reporting-org`` name and the comment.
        fallback_date: the date used where the schema requires one the record lacks (the data
            version's date; default: the export's date).
        transactions: the version's IATI transactions in euros (:meth:`store.versions.Store.transactions`:
            ``reference``, ``record_type``, ``transaction_type``, ``date``, ``value_eur``); each
            is written as a ``<transaction>`` of the activity of the same record type and
            reference, in order; those of activities not among ``records`` are left out.
        sectors: the version's IATI sectors as written (:attr:`domain.dataset.Dataset.sectors`:
            ``reference``, ``record_type``, ``vocabulary``, ``code``, ``percentage``); each is written
            back as a ``<sector>`` of its activity, in order, so that the file re-uploads to the same sectors.

    Returns:
        The XML document; it validates against ``data/iati/iati-activities-schema.xsd``.
    """
    generated = about.exported_at.astimezone(UTC).replace(microsecond=0)
    fallback = (fallback_date or generated.date()).isoformat()
    root = etree.Element("iati-activities", {"version": "2.03", "generated-datetime": generated.isoformat()})
    filters = "; ".join(about.filters) or "none"
    root.append(
        etree.Comment(
            f" EUTF allocations dashboard export. Dataset: {about.dataset}. Version: {about.version}. "
            f"Filters: {filters}. Sources: {'; '.join(about.sources)}. Exported {generated.isoformat()}. "
            f"Amounts are integer euros. Dates the schema requires but the data do not give (activity-date, budget "
            f"period) are the approval date when known, else {fallback}; eutf:allocation keeps the approval date "
            f"only when known. activity-status 2 is not from the sources. ".replace("--", "- -")
        )
    )
    decisions = records[records["record_type"] != "contract"]
    contracts = records[records["record_type"] == "contract"]
    children: dict[str, list[str]] = {}
    for reference, parent in zip(contracts["reference"], contracts["parent_reference"], strict=True):
        if _present(parent):
            children.setdefault(str(parent).strip().casefold(), []).append(str(reference))
    reporter = f"EUTF allocations dashboard: {about.dataset}, {about.version} (data of the European Commission)"
    moved: dict[tuple[str, str], list] = {}
    if transactions is not None and not transactions.empty:
        for t in transactions.itertuples(index=False):
            moved.setdefault((str(t.record_type), str(t.reference)), []).append(t)
    listed: dict[tuple[str, str], list] = {}
    if sectors is not None and not sectors.empty:
        for share in sectors.itertuples(index=False):
            listed.setdefault((str(share.record_type), str(share.reference).strip().casefold()), []).append(share)
    for frame, hierarchy in ((decisions, "1"), (contracts, "2")):
        for row in frame.itertuples(index=False):
            own = moved.get((str(row.record_type), str(row.reference)), [])
            shares = listed.get((str(row.record_type), str(row.reference).strip().casefold()), [])
            _activity(root, row, hierarchy, reporter, generated, fallback, children, own, shares)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


#: What a filled date's ``eutf:date-basis`` says, and the narrative of an ``activity-date`` filled so.
FILLED = {
    "approval-date": "Not from the sources: the approval date stands in for this date, which the sources do not give.",
    "version-date": "Not from the sources: the date of the data version stands in for this date; the sources give "
    "neither it nor an approval date.",
}


def _dated(parent, tag: str, when: str, basis: str | None, attribute: str = "iso-date", **attrib: str):
    """An element carrying a date; a filled one (``basis`` set) is marked with ``eutf:date-basis``."""
    element = _text(parent, tag, **attrib)
    element.set(attribute, when)
    if basis:
        element.set(DATE_BASIS, basis)
    return element


def _transaction(activity, t, fallback: str) -> None:
    """One stored transaction: type, date (a missing one filled with ``fallback`` and marked), value in EUR."""
    transaction = _text(activity, "transaction")
    _text(transaction, "transaction-type", code="" if pd.isna(t.transaction_type) else str(t.transaction_type))
    when = _iso(t.date)
    basis = None if when else "version-date"
    _dated(transaction, "transaction-date", when or fallback, basis)
    value = _dated(transaction, "value", when or fallback, basis, "value-date", currency="EUR")
    value.text = str(int(t.value_eur))


def _sector(activity, share) -> None:
    """One stored sector as the file gave it: vocabulary, code and percentage (when it gave one)."""
    attrib = {"vocabulary": str(share.vocabulary), "code": str(share.code)}
    if share.percentage is not None and not pd.isna(share.percentage):
        attrib["percentage"] = format(Decimal(share.percentage), "f")  # a stored 60 is Decimal("6E+1"): "60"
    _text(activity, "sector", **attrib)


def _activity(
    root,
    row,
    hierarchy: str,
    reporter: str,
    generated: datetime,
    fallback: str,
    children,
    transactions=(),
    sectors=(),
) -> None:
    activity = etree.SubElement(
        root,
        "iati-activity",
        {
            "last-updated-datetime": generated.isoformat(),
            XML_LANG: "en",
            "default-currency": "EUR",
            "hierarchy": hierarchy,
        },
        nsmap={"eutf": EUTF_NS},
    )
    _text(activity, "iati-identifier", str(row.reference))
    _narrative(
        activity, "reporting-org", reporter, ref=REPORTING_ORG_REF, type=REPORTING_ORG_TYPE, secondary_reporter="1"
    )
    _narrative(activity, "title", str(row.title))
    _narrative(activity, "description", str(row.source) if _present(row.source) else str(row.title), type="1")
    _narrative(activity, "participating-org", FUNDER, role="1", ref=REPORTING_ORG_REF)
    if _present(row.implementing_partner):
        _narrative(activity, "participating-org", str(row.implementing_partner), role="4")
    _text(activity, "activity-status", code="2")
    approval = _iso(row.approval_date)
    basis = "approval-date" if approval else "version-date"  # the sources never give a start date
    started = _dated(activity, "activity-date", approval or fallback, basis, type="1")
    _text(started, "narrative", FILLED[basis])
    _text(activity, "activity-scope", code="4" if row.scope == "national" else "2")
    countries = list(row.countries)
    for code in countries:
        attrib = {"percentage": "100"} if len(countries) == 1 else {}
        _text(activity, "recipient-country", code=str(code), **attrib)
    for share in sectors:  # after recipient-country, before budget: the schema's order
        _sector(activity, share)
    budget = _text(activity, "budget", type="1", status="2")
    budget.append(etree.Comment(f" Period and value date. {FILLED[basis]} "))
    _dated(budget, "period-start", approval or fallback, basis)
    _dated(budget, "period-end", approval or fallback, basis)
    value = _dated(budget, "value", approval or fallback, basis, "value-date", currency="EUR")
    value.text = str(int(row.amount_eur))
    for t in transactions:
        _transaction(activity, t, fallback)
    if hierarchy == "2" and _present(row.parent_reference):
        _text(activity, "related-activity", ref=str(row.parent_reference), type="1")
    for child in children.get(str(row.reference).strip().casefold(), []) if hierarchy == "1" else []:
        _text(activity, "related-activity", ref=child, type="2")
    extension = {
        "window": row.window,
        "scope": row.scope,
        "objectives": " ".join(str(o) for o in row.objectives),
        "valletta-domains": " ".join(str(d) for d in row.valletta_domains),
        "theme": row.theme if _present(row.theme) else "",
        "approval-date": approval or "",
        "amount-basis": row.amount_basis,
        "dialogue-round": str(int(row.dialogue_round))
        if _present(row.dialogue_round) and getattr(row, "round_basis", None) == "typed"
        else "",
        "source": row.source if _present(row.source) else "",
        "record-type": row.record_type,
    }
    etree.SubElement(activity, f"{{{EUTF_NS}}}allocation", {k: str(v) for k, v in extension.items() if v != ""})
