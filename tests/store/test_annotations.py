"""Corrected annotations read back from each tool, written as PTC training data and stored as
human findings; bad input fails with one clear message."""

import json
import shutil
import zipfile

import pytest

from spinscope.cli.main import main
from spinscope.corpora.ptc import add_semeval23_layer, load_ptc
from spinscope.errors import IngestError, StoreError
from spinscope.interchange.annotated import read_annotations
from spinscope.interchange.ptc import SE23_TO_PTC, split_dev, write_training_folder
from spinscope.store import Store
from spinscope.store.annotations import store_human_findings
from spinscope.store.exports import export

from .conftest import SPANS, TEXTS

COLUMN = {"ptc2020": 2, "semeval2023": 3}


def expected(taxonomy: str) -> set[tuple[str, str, str]]:
    """(text, quoted span, label) of every fixture span in a taxonomy."""
    return {(TEXTS[s[0]], s[1], s[COLUMN[taxonomy]]) for s in SPANS}


def spans_of(docs) -> set[tuple[str, str, str]]:
    out = set()
    for d in docs:
        for s in d.spans:
            out.add((d.text, d.text[s.start : s.end], s.label))
    return out


def human_label_studio(tmp_path, store, taxonomy="semeval2023"):
    """An LS export where a person accepted every prediction (and cancelled one other try)."""
    out = tmp_path / "tasks.json"
    export(store, "label-studio", out, taxonomy=taxonomy)
    tasks = json.loads(out.read_text(encoding="utf-8"))
    for k, task in enumerate(tasks):
        task["id"] = k + 1
        result = task["predictions"][0]["result"]
        task["annotations"] = [
            {"id": 1, "result": result, "updated_at": "2024-05-01T10:00:00Z"},
            {"id": 2, "result": [], "was_cancelled": True, "updated_at": "2024-06-01T10:00:00Z"},
        ]
    out.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    return out


def test_label_studio_round_trip_takes_annotations_not_predictions(store, tmp_path):
    path = human_label_studio(tmp_path, store)
    docs = read_annotations(path, "label-studio")
    assert {d.taxonomy for d in docs} == {"semeval2023"} and len(docs) == len(TEXTS)
    assert spans_of(docs) == expected("semeval2023")
    tasks = json.loads(path.read_text(encoding="utf-8"))
    for task in tasks:
        task["annotations"] = []  # predictions alone are no human judgement
    path.write_text(json.dumps(tasks), encoding="utf-8")
    assert read_annotations(path, "label-studio") == []


def test_label_studio_offsets_in_utf16_units_are_converted(tmp_path):
    text = "Hey \U0001f642 traitors!"
    region = {"type": "labels", "from_name": "label", "to_name": "text",
              "value": {"start": 7, "end": 15, "text": "traitors",
                        "labels": ["Name_Calling-Labeling"]}}  # fmt: skip
    path = tmp_path / "ls.json"
    path.write_text(json.dumps([{"data": {"text": text}, "annotations": [{"result": [region]}]}]))
    (doc,) = read_annotations(path, "label-studio")
    (span,) = doc.spans
    assert text[span.start : span.end] == "traitors" and (span.start, span.end) == (6, 14)


@pytest.mark.parametrize("taxonomy", ["ptc2020", "semeval2023"])
def test_brat_round_trip_joins_fragments_across_line_breaks(store, tmp_path, taxonomy):
    export(store, "brat", tmp_path / "brat", taxonomy=taxonomy)
    docs = read_annotations(tmp_path / "brat", "brat")
    assert {d.taxonomy for d in docs} == {taxonomy}
    assert spans_of(docs) == expected(taxonomy)


def test_brat_without_the_taxonomy_note_infers_it_from_the_labels(store, tmp_path):
    export(store, "brat", tmp_path, taxonomy="ptc2020")
    (tmp_path / "annotation.conf").unlink()
    assert {d.taxonomy for d in read_annotations(tmp_path, "brat")} == {"ptc2020"}


