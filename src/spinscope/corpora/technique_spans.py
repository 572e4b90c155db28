"""Documents with gold technique spans in the SemEval-2023 taxonomy (23 techniques).

Three sources, one shape (``SpanDocument``):

* SemEval-2023 Task 3 ST3, every language with gold (``en`` train; ``fr``, ``ge``, ``it``, ``po``,
  ``ru`` train and dev): ``{split}-articles-subtask-3/article<ID>.txt`` with the spans of
  ``{split}-labels-subtask-3-spans/`` and the paragraph gold of ``{split}-labels-subtask-3.txt``.
* CheckThat! 2024 Task 3 English dev half: ``articles/``, ``labels-spans.tsv`` and
  ``labels-subtask-3.txt`` (same formats, one folder).
* SemEval-2021 Task 6 subtask 2 (meme texts, 20 techniques mapped onto the 2023 names).

Offsets are code-point indices into the text as stored, ``end`` exclusive. Spans that fall outside
their text (the dataset README counts a few dozen per language) are dropped and counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from spinscope.corpora.ptc import GoldSpan, read_articles, read_json, read_labels, read_text
from spinscope.corpora.semeval23_articles import read_article_texts
from spinscope.errors import DataError
from spinscope.model.taxonomy import LABELS_2023

LANGUAGES: dict[str, str] = {"EN": "en", "FR": "fr", "DE": "ge", "IT": "it", "PL": "po", "RU": "ru"}
"""SemEval-2023 languages with gold: ISO-style code -> the dataset's folder name."""

SPLITS: dict[str, tuple[str, ...]] = {
    "en": ("train",),  # the English dev set is withheld in this project
    **{folder: ("train", "dev") for folder in ("fr", "ge", "it", "po", "ru")},
}

SEMEVAL21_TO_2023: dict[str, str] = {
    "Appeal to authority": "Appeal_to_Authority",
    "Appeal to fear/prejudice": "Appeal_to_Fear-Prejudice",
    "Black-and-white Fallacy/Dictatorship": "False_Dilemma-No_Choice",
    "Causal Oversimplification": "Causal_Oversimplification",
    "Doubt": "Doubt",
    "Exaggeration/Minimisation": "Exaggeration-Minimisation",
    "Flag-waving": "Flag_Waving",
    "Glittering generalities (Virtue)": "Appeal_to_Values",
    "Loaded Language": "Loaded_Language",
    "Misrepresentation of Someone's Position (Straw Man)": "Straw_Man",
    "Name calling/Labeling": "Name_Calling-Labeling",
    "Obfuscation, Intentional vagueness, Confusion": "Obfuscation-Vagueness-Confusion",
    "Presenting Irrelevant Data (Red Herring)": "Red_Herring",
    "Reductio ad hitlerum": "Guilt_by_Association",
    "Repetition": "Repetition",
    "Slogans": "Slogans",
    "Smears": "Questioning_the_Reputation",
    "Thought-terminating cliché": "Conversation_Killer",
    "Whataboutism": "Whataboutism",
    "Bandwagon": "Appeal_to_Popularity",
}
"""SemEval-2021 Task 6 technique names -> their SemEval-2023 successors (all 20 have one)."""

SEMEVAL21_SPLITS = {"train": "training_set", "dev": "dev_set", "test": "test_set"}


@dataclass
class SpanDocument:
    """One text with its gold spans; ``paragraphs`` is the ST3 gold per 1-based line number
    (only lines the dataset scores; empty where a source has no paragraph layer)."""

    id: str
    text: str
    spans: list[GoldSpan] = field(default_factory=list)
    paragraphs: dict[int, frozenset[str]] = field(default_factory=dict)
    lang: str = "en"
    dropped_spans: int = 0


def language_folder(lang: str) -> str:
    """The dataset folder of a language code (``FR`` -> ``fr``, ``DE`` -> ``ge``)."""
    folder = LANGUAGES.get(lang.upper())
    if folder is None:
        raise DataError(
            f"SemEval-2023 has no gold for language {lang!r}. Available: {', '.join(LANGUAGES)}."
        )
    return folder


