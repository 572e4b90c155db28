"""A document people annotated as having no technique (every machine span deleted in the tool)
stays so: the store records that it was annotated, so a re-export does not bring the machine's
spans back; documents never annotated keep exporting the machine's spans."""

import io
import json

import pytest

from spinscope.errors import IngestError
from spinscope.interchange.annotated import read_annotations
from spinscope.interchange.inception import TECHNIQUE_TYPE, TYPESYSTEM_FILE
from spinscope.store import Store
from spinscope.store.annotations import annotated_ids, store_human_findings
from spinscope.store.exports import export

from .conftest import TEXTS

EMPTIED = TEXTS[1]  # the document whose spans the annotator deletes


def _label_studio(path, taxonomy):
    """LS: the emptied task gets an empty annotation; the others stay unannotated."""
    tasks = json.loads(path.read_text(encoding="utf-8"))
    for task in tasks:
        if task["data"]["text"] == EMPTIED:
            task["annotations"] = [{"id": 1, "result": []}]
    path.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")


def _brat(folder, taxonomy):
    (ann,) = [p for p in folder.glob("*.ann") if p.with_suffix(".txt").read_text() == EMPTIED]
    ann.write_text("")


def _inception(folder, taxonomy):
    from cassis import load_cas_from_xmi, load_typesystem

    ts = load_typesystem(io.BytesIO((folder / TYPESYSTEM_FILE).read_bytes()))
    for xmi in folder.glob("*.xmi"):
        cas = load_cas_from_xmi(io.BytesIO(xmi.read_bytes()), typesystem=ts)
        if cas.sofa_string == EMPTIED:
            for a in list(cas.select(TECHNIQUE_TYPE)):
                cas.remove(a)
            xmi.write_bytes(cas.to_xmi().encode())


EMPTY = {"label-studio": _label_studio, "brat": _brat, "inception": _inception}
OUT = {"label-studio": "tasks.json", "brat": "brat", "inception": "xmi"}


def exported(fmt, path):
    """Per document text: (its technique spans as the export shows them, human-annotated?).

    Label Studio marks human spans as ``annotations`` (machine ones are ``predictions``, kept
    apart); brat and INCEpTION show one set of spans per document."""
    if fmt == "label-studio":
        out = {}
        for task in json.loads(path.read_text(encoding="utf-8")):
            done = task.get("annotations")
            shown = done[0]["result"] if done else task["predictions"][0]["result"]
            out[task["data"]["text"]] = (len(shown), bool(done))
        return out
    return {d.text: (len(d.spans), None) for d in read_annotations(path, fmt)}


@pytest.mark.parametrize("taxonomy", ["ptc2020", "semeval2023"])
@pytest.mark.parametrize("fmt", list(EMPTY))
def test_a_document_annotated_as_having_no_technique_exports_none(store, tmp_path, fmt, taxonomy):
    # was: the store kept no trace of an empty annotation, and the re-export showed the
    # machine's spans again, for people to delete a second time
    first = tmp_path / "first" / OUT[fmt]
    first.parent.mkdir()
    export(store, fmt, first, taxonomy=taxonomy)
    before = exported(fmt, first)
    EMPTY[fmt](first, taxonomy)
    docs = read_annotations(first, fmt)
    assert store_human_findings(store, docs, analyzer=fmt)[1] == []
    again = tmp_path / "again" / OUT[fmt]
    again.parent.mkdir()
    export(store, fmt, again, taxonomy=taxonomy)
    after = exported(fmt, again)
    assert before[EMPTIED][0] > 0 and after[EMPTIED][0] == 0
    if fmt == "label-studio":
        assert after[EMPTIED] == (0, True)  # an annotation, with no region
        others = [t for t in TEXTS if t != EMPTIED]  # never annotated: predictions only
        assert all(after[t] == before[t] == (before[t][0], False) for t in others)
    else:  # the folder was read back whole: every other document is annotated as it was
        assert all(after[t] == before[t] for t in TEXTS if t != EMPTIED)
    # and the empty annotation reads back as one: annotated, no span
    (doc,) = [d for d in read_annotations(again, fmt) if d.text == EMPTIED]
    assert doc.spans == [] and doc.taxonomy == taxonomy