@pytest.mark.parametrize("as_zip", [False, True])
def test_inception_round_trip_from_a_folder_or_a_zip(store, tmp_path, as_zip):
    folder = tmp_path / "xmi"
    export(store, "inception", folder, taxonomy="ptc2020")
    source = folder
    if as_zip:
        source = tmp_path / "project.zip"
        with zipfile.ZipFile(source, "w") as zf:
            for path in folder.iterdir():
                zf.write(path, f"annotation/{path.name}")
    docs = read_annotations(source, "inception")
    assert {d.taxonomy for d in docs} == {"ptc2020"}
    assert spans_of(docs) == expected("ptc2020")


def test_unknown_label_names_the_label_and_the_file(store, tmp_path):
    export(store, "brat", tmp_path, taxonomy="ptc2020")
    ann = sorted(tmp_path.glob("*.ann"))[0]
    ann.write_text("T1\tMade_Up 0 3\tBre\n", encoding="utf-8")
    with pytest.raises(IngestError, match=rf"Unknown label 'Made_Up' in {ann} line 1: not a ptc"):
        read_annotations(tmp_path, "brat")
    ls = human_label_studio(tmp_path, store)
    ls.write_text(ls.read_text().replace('"Slogans"', '"Slogan"'))
    with pytest.raises(IngestError, match=rf"Unknown label 'Slogan' in {ls} task \d"):
        read_annotations(ls, "label-studio")


def test_bad_sources_fail_with_one_clear_line(tmp_path):
    bad = tmp_path / "ls.json"
    bad.write_text("<html>not json</html>")
    with pytest.raises(IngestError, match="is not a Label Studio JSON export"):
        read_annotations(bad, "label-studio")
    bad.write_text('{"tasks": 1}')
    with pytest.raises(IngestError, match="expected a list of tasks"):
        read_annotations(bad, "label-studio")
    (tmp_path / "a.txt").write_text("some text")
    (tmp_path / "a.ann").write_text("T1\tDoubt 0 4\tsome\nT2\tDoubt zero 4\tsome\n")
    with pytest.raises(IngestError, match=r"a\.ann line 2: malformed brat annotation"):
        read_annotations(tmp_path, "brat")
    (tmp_path / "a.ann").write_text("T1\tDoubt 0 40\tsome\n")
    with pytest.raises(IngestError, match=r"Span 0-40 in .*a\.ann line 1 lies outside its text"):
        read_annotations(tmp_path, "brat")
    with pytest.raises(IngestError, match="No .xmi files"):
        read_annotations(tmp_path, "inception")
    with pytest.raises(IngestError, match="does not exist"):
        read_annotations(tmp_path / "nothing", "brat")


def test_training_folder_is_read_by_load_ptc(store, tmp_path):
    export(store, "brat", tmp_path / "brat", taxonomy="ptc2020")
    docs = read_annotations(tmp_path / "brat", "brat")
    counts = write_training_folder(docs, tmp_path / "train")
    assert (counts["train"], counts["dev"], counts["semeval23"]) == (2, 1, None)
    articles = load_ptc(tmp_path / "train", "train") + load_ptc(tmp_path / "train", "dev")
    found = {
        (a.text, a.text[s.start : s.end], s.label) for a in articles for s in a.spans["ptc2020"]
    }
    assert found == expected("ptc2020") and sorted(a.text for a in articles) == sorted(TEXTS)
    # an import into the same folder replaces it; another folder is refused
    assert write_training_folder(docs[:2], tmp_path / "train")["train"] == 1
    assert len(load_ptc(tmp_path / "train", "train") + load_ptc(tmp_path / "train", "dev")) == 2
    with pytest.raises(IngestError, match="not empty and not an earlier import"):
        write_training_folder(docs, tmp_path / "brat")


def test_semeval2023_labels_become_ptc_names_and_keep_their_own_layer(store, tmp_path):
    docs = read_annotations(human_label_studio(tmp_path, store), "label-studio")
    counts = write_training_folder(docs, tmp_path / "train")
    arts = load_ptc(tmp_path / "train", "train") + load_ptc(tmp_path / "train", "dev")
    found = {(a.text, a.text[s.start : s.end], s.label) for a in arts for s in a.spans["ptc2020"]}
    assert found == {(t, q, SE23_TO_PTC[lab]) for t, q, lab in expected("semeval2023")}
    add_semeval23_layer(arts, counts["semeval23"])
    se23 = {
        (a.text, a.text[s.start : s.end], s.label) for a in arts for s in a.spans["semeval2023"]
    }
    assert se23 == expected("semeval2023")


