"""CSV caseloads: every row gets exactly one record, a bad row never takes or shows other rows,
and a case with no events yet can be written."""

from __future__ import annotations

import io
import json
from pathlib import Path

from caseloads import read_lines

from redress.caseload.csv_rows import EXCERPT_CHARS, MAX_CELL_CHARS, MAX_ROW_BYTES
from redress.caseload.raw import RawRecord
from redress.caseload.sources import read_inputs
from redress.cli import main

HEADER = "id,received,nation,service,events[0].date,events[0].type,events[0].note\n"


def row(case_id: str, note: str = "") -> str:
    return f"{case_id},2025-03-03,england,nhs,2025-03-05,acknowledged,{note}\n"


def records(tmp_path: Path, text: str | bytes) -> list[RawRecord]:
    sheet = tmp_path / "cases.csv"
    sheet.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return list(read_inputs([str(sheet)]))


def shape(found: list[RawRecord]) -> list[tuple[int | None, str, str | None]]:
    """(first line, kind, case id) per record."""
    return [(r.ref.line, r.kind, r.payload.get("id") if r.kind == "csv" else None)
            for r in found]


def messages(found: list[RawRecord]) -> list[str]:
    return [f.message for r in found if r.kind == "problem" for f in r.payload]


def test_an_unclosed_quote_costs_its_own_row_only_and_shows_no_other_row(tmp_path: Path) -> None:
    # Before: the quote swallowed every later row (2 records from 5 rows), and the swallowed
    # rows — other complainants' data — appeared inside one error record's case_id.
    text = HEADER + row("A") + '"B-SECRET' + row("")[1:] + row("C-SECRET") + row("D-SECRET") \
        + row("E")
    found = records(tmp_path, text)
    assert shape(found) == [(2, "csv", "A"), (3, "problem", None), (4, "csv", "C-SECRET"),
                            (5, "csv", "D-SECRET"), (6, "csv", "E")]
    [message] = messages(found)
    assert "line 3: a quoted cell that starts on this line is not closed properly" in message
    assert "the file ends first" in message
    assert "C-SECRET" not in message and "D-SECRET" not in message
    excerpt = message.split("the row begins ", 1)[1]
    assert len(excerpt) <= EXCERPT_CHARS + 2  # the quotes around it


def test_the_command_gives_one_record_per_row_and_no_leak(tmp_path: Path) -> None:
    sheet = tmp_path / "cases.csv"
    sheet.write_text(HEADER + row("A") + '"B' + row("")[1:] + row("C-SECRET") + row("D"),
                     encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["batch", str(sheet), "-o", str(out), "--as-of", "2025-05-01"]) == 1
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["input"]["line"] for line in lines] == [2, 3, 4, 5]
    error = json.loads(lines[1])
    assert error["case_id"] is None and error["error"]["kind"] == "unreadable"
    assert "C-SECRET" not in lines[1]


def test_a_quote_that_closes_on_a_later_row_is_caught_and_reading_resumes(
        tmp_path: Path) -> None:
    # The runaway quote meets the quoted note of row C: the joined "row" would be rows B and C
    # merged.  The closing quote is followed by text, so the row is B's line alone.
    text = HEADER + '"B' + row("")[1:] + row("C", '"a note"') + row("D")
    found = records(tmp_path, text)
    assert shape(found) == [(2, "problem", None), (3, "csv", "C"), (4, "csv", "D")]
    assert found[1].payload["events[0].note"] == "a note"


def test_a_quoted_cell_may_hold_line_breaks(tmp_path: Path) -> None:
    text = HEADER + row("A", '"first line\nsecond line, with a comma"') + row("B")
    found = records(tmp_path, text)
    assert shape(found) == [(2, "csv", "A"), (4, "csv", "B")]
    assert found[0].payload["events[0].note"] == "first line\nsecond line, with a comma"


