"""The project page: one EUTF decision, every field with its source, its contracts."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from charts.figures import round_label
from domain import refdata
from domain.dataset import Dataset
from domain.fmt import eur, long_date, pct
from domain.i18n import _, ngettext
from etl.catalog import dataset_title


@dataclass(frozen=True)
class Project:
    """What the project page shows for one reference of a dataset.

    Attributes:
        found: a decision of the dataset has that reference (matched ignoring case and surrounding spaces).
        decision: its row (one-row :class:`validation.schemas.Allocation` frame; empty when not found).
        reference, title: its reference and title (text).
        dataset_title: the dataset's name in ``lang``.
        amount, basis, dialogue: the three headline figures (text: EUR per locale, amount basis, dialogue or "–").
        inferred: the amount is inferred, not read in a source.
        fields: the fields table: columns Field and Value (labelled in ``lang``; text).
        has_contracts: the dataset has contracts (then the contracts section is shown).
        contracts_text: markdown: how many contracts, their amount and share of the budget; "" when none.
        overrun: the warning when the contracts add up to more than the budget, else "".
        contracts: the contracts table (text columns: contract, title, partner, amount, share of the budget).
    """

    found: bool
    decision: pd.DataFrame
    reference: str = ""
    title: str = ""
    dataset_title: str = ""
    amount: str = ""
    basis: str = ""
    dialogue: str = ""
    inferred: bool = False
    fields: pd.DataFrame | None = None
    has_contracts: bool = False
    contracts_text: str = ""
    overrun: str = ""
    contracts: pd.DataFrame | None = None


def _fields(item: pd.Series, lang: str) -> pd.DataFrame:
    fields = [
        (_("EUTF window", lang), f"{item['window']} – {refdata.WINDOWS[item['window']][lang]}"),
        (_("Scope", lang), refdata.SCOPES[item["scope"]][lang]),
        (_("Countries", lang), ", ".join(f"{c} – {refdata.country_name(c, lang)}" for c in item["countries"])),
        (
            _("Strategic objectives", lang),
            "; ".join(f"{o} – {refdata.OBJECTIVES[o][lang]}" for o in item["objectives"])
            or _("not given in the source", lang),
        ),
        (
            _("Valletta domains", lang),
            "; ".join(f"{d} – {refdata.VALLETTA_DOMAINS[d][lang]}" for d in item["valletta_domains"])
            or _("not reported", lang),
        ),
        (_("Theme", lang), item["theme"] if pd.notna(item["theme"]) else "–"),
        (
            _("Approval date", lang),
            long_date(item["approval_date"], lang) if pd.notna(item["approval_date"]) else _("unknown", lang),
        ),
        (
            _("Dialogue round from", lang),
            {"typed": _("the workbook", lang), "derived": _("the approval date", lang)}.get(item["round_basis"], "–"),
        ),
        (
            _("Implementing partner", lang),
            item["implementing_partner"] if pd.notna(item["implementing_partner"]) else "–",
        ),
        (_("Source", lang), item["source"] if pd.notna(item["source"]) else "–"),
    ]
    return pd.DataFrame(fields, columns=[_("Field", lang), _("Value", lang)])


def project(dataset: Dataset, reference: str, name: str, lang: str) -> Project:
    """The project page's model for ``reference`` in ``dataset`` (the whole version: filters do not apply).

    Args:
        dataset: the published dataset.
        reference: the reference asked for (URL ``ref``), matched ignoring case and surrounding spaces.
        name: the dataset's name (shown in ``lang``).
        lang: ``en`` or ``fr``.
    """
    allocations = dataset.allocations
    match = allocations[allocations["reference"].str.casefold() == reference.strip().casefold()]
    if match.empty:
        return Project(found=False, decision=match)
    item = match.iloc[0]
    decision = match
    contracts = dataset.contracts_of({str(item["reference"])})
    budget = int(item["amount_eur"])
    signed = int(contracts["amount_eur"].sum())
    contracts_text = overrun = ""
    if not contracts.empty:
        contracts_text = ngettext(
            "{n} contract, **{signed}**: {share} of the decision's budget of {budget}. Contracts spend a "
            "decision's budget and are never added to it: the totals count the budget only.",
            "{n} contracts, **{signed}**: {share} of the decision's budget of {budget}. Contracts spend a "
            "decision's budget and are never added to it: the totals count the budget only.",
            len(contracts),
            lang,
            signed=eur(signed, lang),
            share=pct(signed, budget, lang),
            budget=eur(budget, lang),
        )
        if signed > budget:
            overrun = _(
                "The contracts add up to {excess} more than the decision's budget: the export's figures disagree "
                "(a top-up missing from the budget, or a contract counted twice). The totals count the budget.",
                lang,
                excess=eur(signed - budget, lang),
            )
    return Project(
        found=True,
        decision=decision,
        reference=str(item["reference"]),
        title=str(item["title"]),
        dataset_title=dataset_title(name, lang),
        amount=eur(item["amount_eur"], lang),
        basis=refdata.AMOUNT_BASES[item["amount_basis"]][lang],
        dialogue=round_label(int(item["dialogue_round"]), lang) if pd.notna(item["dialogue_round"]) else "–",
        inferred=item["amount_basis"] == "inferred",
        fields=_fields(item, lang),
        has_contracts=bool(len(dataset.contracts)),
        contracts_text=contracts_text,
        overrun=overrun,
        contracts=pd.DataFrame(
            {
                _("Contract", lang): contracts["reference"],
                _("Title", lang): contracts["title"],
                _("Implementing partner", lang): contracts["implementing_partner"].fillna("–"),
                _("Amount", lang): [eur(v, lang) for v in contracts["amount_eur"]],
                _("Share of the budget", lang): [pct(int(v), budget, lang) for v in contracts["amount_eur"]],
            }
        ),
    )