def test_split_is_deterministic_and_a_fifth():
    ids = [f"{k:016x}" for k in range(50)]
    assert split_dev(ids) == split_dev(reversed(ids)) and len(split_dev(ids)) == 10
    assert split_dev(["a"]) == set() and len(split_dev(["a", "b"])) == 1


def test_human_findings_replace_per_taxonomy_on_reimport_and_keep_machine_rows(store, tmp_path):
    docs = read_annotations(human_label_studio(tmp_path, store), "label-studio")
    machine = store.count("findings")
    for _ in range(2):
        assert store_human_findings(store, docs, analyzer="label-studio") == (3, [])
    export(store, "brat", tmp_path / "brat", taxonomy="ptc2020")
    ptc = read_annotations(tmp_path / "brat", "brat")
    assert store_human_findings(store, ptc, analyzer="brat") == (3, [])
    rows = store.query("SELECT origin, taxonomy, count(*) FROM findings GROUP BY ALL ORDER BY ALL")
    n = len(SPANS)
    assert machine == 2 * n and rows == [
        ("human", "ptc2020", n),
        ("human", "semeval2023", n),
        ("machine", "ptc2020", n),
        ("machine", "semeval2023", n),
    ]
    bad = store.query('SELECT count(*) FROM findings f JOIN documents d USING (doc_id) '
                      'WHERE substr(d.text, f.start + 1, f."end" - f.start) <> f.text')  # fmt: skip
    assert bad == [(0,)]
    # human rows now lead the next export
    export(store, "label-studio", tmp_path / "again.json")
    again = json.loads((tmp_path / "again.json").read_text(encoding="utf-8"))
    assert all(len(t["annotations"][0]["result"]) for t in again)


def test_cli_export_import_round_trip(store_path, tmp_path, capsys):
    tasks = tmp_path / "tasks.json"
    assert main(["export", "--store", str(store_path), "--format", "label-studio",
                 "--out", str(tasks)]) == 0  # fmt: skip
    with Store(store_path) as store:
        human_label_studio(tmp_path, store)
    out = tmp_path / "train"
    argv = ["import-annotations", str(tasks), "--format", "label-studio", "--out", str(out)]
    assert main([*argv, "--store", str(store_path)]) == 0
    err = capsys.readouterr().err
    assert "read 3 annotated documents (semeval2023 labels)" in err
    assert f"--semeval23 {out / 'semeval23'}" in err and "stored human findings of 3" in err
    shutil.rmtree(out)
    assert main([*argv, "--store", str(tmp_path / "missing.duckdb")]) == 1
    assert "No store at" in capsys.readouterr().err and not out.exists()


def test_a_ptc2020_import_says_how_to_train_too(store, tmp_path, capsys):
    # the SemEval-2023 import said "train with --ptc OUT --semeval23 ..."; a PTC-2020 one said
    # nothing of what to do with the folder
    export(store, "brat", tmp_path / "brat", taxonomy="ptc2020")
    out = tmp_path / "train"
    argv = ["import-annotations", "--format", "brat", str(tmp_path / "brat"), "--out", str(out)]
    assert main(argv) == 0
    err = capsys.readouterr().err
    assert "(ptc2020 labels)" in err and err.rstrip().endswith(f"; train with --ptc {out}.")


def test_a_bad_store_is_refused_before_the_training_folder_is_written(store, tmp_path, capsys):
    # the folder was written, then the store failed: an error, with half the work done
    export(store, "brat", tmp_path / "brat", taxonomy="ptc2020")
    bad = tmp_path / "notes.duckdb"
    bad.write_text("not a store")
    out = tmp_path / "train"
    argv = ["import-annotations", "--format", "brat", str(tmp_path / "brat"), "--out", str(out)]
    assert main([*argv, "--store", str(bad)]) == 1
    assert "spinscope: error: " in capsys.readouterr().err
    assert not out.exists()


