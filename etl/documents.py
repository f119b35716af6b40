"""Links to each decision's documents (action documents, riders, reports), as the published files give them.

Read from the two files as published (``data/public/published``, ``data/SOURCES.md``): the
projects database's ``ProjectLinks`` and the monitoring export's ``links``, both lists of URLs
separated by commas. The dashboard only shows the links; the user's browser opens them, the
app itself never fetches anything. Only ``http``/``https`` links are kept (a link of any other
scheme is reported, never shown as a link).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pandas as pd

from domain.findings import Finding
from domain.i18n import N_
from etl import catalog
from etl.layouts import parse_reference

#: The files and the columns that hold the links: (file relative to the public data, id column, links column).
SOURCES: tuple[tuple[str, str, str], ...] = (
    (catalog.PUBLIC_EXPORTS[0].file_name, "ProjectID", "ProjectLinks"),
    (catalog.PUBLIC_EXPORTS[1].file_name, "iati_id", "links"),
)
_SPLIT = re.compile(r",\s*(?=\S)")


@dataclass
class Documents:
    """The links read.

    Attributes:
        frame: one row per link: reference (as normalised by :func:`etl.layouts.parse_reference`),
            url, label (the document's file name, decoded, or the link's host), file (the
            file it was read from), row (its row in that file; the header is row 1).
        findings: links that are not web addresses (``document-link-invalid``).
    """

    frame: pd.DataFrame
    findings: list[Finding] = field(default_factory=list)


def label_of(url: str) -> str:
    """What a link is called on the page: its last path segment, decoded, else its host."""
    parts = urlsplit(url)
    name = unquote(parts.path.rstrip("/").rsplit("/", 1)[-1])
    return name or parts.netloc


def read_documents(folder: Path | None = None) -> Documents:
    """Read the document links of the published files found in ``folder`` (default: the shipped public data).

    A file that is absent is skipped. Never raises for bad content.
    """
    folder = folder or catalog.public_data_dir() or catalog.PUBLIC_DATA_DIR
    records, findings = [], []
    for file_name, id_column, links_column in SOURCES:
        path = folder / file_name
        if not path.is_file():
            continue
        reader = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline=""))
        if not reader.fieldnames or id_column not in reader.fieldnames or links_column not in reader.fieldnames:
            continue
        for row, raw in enumerate(reader, start=2):
            reference = parse_reference(raw.get(id_column)).value
            text = (raw.get(links_column) or "").strip()
            if not reference or not text:
                continue
            for url in _SPLIT.split(text):
                url = url.strip().rstrip(",")
                if urlsplit(url).scheme in ("http", "https") and urlsplit(url).netloc:
                    records.append((reference, url, label_of(url), path.name, row))
                    continue
                findings.append(
                    Finding.of(
                        "document-link-invalid",
                        N_("'{value}' is not a web address (http or https); it is not shown as a link."),
                        {"value": url},
                        file=path.name,
                        column=links_column,
                        value=url,
                        row=row,
                    )
                )
    frame = pd.DataFrame.from_records(records, columns=["reference", "url", "label", "file", "row"])
    return Documents(frame.drop_duplicates(["reference", "url"]).reset_index(drop=True), findings)


def of_decision(documents: pd.DataFrame, reference: str) -> pd.DataFrame:
    """The links of one decision (reference matched ignoring case and surrounding spaces), each once, in file order."""
    mine = documents[documents["reference"].str.strip().str.casefold() == reference.strip().casefold()]
    return mine.drop_duplicates("url")