def read_paragraph_labels(path: Path) -> dict[str, dict[int, frozenset[str]]]:
    """An ST3 label file (``id<TAB>line<TAB>t1,t2``) as id -> line -> techniques."""
    known = set(LABELS_2023)
    out: dict[str, dict[int, frozenset[str]]] = {}
    for n, line in enumerate(read_text(path).splitlines(), 1):
        parts = line.rstrip("\r").split("\t")
        if not line.strip():
            continue
        if len(parts) < 2 or not parts[1].strip().isdigit():
            raise DataError(f"{path} line {n}: expected 'id<TAB>paragraph<TAB>techniques'.")
        labels = frozenset(x for x in (parts[2] if len(parts) > 2 else "").split(",") if x)
        unknown = sorted(labels - known)
        if unknown:
            raise DataError(f"{path} line {n}: unknown technique(s) {', '.join(unknown)}.")
        out.setdefault(parts[0].removeprefix("article"), {})[int(parts[1])] = labels
    return out


def _documents(
    texts: dict[str, str],
    spans: dict[str, list[GoldSpan]],
    paragraphs: dict[str, dict[int, frozenset[str]]],
    lang: str,
) -> list[SpanDocument]:
    known = set(LABELS_2023)
    docs = []
    for art_id, text in texts.items():
        mine = spans.get(art_id, [])
        unknown = sorted({s.label for s in mine} - known)
        if unknown:
            raise DataError(f"Article {art_id}: unknown technique(s) {', '.join(unknown)}.")
        kept = [s for s in mine if 0 <= s.start < s.end <= len(text)]
        docs.append(
            SpanDocument(
                art_id, text, kept, paragraphs.get(art_id, {}), lang, len(mine) - len(kept)
            )
        )
    return docs


def load_semeval23_spans(root: Path, lang: str, split: str) -> list[SpanDocument]:
    """SemEval-2023 ST3 documents of one language (``EN``, ``FR``, ``DE``, ``IT``, ``PL``,
    ``RU``) and split, with spans and paragraph gold."""
    folder = language_folder(lang)
    if split not in SPLITS[folder]:
        raise DataError(
            f"SemEval-2023 {lang.upper()} has no {split!r} gold here. Available: "
            f"{', '.join(SPLITS[folder])} (the English dev set is withheld in this project)."
        )
    base = Path(root) / folder
    labels = base / f"{split}-labels-subtask-3.txt"
    if not labels.is_file():
        raise DataError(
            f"SemEval-2023 ST3 labels {labels} not found; pass --data FOLDER or set SPINSCOPE_DATA."
        )
    texts = read_article_texts(root, folder, split, 3)
    spans: dict[str, list[GoldSpan]] = {}
    span_dir = base / f"{split}-labels-subtask-3-spans"
    for art_id in texts:
        path = span_dir / f"article{art_id}-labels-subtask-3.txt"
        if path.is_file():
            spans[art_id] = read_labels(path).get(art_id, [])
    return _documents(texts, spans, read_paragraph_labels(labels), folder)


def load_checkthat24(root: Path) -> list[SpanDocument]:
    """The CheckThat! 2024 Task 3 English dev half (``checkthat2024-task3-en-dev``)."""
    root = Path(root)
    labels = root / "labels-subtask-3.txt"
    if not labels.is_file():  # name the file: "not found at X" of a folder X that is there
        raise DataError(
            f"CheckThat! 2024 Task 3 labels {labels.name} not found in {root}; pass --data FOLDER "
            "or set SPINSCOPE_DATA."
        )
    texts = read_articles(root / "articles")
    spans = read_labels(root / "labels-spans.tsv") if (root / "labels-spans.tsv").is_file() else {}
    return _documents(texts, spans, read_paragraph_labels(labels), "en")


def load_semeval21_spans(root: Path, split: str = "train") -> list[SpanDocument]:
    """SemEval-2021 Task 6 subtask 2 meme texts with their spans under the 2023 names."""
    if split not in SEMEVAL21_SPLITS:
        raise DataError(
            f"Unknown SemEval-2021 split {split!r}. Available: {', '.join(SEMEVAL21_SPLITS)}."
        )
    path = Path(root) / f"{SEMEVAL21_SPLITS[split]}_task2.txt"
    records = read_json(path, f"SemEval-2021 Task 6 file {path} not found.")
    texts, spans = {}, {}
    for rec in records:
        try:
            texts[str(rec["id"])] = rec["text"]
            spans[str(rec["id"])] = [
                GoldSpan(int(x["start"]), int(x["end"]), SEMEVAL21_TO_2023[x["technique"]])
                for x in rec["labels"]
            ]
        except KeyError as exc:
            raise DataError(f"{path}: record {rec.get('id')!r} lacks or misnames {exc}.") from None
    return _documents(texts, spans, {}, "en")
