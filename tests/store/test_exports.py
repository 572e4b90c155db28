"""Exports of a store: tables, jsonl, failures, and the three annotation-tool formats, with
every span checked against its text."""

import json
import re

import duckdb
import pytest

from spinscope.errors import ConfigError, IngestError
from spinscope.interchange.brat import brat_fragments, brat_label, label_from_brat
from spinscope.interchange.inception import TECHNIQUE_TYPE
from spinscope.model.document import AnalysisResult, Document
from spinscope.model.taxonomy import LABELS
from spinscope.store.exports import export

from .conftest import SOURCES, SPANS, TEXTS


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_tables_have_one_row_per_finding_with_document_fields(store, tmp_path, fmt):
    out = tmp_path / f"f.{fmt}"
    assert export(store, fmt, out) == 2 * len(SPANS)
    reader = "read_parquet" if fmt == "parquet" else "read_csv"
    rows = duckdb.sql(f"SELECT * FROM {reader}('{out}')")
    assert rows.columns[:5] == ["doc_id", "title", "url", "outlet", "published"]
    texts = {r.doc.id: r.doc.text for r in store.results()}
    for row in rows.fetchall():
        record = dict(zip(rows.columns, row, strict=True))
        assert texts[record["doc_id"]][record["start"] : record["end"]] == record["text"]
        assert record["outlet"] == "news.example" and record["origin"] == "machine"
        assert str(record["published"]).startswith("2024-03-0")


def test_jsonl_is_one_stored_result_a_line(store, tmp_path):
    out = tmp_path / "r.jsonl"
    assert export(store, "jsonl", out) == len(TEXTS)
    lines = out.read_text(encoding="utf-8").splitlines()
    results = [AnalysisResult.from_dict(json.loads(line)) for line in lines]
    assert sorted(r.doc.text for r in results) == sorted(TEXTS)
    for r in results:
        r.check_offsets()


def test_failures_are_a_csv(store, tmp_path):
    out = tmp_path / "fail.csv"
    assert export(store, "failures", out) == 1
    header, row = out.read_text().splitlines()
    assert header == '"run_id","source","item","stage","reason",failed_at'  # strings quoted
    assert ',"feed.jsonl","item 3","ingest","not UTF-8",' in row


def test_unknown_format_or_taxonomy_is_a_clear_error(store, tmp_path):
    with pytest.raises(ConfigError, match="Unknown export format 'xml'. Available: parquet"):
        export(store, "xml", tmp_path / "x")
    with pytest.raises(ConfigError, match="Unknown taxonomy 'ptc'"):
        export(store, "brat", tmp_path / "x", taxonomy="ptc")


@pytest.mark.parametrize("taxonomy", ["semeval2023", "ptc2020"])
def test_label_studio_tasks_point_at_their_text(store, tmp_path, taxonomy):
    out = tmp_path / "tasks.json"
    assert export(store, "label-studio", out, taxonomy=taxonomy) == len(TEXTS)
    tasks = json.loads(out.read_text(encoding="utf-8"))
    regions = 0
    for task in tasks:
        assert task["data"]["taxonomy"] == taxonomy and task["meta"]["url"]
        (pred,) = task["predictions"]
        assert pred["model_version"] == "tiny-tagger t1"
        for r in pred["result"]:
            v = r["value"]
            assert task["data"]["text"][v["start"] : v["end"]] == v["text"]
            assert v["labels"][0] in LABELS[taxonomy]
            regions += 1
    assert regions == len(SPANS)
    config = (tmp_path / "tasks.label-config.xml").read_text()
    assert '<Label value="Bandwagon,Reductio_ad_hitlerum"/>' in config or taxonomy != "ptc2020"
    assert config.count("<Label ") == len(LABELS[taxonomy])


