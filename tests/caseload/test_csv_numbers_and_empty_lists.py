"""CSV caseloads read a money amount as a number, and a row with every event column empty as a
case with no events (a compliment), so a CSV export holds what a JSON Lines file holds."""

from __future__ import annotations

from redress.caseload.csv_cases import case_from_row


def test_an_amount_is_a_number() -> None:
    case = case_from_row({"id": "A", "remedies[0].kind": "payment", "remedies[0].amount": "150",
                          "remedies[1].kind": "payment", "remedies[1].amount": "99.50"})
    assert case["remedies"] == [{"kind": "payment", "amount": 150},
                                {"kind": "payment", "amount": 99.5}]


def test_an_amount_that_is_not_a_number_stays_text_for_validation_to_report() -> None:
    assert case_from_row({"remedies[0].amount": "£150"})["remedies"] == [{"amount": "£150"}]


def test_a_row_with_every_event_column_empty_has_no_events() -> None:
    case = case_from_row({"id": "COMP-1", "record": "compliment", "events[0].date": "",
                          "events[0].type": "", "remedies[0].kind": ""})
    assert case == {"id": "COMP-1", "record": "compliment", "events": []}


def test_a_file_without_event_columns_adds_none() -> None:
    assert case_from_row({"id": "X"}) == {"id": "X"}
