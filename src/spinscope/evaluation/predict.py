"""Write predictions in the official submission formats of SemEval-2020 T11 and SemEval-2023 T3."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from spinscope.analysis.techniques import TechniqueTagger
from spinscope.corpora.ptc import read_articles, read_text
from spinscope.errors import DataError
from spinscope.evaluation.tagger import assign_labels, predict_si
from spinscope.model.taxonomy import LABELS_2020, PTC2020, SEMEVAL2023

Update = Callable[[int, int], object]  # update(done, total): a progress bar


def _batches(items: list, update: Update | None = None, size: int = 8) -> Iterable[list]:
    """``items`` ``size`` at a time, calling ``update(done, total)`` after each batch."""
    for k in range(0, len(items), size):
        yield items[k : k + size]
        if update:
            update(min(k + size, len(items)), len(items))


def ptc_si_lines(tagger: TechniqueTagger, folder: Path, *, update: Update | None = None
                 ) -> Iterable[str]:  # fmt: skip
    """``article_id<TAB>start<TAB>end`` for every predicted propaganda span."""
    articles = list(read_articles(folder).items())
    for batch in _batches(articles, update):
        for (art_id, _), sc in zip(batch, tagger.scores([t for _, t in batch]), strict=True):
            for start, end in predict_si(sc, tagger.decoding):
                yield f"{art_id}\t{start}\t{end}"


def read_tc_template(path: Path) -> list[tuple[str, int, int, int]]:
    """Spans to classify: lines ``article_id ... start end`` (TSV; the label column is ignored),
    as (article id, start, end, line number)."""
    spans = []
    for n, line in enumerate(read_text(Path(path)).splitlines(), 1):
        parts = line.rstrip("\r").split("\t")
        if not line.strip():
            continue
        try:
            spans.append((parts[0].removeprefix("article"), int(parts[-2]), int(parts[-1]), n))
        except (ValueError, IndexError):
            raise DataError(
                f"{path} line {n} is not 'article_id<TAB>...<TAB>start<TAB>end': {line[:80]!r}"
            ) from None
    return spans


def ptc_tc_lines(tagger: TechniqueTagger, folder: Path, template: Path, *,
                 update: Update | None = None) -> Iterable[str]:  # fmt: skip
    """``article_id<TAB>technique<TAB>start<TAB>end`` for every span of the template."""
    texts = read_articles(folder)
    by_article: dict[str, list[tuple[int, int]]] = {}
    for art_id, start, end, n in read_tc_template(template):
        if art_id not in texts:
            raise DataError(f"Template names article {art_id}, which is not in {folder}.")
        if not 0 <= start < end <= len(texts[art_id]):  # said neither the line nor the article
            raise DataError(
                f"{template} line {n}: span {start}-{end} lies outside article {art_id} "
                f"({len(texts[art_id])} characters); give 0 <= start < end <= its length."
            )
        by_article.setdefault(art_id, []).append((start, end))
    ids = list(by_article)
    for batch in _batches(ids, update):
        for art_id, sc in zip(batch, tagger.scores([texts[i] for i in batch]), strict=True):
            spans = by_article[art_id]
            labels = assign_labels(tagger.classify_spans(sc, spans, PTC2020), spans, LABELS_2020)
            for (start, end), label in zip(spans, labels, strict=True):
                yield f"{art_id}\t{label}\t{start}\t{end}"


def semeval23_tagger(tagger: TechniqueTagger) -> TechniqueTagger:
    """The same model and decoding with the SemEval-2023 taxonomy alone: the spans that
    ``predict semeval23-st3`` writes and the ST3 evaluations score."""
    return TechniqueTagger(
        model_dir=tagger.model_dir,
        variant=tagger.variant,
        taxonomies=(SEMEVAL2023,),
        threshold=tagger.threshold,
        decoder=tagger.decoder,
        batch_size=tagger.batch_size,
        span_labeller=tagger.span_labeller,
    )


def semeval23_st3_lines(
    tagger: TechniqueTagger, folder: Path, ids: set[str] | None = None, *,
    update: Update | None = None,
) -> Iterable[str]:  # fmt: skip
    """``id<TAB>paragraph<TAB>tech1,tech2`` per non-empty line (paragraph = 1-based line number)."""
    tagger = semeval23_tagger(tagger)
    articles = [(i, t) for i, t in read_articles(folder).items() if ids is None or i in ids]
    for batch in _batches(articles, update):
        for (art_id, text), sc in zip(batch, tagger.scores([t for _, t in batch]), strict=True):
            found = tagger.spans(sc, SEMEVAL2023)
            pos = 0
            for number, line in enumerate(text.split("\n"), 1):
                start, end = pos, pos + len(line)
                pos = end + 1
                if not line.strip():
                    continue
                labels = sorted({s.label for s in found if s.start < end and s.end > start})
                yield f"{art_id}\t{number}\t{','.join(labels)}"


def semeval23_article_lines(framing, folder: Path, subtask: str, *, update: Update | None = None
                            ) -> Iterable[str]:  # fmt: skip
    """SemEval-2023 ST1 (``id<TAB>genre``) or ST2 (``id<TAB>frame1,frame2``) lines for every
    ``article<ID>.txt`` in ``folder``, from the framing analyser."""
    from spinscope.model.document import Document

    articles = sorted(read_articles(folder).items())
    for batch in _batches(articles, update):
        labels = framing.analyze([Document(text) for _, text in batch])
        for (art_id, _), found in zip(batch, labels, strict=True):
            if subtask == "st1":
                # the official file needs a genre: a "not sure" answer gives its best guess
                genre = [x.best if x.unsure else x.label for x in found if x.task == "genre"]
                yield f"{art_id}\t{genre[0] if genre and genre[0] else 'opinion'}"
            else:
                frames = [x.label for x in found if x.task == "frame" and not x.unsure]
                yield f"{art_id}\t{','.join(frames)}"


def semeval25_st2_lines(framing, folder: Path, *, update: Update | None = None) -> Iterable[str]:
    """SemEval-2025 ST2 lines, ``file<TAB>narr1;narr2<TAB>sub1;sub2``, for every ``*.txt`` in
    ``folder`` (the file name is the document id). Every narrative gets its sub-narratives, or
    "<narrative>: Other"; a document with no narrative is "Other"."""
    from spinscope.model.document import Document

    paths = sorted(Path(folder).glob("*.txt"))
    if not paths:
        raise DataError(f"No .txt documents in {folder}.")
    docs = [(p.name, read_text(p)) for p in paths]
    for batch in _batches(docs, update):
        labels = framing.analyze([Document(text) for _, text in batch])
        for (name, _), found in zip(batch, labels, strict=True):
            narrs = [x.label for x in found if x.task == "narrative" and not x.unsure]
            subs = []
            for n in narrs:
                mine = [x.label for x in found
                        if x.task == "subnarrative" and x.label.startswith(n + ": ")]  # fmt: skip
                subs += mine or [f"{n}: Other"]
            yield f"{name}\t{';'.join(narrs) or 'Other'}\t{';'.join(subs) or 'Other'}"