def test_missing_store_is_a_clear_error(tmp_path, capsys):
    from spinscope.cli.corpus_io import export_command

    missing = tmp_path / "none.duckdb"
    argv = ["export", "--store", str(missing), "--format", "csv", "--out", str(tmp_path / "x")]
    assert main(argv) == 1
    assert f"spinscope: error: No store at {missing}" in capsys.readouterr().err

    class Args:
        store, format, out, taxonomy = str(missing), "csv", str(tmp_path / "x"), "semeval2023"

    with pytest.raises(StoreError, match="No store at"):
        export_command(Args)


def _task(annotations, data=None):
    return {"data": data or {"text": "abc"}, "annotations": annotations}


_STRING_LABELS = {"type": "labels", "value": {"start": 0, "end": 2, "labels": "Doubt"}}


@pytest.mark.parametrize(
    "task,what",
    [
        ({"data": "text"}, "data is not a JSON object"),
        (_task("x"), "annotations is not a list"),
        (_task([1]), "an annotation is not a JSON object"),
        (_task([{"result": {"x": 1}}]), "an annotation's result is not a list"),
        (_task([{"result": [1]}]), "a region is not a JSON object"),
        # was read as the labels 'D', 'o', 'u', ...
        (_task([{"result": [_STRING_LABELS]}]), "a region's labels is not a list"),
    ],
)
def test_a_label_studio_export_of_the_wrong_shape_fails_in_one_line(tmp_path, task, what):
    # each but the last was an AttributeError traceback ('str' object has no attribute 'get')
    bad = tmp_path / "ls.json"
    bad.write_text(json.dumps([task]))
    with pytest.raises(IngestError, match=rf"ls\.json task 0: {what}"):
        read_annotations(bad, "label-studio")


def test_a_label_studio_offset_that_is_not_whole_is_refused(tmp_path):
    # 1.7 was cut to 1 without a word; 3.0 is a whole number written as a float
    def region(start, end):
        return {"type": "labels", "value": {"start": start, "end": end, "labels": ["Doubt"]}}

    path = tmp_path / "ls.json"
    path.write_text(json.dumps([_task([{"result": [region(0.0, 2.0)]}])]))
    assert [(s.start, s.end) for s in read_annotations(path, "label-studio")[0].spans] == [(0, 2)]
    path.write_text(json.dumps([_task([{"result": [region(1.7, 3)]}])]))
    with pytest.raises(IngestError) as err:
        read_annotations(path, "label-studio")
    assert str(err.value) == (
        f"{path} task 0: a region's start or end (1.7) is not a whole number of characters."
    )
    path.write_text(json.dumps([_task([{"result": [region(0, float("inf"))]}])]))  # Infinity
    with pytest.raises(IngestError, match="task 0: a region has no integer start/end"):
        read_annotations(path, "label-studio")


@pytest.mark.parametrize("name", ["a.txt", "a.ann", "annotation.conf"])
def test_a_brat_file_that_is_not_utf8_fails_in_one_line(tmp_path, name):
    # was a UnicodeDecodeError traceback
    (tmp_path / "a.txt").write_text("some text")
    (tmp_path / "a.ann").write_text("T1\tDoubt 0 4\tsome\n")
    (tmp_path / "annotation.conf").write_text("[entities]\nDoubt\n")
    (tmp_path / name).write_bytes((tmp_path / name).read_bytes() + b"\xe9\n")
    with pytest.raises(IngestError, match=rf"{name} is not UTF-8 text \(invalid byte 0xe9"):
        read_annotations(tmp_path, "brat")


def test_a_training_folder_that_is_a_file_is_one_line(store, tmp_path, capsys):
    # --out naming a file was a NotADirectoryError traceback
    export(store, "brat", tmp_path / "brat", taxonomy="ptc2020")
    taken = tmp_path / "notes.txt"
    taken.write_text("mine")
    argv = ["import-annotations", "--format", "brat", str(tmp_path / "brat"), "--out", str(taken)]
    assert main(argv) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        f"spinscope: error: {taken} is a file, not a folder; give a new folder for --out."
    ]
    assert taken.read_text() == "mine"


