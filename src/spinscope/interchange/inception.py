"""INCEpTION: per document a UIMA CAS XMI with ``TypeSystem.xml``, and the corrected XMI folder
or zip read back. UIMA counts offsets in UTF-16 units on disk; dkpro-cassis converts both ways,
so the records here hold code points like every other format."""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from spinscope.errors import IngestError
from spinscope.interchange.annotated import RawDoc, TaskDoc, refuse_overwriting_changes
from spinscope.model.wording import plural

# The name INCEpTION gives a custom span layer called "Technique": a project with that layer
# (features label, confidence, origin, taxonomy) shows the imported spans as they are.
TECHNIQUE_TYPE = "webanno.custom.Technique"
TYPESYSTEM_FILE = "TypeSystem.xml"


# -- write ---------------------------------------------------------------------------------------


def technique_typesystem() -> Any:
    """The UIMA type system: ``webanno.custom.Technique`` spans with label, confidence, origin
    and taxonomy features."""
    from cassis import TypeSystem

    ts = TypeSystem()
    technique = ts.create_type(TECHNIQUE_TYPE, supertypeName="uima.tcas.Annotation")
    for name, kind in (("label", "String"), ("confidence", "Double"), ("origin", "String")):
        ts.create_feature(technique, name, f"uima.cas.{kind}")
    ts.create_feature(technique, "taxonomy", "uima.cas.String")
    return ts


# characters XML 1.0 cannot hold (C0 controls but tab, line feed and carriage return)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def write(docs: Iterable[TaskDoc], out: Path, taxonomy: str) -> int:
    """Per document ``<doc_id>.xmi`` (a UIMA CAS of ``TaskDoc.shown``: human spans where people
    annotated it, else machine ones) and the ``TypeSystem.xml`` INCEpTION needs to import them."""
    from cassis import Cas

    out.mkdir(exist_ok=True)
    ts = technique_typesystem()
    technique = ts.get_type(TECHNIQUE_TYPE)
    planned: dict[Path, bytes] = {}
    left_out = []
    for doc in docs:
        if _NOT_XML.search(doc.text):  # lxml refuses them: a traceback, and no TypeSystem.xml
            left_out.append(doc.doc_id)
            continue
        cas = Cas(typesystem=ts)
        cas.sofa_string = doc.text
        for s in doc.shown:
            cas.add(
                technique(
                    begin=s.start,
                    end=s.end,
                    label=s.label,
                    confidence=s.confidence,
                    origin=s.origin,
                    taxonomy=taxonomy,
                )
            )
        planned[out / f"{doc.doc_id}.xmi"] = cas.to_xmi().encode()
    refuse_overwriting_changes(out, planned, "inception")
    for path, data in planned.items():
        path.write_bytes(data)
    n = len(planned)
    ts.to_xml(out / TYPESYSTEM_FILE)
    if left_out:
        raise IngestError(
            f"Wrote {plural(n, 'document')} to {out}, but left out {len(left_out)} whose text "
            f"holds control characters that XML cannot carry ({', '.join(left_out[:5])}"
            f"{', ...' if len(left_out) > 5 else ''}); export those as brat or label-studio."
        )
    return n


# -- read ----------------------------------------------------------------------------------------


def read(source: Path) -> list[RawDoc]:
    """INCEpTION UIMA CAS XMI files with their ``TypeSystem.xml``: a folder (searched
    recursively; zips in it are read too) or a zip."""
    if source.is_file():
        if not zipfile.is_zipfile(source):
            raise IngestError(f"{source} is not a zip; give a folder or zip of XMI files.")
        return _read_zip(source)
    raws = []
    for path in sorted(source.rglob("*")):
        if path.suffix.lower() == ".zip":
            raws += _read_zip(path)
        elif path.suffix.lower() == ".xmi":
            ts = _find_typesystem(path.parent, source)
            raws.append(read_xmi(path.read_bytes(), ts, str(path)))
    if not raws:
        raise IngestError(f"No .xmi files in {source}; give INCEpTION's XMI export.")
    return raws


def _find_typesystem(folder: Path, root: Path) -> bytes:
    for where in (folder, root):
        for path in where.iterdir():
            if path.name.lower() == TYPESYSTEM_FILE.lower():
                return path.read_bytes()
    raise IngestError(f"No {TYPESYSTEM_FILE} in {folder} or {root}; export it with the XMI.")


def _read_zip(path: Path) -> list[RawDoc]:
    try:
        return _read_members(path)
    except zipfile.BadZipFile as exc:  # was a traceback: not a zip, or a damaged member
        reason = str(exc)
        if reason == "File is not a zip file":
            raise IngestError(f"{path} is not a zip file; give INCEpTION's export.") from None
        raise IngestError(f"{path} is damaged ({reason}); export it again.") from None
    except (OSError, EOFError, zlib.error) as exc:  # a truncated or unreadable member
        raise IngestError(f"{path} cannot be read ({exc}); export it again.") from None


def _read_members(path: Path) -> list[RawDoc]:
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        ts_names = [n for n in names if Path(n).name.lower() == TYPESYSTEM_FILE.lower()]
        xmis = sorted(n for n in names if n.lower().endswith(".xmi"))
        if not ts_names or not xmis:
            raise IngestError(f"{path} needs .xmi files and a {TYPESYSTEM_FILE}.")
        ts = zf.read(ts_names[0])
        return [read_xmi(zf.read(n), ts, f"{path}!{n}") for n in xmis]


def read_xmi(xmi: bytes, typesystem: bytes, where: str) -> RawDoc:
    """One CAS from its XMI and type-system bytes; ``where`` names it in messages."""
    from cassis import load_cas_from_xmi, load_typesystem

    try:
        ts = load_typesystem(io.BytesIO(typesystem))
        cas = load_cas_from_xmi(io.BytesIO(xmi), typesystem=ts)
    except Exception as exc:  # cassis raises bare exceptions of several kinds for bad XML
        raise IngestError(f"{where} is not a readable UIMA CAS XMI: {exc}".split("\n")[0]) from None
    if not cas.typesystem.contains_type(TECHNIQUE_TYPE):
        raise IngestError(f"{where} has no {TECHNIQUE_TYPE} layer; export it with that layer.")
    found = list(cas.select(TECHNIQUE_TYPE))
    hints = {a.get("taxonomy") for a in found} - {None, ""}
    spans = [(a.begin, a.end, str(a.get("label") or ""), where) for a in found]
    return RawDoc(cas.sofa_string or "", spans, where, next(iter(hints), None))
