"""IATI activity XML (2.01-2.03): recognised by content, read safely, checked against the shipped schema.

An IATI activities file (``<iati-activities>``, the format in which the European Commission
and the EUTF's monitoring platform publish their activities) is

* refused before parsing when it declares a ``DOCTYPE``/``ENTITY`` (rule ``unsafe-xml-dtd``,
  as for workbook parts), parsed with lxml without DTD, entities or network, within the
  upload's byte limit, lxml's default text and depth limits and at most ``max_rows``
  activities;
* streamed (``lxml.etree.iterparse``): each ``<iati-activity>`` is checked against the
  IATI 2.03 activity schema shipped in ``data/iati/`` (nothing is fetched; the schema's
  import of ``xml.xsd`` resolves to the local copy), read into an :class:`Activity`, then
  freed, so memory holds one activity at a time;
* every schema violation is a :class:`domain.findings.Finding` with its XML line and a
  plain-words rule (``iati-schema``), beside the dashboard's own rules: percentages that do
  not add up to 100, a transaction outside the activity's dates, a child whose parent is
  not in the file, values in another currency than the euro (never added to euros).

The mapping of activities onto the allocation table is :mod:`etl.iati_map`; the export is
:mod:`downloads.iati`. Existing Python IATI tools were considered: ``iatikit`` validates
against schemas and codelists it downloads at run time, ``iatiflattener`` flattens for the
IATI Datastore with codelists fetched too; neither reads a file with nothing fetched, so
this module reads the few elements the dashboard uses with lxml.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

from lxml import etree

from domain.findings import Finding
from domain.i18n import N_, Text

#: The shipped IATI 2.03 activity schema (``data/iati/README.md``).
SCHEMA_DIR = Path(__file__).resolve().parent.parent / "data" / "iati"
SCHEMA_PATH = SCHEMA_DIR / "iati-activities-schema.xsd"
#: IATI versions read as 2.03 (2.01 and 2.02 are subsets for the elements the dashboard uses).
VERSIONS = ("2.01", "2.02", "2.03")
#: The namespace of the dashboard's own element in an export (IATI allows other namespaces).
EUTF_NS = "urn:eutf-dashboard:allocation"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
#: The attribute an export puts on a date it had to fill (``approval-date``: the approval date
#: stands in; ``version-date``: the data version's date): such a date is not read as the source's.
DATE_BASIS = f"{{{EUTF_NS}}}date-basis"

_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_ROOT = re.compile(rb"^(?:\s|<\?[^>]*\?>|<!--.*?-->)*<(iati-activities|iati-activity)[\s>/]", re.DOTALL)

#: IATI activity-date types: 2.x codes and 1.x names -> our key.
DATE_TYPES = {
    "1": "planned_start",
    "2": "actual_start",
    "3": "planned_end",
    "4": "actual_end",
    "start-planned": "planned_start",
    "start-actual": "actual_start",
    "end-planned": "planned_end",
    "end-actual": "actual_end",
}
#: IATI transaction types as the standard names them (TransactionType codelist); 1.x letters mapped.
TRANSACTION_TYPES = {
    "1": N_("Incoming Funds"),
    "2": N_("Outgoing Commitment"),
    "3": N_("Disbursement"),
    "4": N_("Expenditure"),
    "5": N_("Interest Payment"),
    "6": N_("Loan Repayment"),
    "7": N_("Reimbursement"),
    "8": N_("Purchase of Equity"),
    "9": N_("Sale of Equity"),
    "10": N_("Credit Guarantee"),
    "11": N_("Incoming Commitment"),
    "12": N_("Outgoing Pledge"),
    "13": N_("Incoming Pledge"),
}
_TRANSACTION_LETTERS = {"IF": "1", "C": "2", "D": "3", "E": "4", "IR": "5", "LR": "6", "R": "7", "QP": "8", "QS": "9"}
_TRANSACTION_LETTERS |= {"CG": "10"}


@dataclass(frozen=True)
class Org:
    """An organisation named by an activity: ``role`` (participating-org code, 4 = implementing), ref, type, name."""

    name: str | None
    ref: str | None = None
    type: str | None = None
    role: str | None = None


@dataclass(frozen=True)
class Share:
    """A code with its optional percentage: recipient country (ISO 3166-1 alpha-2), region or sector.

    ``vocabulary`` is the sector or region vocabulary (``1`` = OECD DAC 5-digit purpose code,
    the default for sectors; ``1`` = OECD DAC regions for regions); ``line`` the XML line.
    """

    code: str
    percentage: Decimal | None
    vocabulary: str | None
    line: int


@dataclass(frozen=True)
class Money:
    """A value as the file gives it: ``value`` (Decimal, in ``currency``), its value date, and the XML line."""

    value: Decimal | None
    currency: str | None
    value_date: date | None
    line: int


@dataclass(frozen=True)
class Budget:
    """An IATI budget: ``type`` 1 original / 2 revised, ``status`` 1 indicative / 2 committed, period, money."""

    type: str | None
    status: str | None
    period_start: date | None
    period_end: date | None
    money: Money


@dataclass(frozen=True)
class Transaction:
    """An IATI transaction: type, date (transaction-date), money, provider and receiver organisations.

    ``type`` is the TransactionType code (see :data:`TRANSACTION_TYPES`; 1.x letters mapped), or
    the file's own text when it is not a code.
    """

    type: str | None
    date: date | None
    money: Money
    provider: str | None = None
    receiver: str | None = None


@dataclass
class Activity:
    """One ``<iati-activity>`` as read, before it is mapped onto the allocation table.

    Attributes:
        line: XML line of the ``<iati-activity>`` start tag.
        identifier: ``iati-identifier`` text (None when absent or empty).
        titles: language (ISO 639-1, the activity's ``xml:lang`` when the narrative has none)
            -> title text, in file order.
        default_currency, default_lang, hierarchy: the activity's attributes.
        reporting_org: the reporting organisation; participating: participating organisations
            with their role.
        scope: ``activity-scope`` code; status: ``activity-status`` code.
        dates: ``planned_start``/``actual_start``/``planned_end``/``actual_end`` (or the file's
            own type name when it is not an IATI code) -> date.
        countries, regions, sectors: :class:`Share` lists.
        budgets, transactions: in the file's currencies (``Money.currency`` is the value's
            ``@currency``, else the activity's ``@default-currency``, else None).
        related: ``(type, ref, line)``: 1 parent, 2 child, 3 sibling, 4 co-funded, 5 third party.
        documents: ``(url, title)`` of each ``document-link``.
        results: the title of each ``result``.
        extension: attributes of the dashboard's own ``<eutf:allocation>`` element (exports), or {}.
    """

    line: int
    identifier: str | None = None
    titles: dict[str, str] = field(default_factory=dict)
    default_currency: str | None = None
    default_lang: str | None = None
    hierarchy: str | None = None
    reporting_org: Org | None = None
    participating: list[Org] = field(default_factory=list)
    scope: str | None = None
    status: str | None = None
    dates: dict[str, date] = field(default_factory=dict)
    countries: list[Share] = field(default_factory=list)
    regions: list[Share] = field(default_factory=list)
    sectors: list[Share] = field(default_factory=list)
    budgets: list[Budget] = field(default_factory=list)
    transactions: list[Transaction] = field(default_factory=list)
    related: list[tuple[str | None, str | None, int]] = field(default_factory=list)
    documents: list[tuple[str | None, str | None]] = field(default_factory=list)
    results: list[str] = field(default_factory=list)
    extension: dict[str, str] = field(default_factory=dict)

    def title(self, lang: str = "en") -> str | None:
        """The title in ``lang``, else in the activity's language, else the first given."""
        for key in (lang, self.default_lang):
            if key in self.titles:
                return self.titles[key]
        return next(iter(self.titles.values()), None)

    def implementing(self) -> list[Org]:
        """Participating organisations with role 4 (implementing), or ``implementing`` in 1.x files."""
        return [o for o in self.participating if (o.role or "").strip().lower() in ("4", "implementing")]


@dataclass
class IatiRead:
    """What reading an IATI file gave: its activities (even with findings, for the preview) and findings."""

    activities: list[Activity]
    findings: list[Finding]
    version: str | None = None


def is_iati(data: bytes) -> bool:
    """True when the bytes are an XML document whose root is ``iati-activities`` (or a lone ``iati-activity``).

    Recognised by content only: a BOM, the XML declaration, comments and whitespace may precede
    the root; a ``DOCTYPE`` before it is recognised too (the file is then refused as unsafe).
    """
    head = data[:65536].removeprefix(b"\xef\xbb\xbf")
    if _ROOT.match(head):
        return True
    doctype = re.match(rb"^(?:\s|<\?[^>]*\?>|<!--.*?-->)*<!\s*DOCTYPE\s+(iati-activities|iati-activity)\b", head, re.S)
    return doctype is not None


@cache
def schema() -> etree.XMLSchema:
    """The IATI 2.03 activity schema from ``data/iati/`` (the import of ``xml.xsd`` resolves beside it)."""
    parser = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)
    parser.resolvers.add(_LocalOnly())
    return etree.XMLSchema(etree.parse(str(SCHEMA_PATH), parser))