def test_the_mark_is_per_taxonomy(store, tmp_path):
    """Annotating the PTC-2020 layer says nothing of the SemEval-2023 one."""
    export(store, "brat", tmp_path / "brat", taxonomy="ptc2020")
    _brat(tmp_path / "brat", "ptc2020")
    store_human_findings(store, read_annotations(tmp_path / "brat", "brat"), analyzer="brat")
    assert len(annotated_ids(store, "ptc2020")) == len(TEXTS)
    assert annotated_ids(store, "semeval2023") == set()
    export(store, "label-studio", tmp_path / "se23.json", taxonomy="semeval2023")
    assert not any(v[1] for v in exported("label-studio", tmp_path / "se23.json").values())


def test_a_store_from_before_the_mark_opens_and_exports_machine_spans(store_path, tmp_path):
    """A store made before the table of annotated documents existed (every store until now has
    none: it is created on the first import) opens read-only and exports as before; the first
    import adds the table."""
    with Store(store_path) as store:
        names = {r[0] for r in store.query("SELECT table_name FROM information_schema.tables")}
        assert "annotated" not in names and store.schema_version() == 4
    with Store(store_path, read_only=True) as store:
        assert annotated_ids(store, "semeval2023") == set()
        for fmt in EMPTY:
            export(store, fmt, tmp_path / OUT[fmt], taxonomy="semeval2023")
    shown = exported("label-studio", tmp_path / "tasks.json")
    assert all(n > 0 and not human for n, human in shown.values())
    with Store(store_path) as store:
        docs = read_annotations(tmp_path / "brat", "brat")
        assert store_human_findings(store, docs, analyzer="brat")[0] == len(TEXTS)
        assert len(annotated_ids(store, "semeval2023")) == len(TEXTS)


def _emptied_everywhere(folder):
    """An INCEpTION export whose every span people deleted: nothing in it names the taxonomy."""
    from cassis import load_cas_from_xmi, load_typesystem

    ts = load_typesystem(io.BytesIO((folder / TYPESYSTEM_FILE).read_bytes()))
    for xmi in folder.glob("*.xmi"):
        cas = load_cas_from_xmi(io.BytesIO(xmi.read_bytes()), typesystem=ts)
        for a in list(cas.select(TECHNIQUE_TYPE)):
            cas.remove(a)
        xmi.write_bytes(cas.to_xmi().encode())


def test_a_source_with_no_span_and_no_taxonomy_asks_for_it(store_path, tmp_path, capsys):
    # was: taken for SemEval-2023 (the default) without a word, so a PTC-2020 export emptied
    # in INCEpTION marked the SemEval-2023 layer annotated, and PTC-2020 kept the machine spans
    from spinscope.cli.main import main

    with Store(store_path, read_only=True) as store:
        export(store, "inception", tmp_path / "xmi", taxonomy="ptc2020")
    _emptied_everywhere(tmp_path / "xmi")
    argv = ["import-annotations", str(tmp_path / "xmi"), "--format", "inception",
            "--out", str(tmp_path / "train"), "--store", str(store_path)]  # fmt: skip
    assert main(argv) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        f"spinscope: error: {tmp_path / 'xmi'} holds no span and does not name its taxonomy; "
        "say which with --taxonomy (ptc2020 or semeval2023)."
    ]
    assert not (tmp_path / "train").exists()
    assert main([*argv, "--taxonomy", "ptc2020"]) == 0
    assert "read 3 annotated documents (ptc2020 labels)" in capsys.readouterr().err
    with Store(store_path, read_only=True) as store:
        assert len(annotated_ids(store, "ptc2020")) == 3
        assert annotated_ids(store, "semeval2023") == set()
        export(store, "brat", tmp_path / "brat", taxonomy="ptc2020")
    assert all(d.spans == [] for d in read_annotations(tmp_path / "brat", "brat"))


def test_a_taxonomy_that_contradicts_the_source_is_refused(store, tmp_path):
    export(store, "brat", tmp_path / "brat", taxonomy="ptc2020")
    with pytest.raises(IngestError, match=r"names the taxonomy ptc2020, not semeval2023"):
        read_annotations(tmp_path / "brat", "brat", taxonomy="semeval2023")
    assert {d.taxonomy for d in read_annotations(tmp_path / "brat", "brat", taxonomy="ptc2020")}