def test_brat_files_are_exact_and_cut_at_line_breaks(store, tmp_path):
    assert export(store, "brat", tmp_path, taxonomy="ptc2020") == len(TEXTS)
    for txt in tmp_path.glob("*.txt"):
        text = txt.read_bytes().decode("utf-8")
        assert text in TEXTS  # no newline translation
        for line in txt.with_suffix(".ann").read_text(encoding="utf-8").splitlines():
            tid, where, quoted = line.split("\t")
            label, frags = where.split(" ", 1)
            pieces = [text[int(a) : int(b)] for a, b in (f.split() for f in frags.split(";"))]
            assert " ".join(pieces) == quoted
            assert all("\n" not in p and "\r" not in p for p in pieces)
            assert re.fullmatch(r"[A-Za-z0-9_.-]+", label)
    ann = "".join(p.read_text(encoding="utf-8") for p in tmp_path.glob("*.ann"))
    assert "Name_Calling.2CLabeling" in ann and "Doubt 0 20;22 32\t" in ann
    conf = (tmp_path / "annotation.conf").read_text()
    assert "# spinscope taxonomy: ptc2020" in conf and "Bandwagon.2CReductio_ad_hitlerum" in conf
    assert (
        "Bandwagon.2CReductio_ad_hitlerum | Bandwagon,Reductio_ad_hitlerum"
        in (tmp_path / "visual.conf").read_text()
    )


@pytest.mark.parametrize(
    "label", ["Loaded Language", "a,b.c|d:e", "Ünïcode label", *LABELS["ptc2020"]]
)
def test_brat_labels_map_back_exactly(label):
    name = brat_label(label)
    assert " " not in name and "," not in name and label_from_brat(name) == label


def test_brat_fragments_skip_every_kind_of_line_break():
    text = "ab\r\ncd\u2028ef"
    assert brat_fragments(text, 0, len(text)) == [(0, 2), (4, 6), (7, 9)]
    assert brat_fragments(text, 1, 2) == [(1, 2)]


def test_inception_xmi_counts_utf16_units_and_cassis_gives_code_points(store, tmp_path):
    from cassis import load_cas_from_xmi, load_typesystem

    export(store, "inception", tmp_path)
    ts = load_typesystem(tmp_path / "TypeSystem.xml")
    doc_id = next(r.doc.id for r in store.results() if r.doc.text == TEXTS[0])
    xmi = (tmp_path / f"{doc_id}.xmi").read_text(encoding="utf-8")
    cp = TEXTS[0].index("traitors")
    assert f'begin="{cp + 1}"' in xmi  # the emoji before it is two UTF-16 units
    cas = load_cas_from_xmi(xmi, typesystem=ts)
    found = list(cas.select(TECHNIQUE_TYPE))
    assert len(found) == 3 and cas.sofa_string == TEXTS[0]
    for a in found:
        assert TEXTS[0][a.begin : a.end] == a.get_covered_text()
        assert a.get("origin") == "machine" and a.get("confidence") == 0.75
    assert {a.get_covered_text() for a in found} == {s[1] for s in SPANS if s[0] == 0}


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_tables_have_a_source_column(store, tmp_path, fmt):
    out = tmp_path / f"f.{fmt}"
    export(store, fmt, out)
    reader = "read_parquet" if fmt == "parquet" else "read_csv"
    rows = duckdb.sql(f"SELECT DISTINCT source FROM {reader}('{out}')").fetchall()
    assert {r[0] for r in rows} == {s for s in SOURCES}


def test_brat_files_are_named_by_source_safely_and_uniquely(store, tmp_path):
    export(store, "brat", tmp_path, taxonomy="ptc2020")
    names = sorted(p.stem for p in tmp_path.glob("*.txt"))
    # the third document has no source: its URL https://news.example/2 names it
    assert names == sorted(["Tax_row_day_1", "Tax_row_day_1-2", "news.example-2"])
    assert sorted(p.stem for p in tmp_path.glob("*.ann")) == names
    by_name = {p.stem: p.read_text(encoding="utf-8") for p in tmp_path.glob("*.txt")}
    assert by_name["Tax_row_day_1"] == TEXTS[0] and by_name["Tax_row_day_1-2"] == TEXTS[1]


@pytest.mark.parametrize("fmt", ["brat", "inception"])
def test_an_export_does_not_write_over_corrected_annotations(store, tmp_path, fmt):
    # annotators correct brat's .ann files (or INCEpTION's XMI) in place: exporting into that
    # folder again wrote the machine's spans over their work, without a word
    out = tmp_path / "ann"
    export(store, fmt, out, taxonomy="ptc2020")
    assert export(store, fmt, out, taxonomy="ptc2020") == len(TEXTS)  # the same files: fine
    edited = sorted(out.glob("*.ann" if fmt == "brat" else "*.xmi"))[0]
    data = edited.read_text(encoding="utf-8")
    if fmt == "brat":
        data = data.replace("T1\t", "T1\tDoubt 0 4\tsome\nT9\t", 1)
    else:
        data = data.replace('origin="machine"', 'origin="human"', 1)
    edited.write_text(data, encoding="utf-8")
    with pytest.raises(ConfigError, match=rf"\({edited.name}\); they may hold corrections"):
        export(store, fmt, out, taxonomy="ptc2020")
    assert edited.read_text(encoding="utf-8") == data


