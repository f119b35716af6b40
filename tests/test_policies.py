"""The import policies of validation.policies, on tables built in code."""

from __future__ import annotations

import pandas as pd

from validation.policies import kept_twin, twins


def _frame() -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "reference": pd.array(
                ["T05-EUTF-SAH-ML-01", "t05-eutf-sah-ml-01 ", "T05-EUTF-SAH-ML-02", "T05-EUTF-SAH-ML-01"]
            ),
            "record_type": pd.array(["decision", "decision", "decision", "contract"], dtype="string"),
            "title": pd.array([None, "Titre", "Autre", None], dtype="string"),
            "amount_eur": pd.array([1_000_000, 1_000_000, 5, 3], dtype="Int64"),
            "countries": [["ML"], ["ML"], [], []],
        },
        index=pd.Index([2, 3, 4, 5], name="row"),
    )
    return frame


def test_twins_share_record_type_and_reference_ignoring_case_and_spaces():
    frame = _frame()
    assert twins(frame, 2) == [2, 3]
    assert twins(frame, 5) == [5]  # a contract does not twin a decision


def test_kept_twin_is_the_most_complete_then_the_first():
    frame = _frame()
    assert kept_twin(frame, 2) == 3  # row 3 has a title
    frame.loc[2, "title"] = "Titre"
    assert kept_twin(frame, 3) == 2  # as complete: the first