def test_joined_lines_that_do_not_make_a_row_of_the_header_shape_are_a_runaway(
        tmp_path: Path) -> None:
    # Each of these closes its quote on a later line, as a runaway quote could by chance: too
    # many cells, too few, or a line break in the id column.
    for text in (HEADER + row("A", '"x') + row("B", 'y",z'),
                 HEADER + 'A,"2025-03-03,england\n' + row("B", 'y"'),
                 HEADER + '"A\n' + row("B").replace("\n", '"\n')):
        found = records(tmp_path, text + row("C"))
        assert shape(found)[0][:2] == (2, "problem")
        assert shape(found)[-1] == (4, "csv", "C")
        assert "B," not in messages(found)[0]


def test_a_field_over_the_limit_or_a_latin1_byte_costs_one_row(tmp_path: Path) -> None:
    # Before: either ended the whole run with exit 2 ("near line 1").
    text = (HEADER + row("A") + row("B", "x" * (MAX_CELL_CHARS + 1)) + row("C")).encode() \
        + row("D", "caf\xe9").encode("latin-1") + row("E").encode()
    found = records(tmp_path, text)
    assert shape(found) == [(2, "csv", "A"), (3, "problem", None), (4, "csv", "C"),
                            (5, "problem", None), (6, "csv", "E")]
    too_long, latin1 = messages(found)
    assert f"longer than {MAX_CELL_CHARS:,} characters" in too_long
    assert 'begins "B,2025-03-03,england,nhs,2025-03-05,ack…"' in too_long
    assert "not UTF-8 text (byte 53)" in latin1


def test_a_line_over_the_row_limit_costs_one_row(tmp_path: Path) -> None:
    text = HEADER + row("A", "y" * (MAX_ROW_BYTES + 10)) + row("B")
    found = records(tmp_path, text)
    assert shape(found) == [(2, "problem", None), (3, "csv", "B")]


def test_byte_order_mark_blank_lines_and_crlf(tmp_path: Path) -> None:
    text = b"\xef\xbb\xbf" + (HEADER + "\n" + row("A") + "   \n" + row("B")).replace(
        "\n", "\r\n").encode()
    found = records(tmp_path, text)
    assert shape(found) == [(3, "csv", "A"), (5, "csv", "B")]
    assert found[0].payload["events[0].note"] == ""


def test_each_row_has_a_digest_of_the_header_and_its_own_bytes(tmp_path: Path) -> None:
    one = records(tmp_path, HEADER + row("A") + row("B"))
    two = records(tmp_path, HEADER + row("A") + row("B-changed"))
    other_header = records(tmp_path, HEADER.replace("note", "body") + row("A") + row("B"))
    assert one[0].sha256 == two[0].sha256 != other_header[0].sha256
    assert one[1].sha256 != two[1].sha256


def test_a_case_with_no_events_yet_is_an_empty_cell_or_an_empty_list(tmp_path: Path) -> None:
    sheet = tmp_path / "cases.csv"
    sheet.write_text("id,received,nation,service,events\n"
                     "EMPTY,2025-03-03,england,nhs,\n"
                     "LIST,2025-03-03,england,nhs,[]\n", encoding="utf-8")
    numbered = tmp_path / "numbered.csv"
    numbered.write_text(HEADER + "NONE,2025-03-03,england,nhs,,,\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["batch", str(sheet), str(numbered), "-o", str(out),
                 "--as-of", "2025-03-04"]) == 0
    found = read_lines(out)
    assert [r["case_id"] for r in found] == ["EMPTY", "LIST", "NONE"]
    assert {r["status"] for r in found} == {"awaiting_acknowledgement"}


def test_the_reader_reads_rows_lazily(tmp_path: Path) -> None:
    stream = io.BytesIO((HEADER + row("A") * 3).encode())
    from redress.caseload.csv_rows import csv_records

    first = next(csv_records(stream, "x.csv"))
    assert first.ref.line == 2 and stream.tell() < len(stream.getvalue())