def test_the_same_text_twice_in_a_source_is_one_document_or_a_clear_conflict(store, tmp_path):
    # was: a PRIMARY KEY violation from the store (and, before the mark, doubled human rows)
    path = tmp_path / "tasks.json"
    export(store, "label-studio", path)
    task = json.loads(path.read_text(encoding="utf-8"))[0]
    task["annotations"] = [{"result": task["predictions"][0]["result"]}]
    twin = json.loads(json.dumps(task))  # the tasks file imported twice into one project
    path.write_text(json.dumps([{**task, "id": 1}, {**twin, "id": 2}]), encoding="utf-8")
    (doc,) = read_annotations(path, "label-studio")
    assert store_human_findings(store, [doc], analyzer="label-studio") == (1, [])
    twin["annotations"] = [{"result": []}]
    path.write_text(json.dumps([{**task, "id": 1}, {**twin, "id": 2}]), encoding="utf-8")
    with pytest.raises(IngestError) as err:
        read_annotations(path, "label-studio")
    assert str(err.value) == (
        f"{path} task 1 and {path} task 2 hold the same text with different spans; keep the "
        "one you mean (delete or correct the other) and import again."
    )


def test_a_damaged_zip_is_one_line(store, tmp_path):
    # was a zipfile.BadZipFile traceback (a CRC error while reading a member)
    import zipfile

    export(store, "inception", tmp_path / "xmi", taxonomy="ptc2020")
    archive = tmp_path / "project.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for p in sorted((tmp_path / "xmi").iterdir()):
            zf.write(p, p.name)
    data = bytearray(archive.read_bytes())
    data[60:70] = b"x" * 10  # inside the first member's bytes
    archive.write_bytes(bytes(data))
    with pytest.raises(IngestError, match=rf"{archive} is damaged \(Bad CRC-32"):
        read_annotations(archive, "inception")
    (tmp_path / "xmi" / "old.zip").write_bytes(b"PK not a zip")
    with pytest.raises(IngestError, match=r"old\.zip is not a zip file"):
        read_annotations(tmp_path / "xmi", "inception")


def test_a_document_gone_from_the_store_is_left_out_and_a_repeat_import_changes_nothing(
    store_path, tmp_path, capsys
):
    from spinscope.cli.main import main

    with Store(store_path, read_only=True) as store:
        export(store, "brat", tmp_path / "brat", taxonomy="ptc2020")
    with Store(store_path) as store:  # no command deletes a document: by hand, or another store
        store.con.execute("DELETE FROM documents WHERE text = ?", [EMPTIED])
    argv = ["import-annotations", str(tmp_path / "brat"), "--format", "brat",
            "--out", str(tmp_path / "train"), "--store", str(store_path)]  # fmt: skip
    tables = "SELECT origin, count(*) FROM findings GROUP BY ALL ORDER BY ALL"
    seen = []
    for _ in range(2):
        assert main(argv) == 0
        assert "2 documents in" in capsys.readouterr().err
        with Store(store_path, read_only=True) as store:
            seen.append((store.query(tables), annotated_ids(store, "ptc2020")))
    assert seen[0] == seen[1] and len(seen[0][1]) == 2


def test_spans_kept_then_all_deleted_exports_none(store, tmp_path):
    """Annotated with spans first, every span deleted in a later round: the later import wins."""
    export(store, "brat", tmp_path / "one", taxonomy="ptc2020")
    store_human_findings(store, read_annotations(tmp_path / "one", "brat"), analyzer="brat")
    export(store, "brat", tmp_path / "two", taxonomy="ptc2020")
    assert exported("brat", tmp_path / "two")[EMPTIED][0] > 0
    _brat(tmp_path / "two", "ptc2020")
    store_human_findings(store, read_annotations(tmp_path / "two", "brat"), analyzer="brat")
    export(store, "label-studio", tmp_path / "tasks.json", taxonomy="ptc2020")
    assert exported("label-studio", tmp_path / "tasks.json")[EMPTIED] == (0, True)
