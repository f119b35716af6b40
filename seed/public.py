"""Seed an empty store: the shipped public EUTF files become their datasets' version 1.

Above the store (it writes versions) and the validation pipeline (every seeded file takes the
upload's path and checks); called by the app's first start and by the CLI.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import Engine

from etl import catalog
from store.versions import SEED_PUBLISHER, PublishConflict, Store, StoreError, VersionInfo
from validation.pipeline import load_path


def seed_if_empty(
    store: Store,
    path: Path = catalog.ALLOCATIONS_XLSX,
    comment: str = "Seed: the nine EUTF projects of the joint communiqué of 11 Dec 2016",
) -> VersionInfo | None:
    """Publish a file as version 1 when ``store``'s dataset has no version.

    Args:
        store: the dataset's store.
        path: the file (default: the shipped workbook of the Mali dataset).
        comment: the version's comment.

    Returns:
        The new version, or None when the dataset already had one (or another process
        seeded it at the same time).

    Raises:
        StoreError: when the file does not validate (a broken installation).
    """
    if store.latest_number() is not None:
        return None
    result = load_path(path)
    if result.dataset is None:
        raise StoreError(f"{path.name} does not validate:\n" + result.report.text())
    try:
        return store.publish(
            result.dataset.records,
            base=None,
            by=SEED_PUBLISHER,
            file_name=result.filename,
            file_sha256=result.sha256,
            comment=comment,
            n_warnings=len(result.report.warnings),
        )
    except PublishConflict:
        return None


def seed_public_exports(engine: Engine, folder: Path | None = None) -> list[VersionInfo]:
    """Publish the public EUTF exports found in ``folder`` as their datasets' version 1.

    The exports ship in ``data/public`` (sources in ``data/SOURCES.md``); a deployment may
    name a folder of newer files in ``EUTF_PUBLIC_DATA``. A missing file is skipped.

    Returns:
        The versions published (none when every dataset already had one).

    Raises:
        StoreError: when a file is found but does not validate.
    """
    folder = folder or catalog.public_data_dir()
    published = []
    if folder is None:
        return published
    for source in catalog.PUBLIC_EXPORTS:
        path = folder / source.file_name
        if not path.is_file():
            continue
        info = seed_if_empty(Store(engine, source.dataset), path, comment=f"Seed: {source.description}")
        if info is not None:
            published.append(info)
    return published