class _LocalOnly(etree.Resolver):
    """Resolves schema imports to the files of ``data/iati/`` only; anything else is refused."""

    def resolve(self, url, pubid, context):
        name = Path(str(url)).name
        local = SCHEMA_DIR / name
        if local.is_file():
            return self.resolve_filename(str(local), context)
        raise OSError(f"schema import outside data/iati refused: {url}")


def read_iati(data: bytes, *, max_rows: int = 1_048_576) -> IatiRead:
    """Read an IATI activities file: schema findings, the dashboard's rules, and the activities.

    Args:
        data: the file's bytes (its size is checked by the caller, :func:`validation.pipeline.load_bytes`).
        max_rows: at most this many activities are read; more is refused, never cut
            (``too-many-rows``).

    Returns:
        An :class:`IatiRead`. Never raises for bad input: a malformed document is an
        ``iati-xml-malformed`` finding naming its line, a DTD an ``unsafe-xml-dtd`` one.
    """
    if _DTD.search(data):
        return IatiRead(
            [],
            [
                Finding.of(
                    "unsafe-xml-dtd",
                    N_(
                        "The part {part} declares a DOCTYPE/ENTITY (an XML entity expansion, as in a 'billion "
                        "laughs' attack); spreadsheet programs never write one. The file was not parsed."
                    ),
                    {"part": "iati-activities"},
                    extra={"part": "iati-activities"},
                )
            ],
        )
    findings: list[Finding] = []
    activities: list[Activity] = []
    xsd = schema()
    root = None
    version = None
    events = etree.iterparse(
        io.BytesIO(data),
        events=("start", "end"),
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        for event, element in events:
            if root is None:
                root = element
                version = element.get("version")
                continue
            if event != "end" or element.tag != "iati-activity" or element.getparent() is not root:
                continue
            if len(activities) >= max_rows:
                findings.append(_too_many(max_rows))
                return IatiRead([], findings, version)
            findings += _schema_findings(xsd, element)
            activities.append(read_activity(element))
            element.clear()
            while element.getprevious() is not None:  # the activities already read are freed
                del root[0]
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or (exc.position[0] if exc.position else None)
        findings.append(
            Finding.of(
                "iati-xml-malformed",
                N_("The XML is not well-formed at line {line}: {detail}. Nothing was imported."),
                {"line": line, "detail": exc.msg},
                line=line,
            )
        )
        return IatiRead([], findings, version)
    if root is None:  # pragma: no cover - iterparse raises on an empty document
        return IatiRead([], findings, version)
    if root.tag == "iati-activity":
        findings.insert(
            0,
            Finding.of(
                "iati-root",
                N_(
                    "The file holds a single <iati-activity> without the <iati-activities> element around it, as in "
                    "IATI drafts before version 1; it is read, but the IATI 2.03 schema refuses it."
                ),
                line=root.sourceline,
            ),
        )
        findings += _schema_findings(xsd, root)
        activities.append(read_activity(root))
    else:
        findings[:0] = _root_findings(xsd, root, bool(activities), version)
    findings += own_rules(activities)
    return IatiRead(activities, findings, version)


def _too_many(limit: int) -> Finding:
    return Finding.of(
        "too-many-rows",
        N_("The file holds more than {limit} activities; it was not imported (nothing is ever cut)."),
        {"limit": limit},
        extra={"limit": limit},
    )


def _root_findings(xsd: etree.XMLSchema, root, had_activities: bool, version: str | None) -> list[Finding]:
    """The schema's findings on the ``<iati-activities>`` element itself, and its version."""
    findings = []
    for child in root.findall("iati-activity"):  # read, checked and cleared one by one
        root.remove(child)
    for f in _schema_findings(xsd, root):
        if had_activities and "iati-activity" in str(f.extra.get("expected", "")) and f.extra.get("kind") == "missing":
            continue  # the activities were checked one by one and freed
        findings.append(f)
    if root.tag != "iati-activities":
        findings.append(
            Finding.of(
                "iati-root",
                N_("The file's root element is <{root}>; an IATI activity file has <iati-activities>."),
                {"root": root.tag},
                line=root.sourceline,
            )
        )
    elif version not in VERSIONS:
        findings.append(
            Finding.of(
                "iati-version",
                N_("The file declares IATI version '{version}'; it is read as version 2.03."),
                {"version": version or ""},
                line=root.sourceline,
                value=version,
            )
        )
    return findings


# --- schema findings in plain words -------------------------------------------------------

_ELEMENT = re.compile(r"^Element '([^']+)'(?:, attribute '([^']+)')?: (.*)$", re.S)
_EXPECTED = re.compile(r"Expected is (?:one of )?\( (.*) \)")
_VALUE = re.compile(r"^'(.*)' is not a valid value of the (?:atomic|local atomic) type '([^']+)'")
_KINDS = {
    "xs:dateTime": N_("date and time (e.g. 2024-05-31T12:00:00)"),
    "xs:date": N_("date (yyyy-mm-dd)"),
    "xs:decimal": N_("number (e.g. 1500000 or 1500000.50)"),
    "xs:int": N_("whole number"),
    "xs:integer": N_("whole number"),
    "xs:nonNegativeInteger": N_("whole number, 0 or more"),
    "xs:positiveInteger": N_("whole number above 0"),
    "xs:boolean": N_("true/false value (1, 0, true or false)"),
    "xs:anyURI": N_("web address (URI)"),
}


def _schema_findings(xsd: etree.XMLSchema, element) -> list[Finding]:
    """Every violation of the schema in ``element``'s subtree, as ``iati-schema`` findings with their lines."""
    if xsd.validate(element):
        return []
    return [schema_finding(e.message, e.line, e.path) for e in xsd.error_log]


def _where(path: str | None, element: str) -> str:
    """The element's path inside its activity (``budget/period-end[2]``), from lxml's XPath of the node."""
    if not path:
        return element
    inside = re.sub(r"^(/iati-activities(\[\d+\])?)?(/iati-activity(\[\d+\])?)?/?", "", path)
    return inside or path.rsplit("/", 1)[-1].split("[")[0]


def schema_finding(message: str, line: int | None, path: str | None = None) -> Finding:
    """One libxml2 schema error (``message`` and the node's ``path`` as lxml gives them) as a finding in plain words.

    The element is named by its path inside the activity (``budget/value``), so that the
    message says where, beside the line.
    """
    match = _ELEMENT.match(message.strip())
    if not match:
        return Finding.of(
            "iati-schema",
            N_("The file breaks the IATI 2.03 schema: {detail}"),
            {"detail": message},
            line=line,
        )
    element, attribute, detail = match.groups()
    if required := re.search(r"The attribute '([^']+)' is required but missing", detail):
        attribute = required.group(1)
    params = {"element": _where(path, element), "attribute": attribute or ""}
    extra: dict[str, str] = {"element": element}
    if expected := _EXPECTED.search(detail):
        params["expected"] = expected.group(1).replace("##other*", "elements of other namespaces")
        extra["expected"] = expected.group(1)
    if "Missing child element" in detail:
        template, extra["kind"] = N_("<{element}> lacks a required element; expected here: {expected}."), "missing"
    elif "This element is not expected" in detail:
        template = N_(
            "<{element}> is not allowed here: it is out of order, repeated, or not an IATI element (expected here: "
            "{expected})."
        )
        extra["kind"] = "unexpected"
    elif "is not allowed" in detail and attribute:
        template, extra["kind"] = N_("The attribute '{attribute}' is not allowed on <{element}>."), "attribute"
    elif "is required but missing" in detail:
        template, extra["kind"] = N_("<{element}> lacks its required attribute '{attribute}'."), "required"
    elif value := _VALUE.match(detail):
        params["value"] = value.group(1)
        params["kind"] = Text(_KINDS[value.group(2)]) if value.group(2) in _KINDS else value.group(2)
        template = (
            N_("'{value}' in the attribute '{attribute}' of <{element}> is not a valid {kind}.")
            if attribute
            else N_("'{value}' in <{element}> is not a valid {kind}.")
        )
        extra["kind"] = "value"
    elif "Character content other than whitespace is not allowed" in detail:
        template, extra["kind"] = N_("<{element}> holds text where only elements may be."), "text"
    else:
        params["detail"] = detail
        template, extra["kind"] = N_("<{element}> breaks the IATI 2.03 schema: {detail}"), "other"
    return Finding.of("iati-schema", template, params, line=line, value=params.get("value"), extra=extra)


# --- reading one activity -----------------------------------------------------------------


def _text(element) -> str | None:
    text = "".join(element.itertext()).strip() if element is not None else ""
    return text or None


def _narratives(element, default_lang: str | None) -> dict[str, str]:
    """Language -> text of an element's narratives (2.x), or of its own text (1.x)."""
    out: dict[str, str] = {}
    if element is None:
        return out
    narratives = element.findall("narrative")
    if narratives:
        for n in narratives:
            text = _text(n)
            if text:
                out.setdefault(n.get(XML_LANG) or default_lang or "", text)
    elif text := _text(element):
        out[element.get(XML_LANG) or default_lang or ""] = text
    return out


def _titles(element, lang: str | None) -> dict[str, str]:
    """The narratives of the ``title`` (2.x) or of each ``title`` per language (1.x), first ones kept."""
    titles: dict[str, str] = {}
    for title in element.findall("title"):
        for key, text in _narratives(title, lang).items():
            titles.setdefault(key, text)
    return titles


def _first(texts: dict[str, str], lang: str | None) -> str | None:
    return texts.get(lang or "") or next(iter(texts.values()), None)


def iso_date(text: str | None) -> date | None:
    """An ISO date (``yyyy-mm-dd``, a datetime's date part read) or None when absent or not a date."""
    try:
        return date.fromisoformat(text.strip()[:10]) if text else None
    except ValueError:
        return None


#: xs:decimal as written (no exponent), at most 20 digits on each side of the point: bounded work
#: (``1e999999999`` would be a billion-digit integer); the schema reports any other form.
_DECIMAL = re.compile(r"^[+-]?(\d{1,20}(\.\d{0,20})?|\.\d{1,20})$")


def _decimal(text: str | None) -> Decimal | None:
    text = (text or "").strip()
    if not _DECIMAL.match(text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        return None


def _money(value, default_currency: str | None) -> Money:
    if value is None:
        return Money(None, default_currency, None, 0)
    currency = (value.get("currency") or default_currency or "").strip().upper() or None
    when = iso_date(value.get("value-date")) if value.get(DATE_BASIS) is None else None  # filled: no date
    return Money(_decimal(value.text), currency, when, value.sourceline)


def _share(element, default_vocabulary: str | None) -> Share:
    return Share(
        (element.get("code") or "").strip().upper(),
        _decimal(element.get("percentage")),
        element.get("vocabulary") or default_vocabulary,
        element.sourceline,
    )


def read_activity(element) -> Activity:
    """Read one ``<iati-activity>`` (2.x, with the 1.x spellings the dashboard needs) into an :class:`Activity`.

    Tolerant: a missing or malformed part is left empty (the schema findings say why).
    """
    lang = element.get(XML_LANG)
    currency = (element.get("default-currency") or "").strip().upper() or None
    activity = Activity(
        line=element.sourceline,
        identifier=_text(element.find("iati-identifier")),
        titles=_titles(element, lang),
        default_currency=currency,
        default_lang=lang,
        hierarchy=element.get("hierarchy"),
    )
    if (reporting := element.find("reporting-org")) is not None:
        names = _narratives(reporting, lang)
        activity.reporting_org = Org(_first(names, "en"), reporting.get("ref"), reporting.get("type"))
    for child in element:
        tag = child.tag
        if not isinstance(tag, str):
            continue
        if tag == "participating-org":
            names = _narratives(child, lang)
            activity.participating.append(
                Org(_first(names, "en"), child.get("ref"), child.get("type"), (child.get("role") or "").strip())
            )
        elif tag == "activity-scope":
            activity.scope = child.get("code")
        elif tag == "activity-status":
            activity.status = child.get("code")
        elif tag == "activity-date":
            kind = (child.get("type") or "").strip()
            when = iso_date(child.get("iso-date")) if child.get(DATE_BASIS) is None else None  # filled: not a date
            if when:
                activity.dates.setdefault(DATE_TYPES.get(kind, kind), when)
        elif tag == "recipient-country":
            activity.countries.append(_share(child, None))
        elif tag == "recipient-region":
            activity.regions.append(_share(child, "1"))
        elif tag == "sector":
            activity.sectors.append(_share(child, "1"))
        elif tag in ("budget", "budget-planned"):
            activity.budgets.append(
                Budget(
                    child.get("type"),
                    child.get("status"),
                    iso_date(_iso(_unfilled(child.find("period-start")))),
                    iso_date(_iso(_unfilled(child.find("period-end")))),
                    _money(child.find("value"), currency),
                )
            )
        elif tag == "transaction":
            activity.transactions.append(_transaction(child, currency, lang))
        elif tag == "related-activity":
            activity.related.append((child.get("type"), (child.get("ref") or "").strip() or None, child.sourceline))
        elif tag == "document-link":
            activity.documents.append((child.get("url"), _first(_narratives(child.find("title"), lang), "en")))
        elif tag == "result":
            activity.results.append(_first(_narratives(child.find("title"), lang), "en") or "")
        elif tag == f"{{{EUTF_NS}}}allocation":
            activity.extension = dict(child.attrib)
    return activity


def _unfilled(element):
    """``element``, or None when it carries a date an export filled (:data:`DATE_BASIS`)."""
    return None if element is None or element.get(DATE_BASIS) is not None else element


def _iso(element) -> str | None:
    """A period's date: ``@iso-date`` (2.x) or its text (drafts)."""
    if element is None:
        return None
    return element.get("iso-date") or element.text


def _transaction(element, currency: str | None, lang: str | None) -> Transaction:
    kind_element = element.find("transaction-type")
    kind = (kind_element.get("code") if kind_element is not None else element.get("type")) or ""
    kind = kind.strip()
    kind = _TRANSACTION_LETTERS.get(kind.upper(), kind)
    date_element = element.find("transaction-date")
    value = element.find("value")
    date_element = _unfilled(date_element)
    when = iso_date(date_element.get("iso-date")) if date_element is not None else None
    money = _money(value, currency)
    if when is None:  # 1.x and drafts: the value date
        when = money.value_date
    provider = _first(_narratives(element.find("provider-org"), lang), "en")
    receiver = _first(_narratives(element.find("receiver-org"), lang), "en")
    return Transaction(kind or None, when, money, provider, receiver)


# --- the dashboard's own rules -------------------------------------------------------------


def own_rules(activities: list[Activity]) -> list[Finding]:
    """Percentages that do not add up to 100, transactions outside the activity's dates, missing parents.

    Warnings, each with the XML line and the activity's identifier.
    """
    findings: list[Finding] = []
    identifiers = {a.identifier for a in activities if a.identifier}
    for a in activities:
        name = a.identifier or ""
        geo = [s.percentage for s in (*a.countries, *a.regions)]
        if any(p is not None for p in geo) and len(geo) > 0:
            total = sum((p or Decimal(0)) for p in geo)
            if abs(total - 100) > Decimal("0.01"):
                findings.append(
                    Finding.of(
                        "iati-percentages-not-100",
                        N_(
                            "The recipient country and region percentages of '{identifier}' add up to {total}, not 100."
                        ),
                        {"identifier": name, "total": str(total)},
                        line=(a.countries or a.regions)[0].line,
                        extra={"total": str(total)},
                    )
                )
        vocabularies: dict[str, list[Share]] = {}
        for s in a.sectors:
            vocabularies.setdefault(s.vocabulary or "1", []).append(s)
        for vocabulary, shares in vocabularies.items():
            if len(shares) < 2 and all(s.percentage is None for s in shares):
                continue
            total = sum((s.percentage or Decimal(0)) for s in shares)
            if abs(total - 100) > Decimal("0.01"):
                findings.append(
                    Finding.of(
                        "iati-percentages-not-100",
                        N_(
                            "The sector percentages of '{identifier}' (vocabulary {vocabulary}) add up to {total}, not "
                            "100."
                        ),
                        {"identifier": name, "vocabulary": vocabulary, "total": str(total)},
                        line=shares[0].line,
                        extra={"total": str(total)},
                    )
                )
        start = a.dates.get("actual_start") or a.dates.get("planned_start")
        end = a.dates.get("actual_end") or a.dates.get("planned_end")
        for t in a.transactions:
            if t.date is None or not (start or end):
                continue
            if (start and t.date < start) or (end and t.date > end):
                findings.append(
                    Finding.of(
                        "iati-transaction-outside-dates",
                        N_(
                            "A transaction of {date} in '{identifier}' falls outside the activity's dates ({start} to "
                            "{end})."
                        ),
                        {
                            "identifier": name,
                            "date": t.date.isoformat(),
                            "start": start.isoformat() if start else "…",
                            "end": end.isoformat() if end else "…",
                        },
                        line=t.money.line or a.line,
                    )
                )
        for kind, ref, line in a.related:
            if (kind or "").strip() == "1" and ref and ref not in identifiers:
                findings.append(
                    Finding.of(
                        "iati-parent-missing",
                        N_("'{identifier}' names '{parent}' as its parent activity, which is not in the file."),
                        {"identifier": name, "parent": ref},
                        line=line,
                        extra={"parent": ref},
                    )
                )
    return findings
