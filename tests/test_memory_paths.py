"""The lighter paths of a million-row ingest and browse (issue 19) give what the plain pandas ones gave.

Each test writes the plain expression these functions used before and compares values and dtypes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.aggregate import by_project
from etl.derive import project_countries, project_objectives
from validation.reconcile import totals
from validation.schemas import _all_in, _reference_part


def _plain_all_in(lists: pd.Series, allowed) -> pd.Series:
    cells = pd.Series(lists.to_numpy(), dtype=object)
    items_ok = cells.explode().isin(list(allowed)).groupby(level=0).all()
    empty = cells.map(len, na_action="ignore").eq(0).fillna(False).astype(bool)
    return pd.Series((items_ok | empty | cells.isna()).to_numpy(), index=lists.index)


REFERENCES = ["T05-EUTF-SAH-ML-01", " t05-eutf-hoa-et-02 ", None, "X", "T05-EUTF-SAH-REG-04"]


def _table() -> pd.DataFrame:
    ml, none = ["ML"], []
    return pd.DataFrame(
        {
            "reference": pd.array(
                ["T05-EUTF-SAH-ML-01", " t05-eutf-hoa-et-02 ", None, "X", "T05-EUTF-SAH-REG-04"], dtype="string"
            ),
            "title": pd.array(["a", "b", "c", "d", "e"], dtype="string"),
            "scope": pd.array(["national", "national", None, "regional", "regional"], dtype="string"),
            "countries": [ml, ["ET"], ml, none, ["ML", "NE", "XX"]],
            "objectives": [[1, 2], [4], [], [2], [1, 2, 3]],
            "amount_eur": pd.array([10, 7, None, 3, 20], dtype="Int64"),
            "amount_basis": pd.array(["sourced", "inferred", "sourced", "sourced", "inferred"], dtype="string"),
            "dialogue_round": pd.array([1, None, 2, None, 3], dtype="Int64"),
        },
        index=pd.Index([7, 3, 11, 12, 20], name="row"),
    )


def test_all_in_checks_each_list_object_once_with_the_same_result():
    shared = ["ML", "NE"]
    lists = pd.Series(
        [shared, [], ["XX"], shared, np.nan, None, ["ML", None], ["ML", "NE"], [True], ["ML", 1.0]],
        index=range(100, 110),
        dtype=object,
    )
    for allowed in ({"ML", "NE"}, {1, 2}, set()):
        got = _all_in(lists, allowed)
        pd.testing.assert_series_equal(got, _plain_all_in(lists, allowed))
    assert _all_in(lists, {"ML", "NE"}).tolist() == [True, True, False, True, True, True, False, True, False, False]
    assert _all_in(pd.Series([], dtype=object), {"ML"}).empty


def test_reference_part_by_slices_is_one_extract(monkeypatch):
    from validation import schemas

    references = pd.Series(
        pd.array(REFERENCES * 7, dtype="string"),
        index=range(3, 38),
    )
    pattern = r"^T\d{2}-EUTF-[A-Z]{3}-([A-Z]{2})-"
    plain = references.str.strip().str.upper().str.extract(pattern, expand=False)
    monkeypatch.setattr(schemas, "CHECK_SLICE", 4)
    pd.testing.assert_series_equal(_reference_part(references, pattern), plain)
    assert _reference_part(references, pattern).tolist()[:5] == ["ML", "ET", pd.NA, pd.NA, pd.NA]


def test_totals_mask_the_amounts_only():
    table = _table()
    assert totals(table) == {"all": (5, 40), "national": (2, 17), "regional": (2, 23)}
    for scope in ("national", "regional"):
        part = table[table["scope"] == scope]
        assert totals(table)[scope] == (len(part), int(part["amount_eur"].sum()))
    assert totals(table.iloc[0:0]) == {"all": (0, 0), "national": (0, 0), "regional": (0, 0)}


def test_long_tables_take_the_references_by_position():
    table = _table().dropna(subset=["reference"])
    plain = pd.DataFrame(
        {
            "reference": table["reference"].to_numpy(),
            "country": table["countries"].to_numpy(),
            "n_countries": table["countries"].map(len).to_numpy(),
        }
    ).explode("country", ignore_index=True)
    plain = plain[plain["country"].notna()].reset_index(drop=True)
    plain = plain.astype({"reference": "string", "country": "string", "n_countries": "int64"})
    pd.testing.assert_frame_equal(project_countries(table), plain)
    objectives = project_objectives(table)
    assert str(objectives["reference"].dtype) == "string"
    assert objectives["reference"].tolist() == [table["reference"].iloc[i] for i in (0, 0, 1, 2, 3, 3, 3)]
    assert int(objectives["amount_share_eur"].sum()) == int(table["amount_eur"].sum())


def test_by_project_shares_the_joined_countries():
    table = _table().fillna({"amount_eur": 0})
    got = by_project(table)
    plain = table[["reference", "title", "scope", "amount_eur", "amount_basis", "dialogue_round"]].copy()
    plain["countries"] = table["countries"].map(";".join)
    plain = plain.sort_values(["amount_eur", "reference"], ascending=[False, True]).reset_index(drop=True)
    pd.testing.assert_frame_equal(got, plain)
    assert got["countries"].tolist() == ["ML;NE;XX", "ML", "ET", "", "ML"]


def _plain_listed_codes(allocations: pd.DataFrame, sectors: pd.DataFrame) -> list[str]:
    from domain.refdata import reference_key

    dac = sectors[(sectors["vocabulary"] == "1") & (sectors["record_type"] == "decision")]
    keys = set(reference_key(allocations["reference"]).dropna())
    listed = reference_key(dac["reference"]).isin(keys).fillna(False).to_numpy(dtype=bool)
    return sorted(set(dac["code"][listed].dropna()))


def test_listed_codes_match_the_decisions_from_the_sectors_side():
    from analysis.sectors import DAC_5, listed_codes
    from domain.dataset import no_sectors

    assert DAC_5 == "1"
    table = _table()
    sectors = pd.DataFrame(
        {
            "line": pd.array([1, 2, 3, 4, 5, 6], dtype="Int64"),
            "reference": pd.array(
                ["t05-eutf-sah-ml-01", "T05-EUTF-HOA-ET-02", None, "T05-EUTF-SAH-ML-01", "ZZ", "X "], dtype="string"
            ),
            "record_type": pd.array(
                ["decision", "decision", "decision", "contract", "decision", "decision"], dtype="string"
            ),
            "vocabulary": pd.array(["1", "1", "1", "1", "1", "2"], dtype="string"),
            "code": pd.array(["15110", "11220", "99999", "12220", "13010", "151"], dtype="string"),
            "percentage": pd.Series([None] * 6, dtype="object"),
        }
    )
    assert listed_codes(table, sectors) == _plain_listed_codes(table, sectors) == ["11220", "15110"]
    assert listed_codes(table, no_sectors()) == _plain_listed_codes(table, no_sectors()) == []
    assert listed_codes(table.iloc[0:0], sectors) == _plain_listed_codes(table.iloc[0:0], sectors) == []