def test_cli_label_studio_round_trip_says_where_the_config_is_and_why_nothing_came_back(
    store_path, tmp_path, capsys
):
    """Exported tasks re-imported untouched hold only predictions: the line says so, rather
    than "read 0 annotated documents (no labels)"; the export line names the labelling config."""
    tasks = tmp_path / "tasks.json"
    assert main(["export", "--store", str(store_path), "--format", "label-studio",
                 "--out", str(tasks)]) == 0  # fmt: skip
    err = capsys.readouterr().err
    assert f"and its labelling config to {tmp_path / 'tasks.label-config.xml'}" in err
    argv = ["import-annotations", str(tasks), "--format", "label-studio"]
    assert main([*argv, "--out", str(tmp_path / "train")]) == 0
    err = capsys.readouterr().err
    assert "read 0 annotated documents" in err and "no task has an annotation" in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("taxonomy", ["foo", ["semeval2023"]])
def test_a_label_studio_taxonomy_that_is_no_taxonomy_fails_in_one_line(tmp_path, taxonomy):
    # was a KeyError ('foo') or TypeError (unhashable list) traceback
    region = {"type": "labels", "value": {"start": 0, "end": 3, "labels": ["Doubt"]}}
    bad = tmp_path / "ls.json"
    data = {"text": "abc", "taxonomy": taxonomy}
    bad.write_text(json.dumps([_task([{"result": [region]}], data)]))
    expected = r"ls\.json task 0: unknown taxonomy .*Available: ptc2020, semeval2023"
    with pytest.raises(IngestError, match=expected):
        read_annotations(bad, "label-studio")


def test_a_brat_taxonomy_note_that_names_no_taxonomy_fails_in_one_line(store, tmp_path):
    # was a KeyError traceback
    export(store, "brat", tmp_path, taxonomy="ptc2020")
    conf = tmp_path / "annotation.conf"
    conf.write_text(conf.read_text().replace("taxonomy: ptc2020", "taxonomy: ptc2021"))
    expected = r"unknown taxonomy 'ptc2021'\. Available: ptc2020, semeval2023"
    with pytest.raises(IngestError, match=expected):
        read_annotations(tmp_path, "brat")


def test_a_brat_type_with_an_escape_that_is_not_utf8_is_an_unknown_label(tmp_path):
    # '.FF' is no UTF-8 byte sequence: was a UnicodeDecodeError traceback
    (tmp_path / "a.txt").write_text("some text")
    (tmp_path / "a.ann").write_text("T1\tDoubt.FF 0 4\tsome\n")
    with pytest.raises(IngestError, match=r"Unknown label 'Doubt\.FF' in .*a\.ann line 1"):
        read_annotations(tmp_path, "brat")


def test_a_byte_order_mark_loses_no_span(store, tmp_path):
    # a brat .ann saved by an editor that adds a BOM lost its first span without a word (the
    # line no longer started with "T"); a Label Studio JSON with one was refused
    export(store, "brat", tmp_path / "brat", taxonomy="ptc2020")
    want = spans_of(read_annotations(tmp_path / "brat", "brat"))
    for path in [*(tmp_path / "brat").glob("*.ann"), tmp_path / "brat" / "annotation.conf"]:
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    docs = read_annotations(tmp_path / "brat", "brat")
    assert spans_of(docs) == want and {d.taxonomy for d in docs} == {"ptc2020"}
    ls = human_label_studio(tmp_path, store)
    ls.write_bytes(b"\xef\xbb\xbf" + ls.read_bytes())
    assert spans_of(read_annotations(ls, "label-studio")) == expected("semeval2023")


@pytest.mark.parametrize(
    "line,message",
    [
        # INCEpTION and brat let people draw a span before choosing its label: was "Unknown
        # label '' ... (expected one of <every label>)"
        ("T1\t 0 4\tsome", r"A span at 0-4 in .*a\.ann line 1 has no label; label it or delete"),
        # was "lies outside its text": it lies inside, backwards
        ("T1\tDoubt 4 0\tsome", r"Span 4-0 in .*a\.ann line 1 ends before it starts"),
        ("T1\tDoubt 2 2\tsome", r"Span 2-2 in .*a\.ann line 1 is empty"),
    ],
)
def test_a_span_without_a_label_or_length_says_so(tmp_path, line, message):
    (tmp_path / "a.txt").write_text("some text")
    (tmp_path / "a.ann").write_text(line + "\n")
    with pytest.raises(IngestError, match=message):
        read_annotations(tmp_path, "brat")