def test_a_brat_folder_whose_corrections_were_imported_takes_the_next_export(store, tmp_path):
    """export -> correct in brat -> import -> export into the same collection (after a batch,
    say): the .ann files hold the imported spans, only numbered and ordered otherwise, and were
    refused as corrections the export would lose."""
    from spinscope.interchange.annotated import read_annotations
    from spinscope.store.annotations import store_human_findings

    out = tmp_path / "ann"
    export(store, "brat", out, taxonomy="ptc2020")
    edited = sorted(out.glob("*.ann"))[0]
    lines = edited.read_text(encoding="utf-8").splitlines()
    first = lines[0].split("\t")
    first[1] = "Doubt " + first[1].split(" ", 1)[1]  # one label corrected, the rest renumbered
    lines = ["\t".join(["T7", *first[1:]])] + [f"T{k}\t" + x.split("\t", 1)[1]
                                                 for k, x in enumerate(lines[1:], 8)]  # fmt: skip
    edited.write_text("\n".join(reversed(lines)) + "\n", encoding="utf-8")
    store_human_findings(store, read_annotations(out, "brat"), analyzer="brat")
    assert export(store, "brat", out, taxonomy="ptc2020") == len(TEXTS)
    assert "\tDoubt " in edited.read_text(encoding="utf-8").splitlines()[0]
    # a note beside the same spans is something people wrote: kept
    edited.write_text(edited.read_text(encoding="utf-8") + "#1\tAnnotatorNotes T1\tcheck\n")
    with pytest.raises(ConfigError, match=rf"\({edited.name}\); they may hold corrections"):
        export(store, "brat", out, taxonomy="ptc2020")


@pytest.mark.parametrize("fmt", ["csv", "parquet", "jsonl", "label-studio", "failures", "brat"])
def test_export_into_a_missing_folder_is_refused(store, tmp_path, fmt):
    out = tmp_path / "no" / "such" / "x.csv"
    with pytest.raises(ConfigError, match=r"the folder .*such does not exist; create it first"):
        export(store, fmt, out)
    assert not (tmp_path / "no").exists()


def test_the_export_command_refuses_a_missing_folder_in_one_line(store_path, tmp_path, capsys):
    from spinscope.cli.main import main

    out = tmp_path / "nonexistent" / "dir" / "x.csv"
    code = main(["export", "--store", str(store_path), "--format", "csv", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 1 and err.count("\n") == 1, err
    assert "does not exist; create it first or give another --out" in err
    assert not (tmp_path / "nonexistent").exists()


def test_an_export_to_dash_is_refused_not_written_to_a_file_named_dash(
    store_path, tmp_path, capsys, monkeypatch
):
    # `--out -` (standard output, as `analyze --json -`) wrote a file named "-" in the current
    # folder and said "exported 6 rows as csv to -"
    from spinscope.cli.main import main

    monkeypatch.chdir(tmp_path)
    code = main(["export", "--store", str(store_path), "--format", "csv", "--out", "-"])
    err = capsys.readouterr().err
    assert code == 1 and err.count("\n") == 1, err
    assert "exports are files, not standard output; give a file name" in err
    assert not (tmp_path / "-").exists()


def test_inception_leaves_out_a_text_xml_cannot_hold_and_writes_the_rest(store, tmp_path):
    # a text with an ESC or a BEL (kept as read) was a ValueError traceback from lxml, with
    # the folder left without its TypeSystem.xml
    odd = AnalysisResult(Document("Colour \x1b[31mred\x1b[0m and a bell \x07 here."), [])
    store.write([odd])
    out = tmp_path / "xmi"
    with pytest.raises(IngestError, match=rf"Wrote 3 documents to {out}, but left out 1 whose"):
        export(store, "inception", out)
    assert len(list(out.glob("*.xmi"))) == 3 and (out / "TypeSystem.xml").exists()
    assert not (out / f"{odd.doc.id}.xmi").exists()
