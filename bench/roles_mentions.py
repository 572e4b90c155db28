"""The shared mention finder (``spinscope.analysis.mentions``) against the annotated entity
mentions of SemEval-2025 ST1 English dev: how many gold mentions the defaults' entities reach
(names mentioned at least twice, the five most mentioned), how many entities are merged names
(a possessive inside: "Acosta's White House"), and the roles analyser's time on the dev articles.
Run it on this tree and on an older one (PYTHONPATH) to compare.

Usage: python bench/roles_mentions.py [DATA_DIR]"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

from spinscope.analysis.role_entities import find_entities
from spinscope.analysis.roles import RoleAnalyzer
from spinscope.corpora.semeval25 import load_entity_roles, read_documents
from spinscope.model.document import Document


def main(root: Path) -> None:
    texts = read_documents(root, "EN", "dev", 1)
    gold = load_entity_roles(root, "EN", "dev", texts)
    try:
        from spinscope.analysis.mentions import ner_entities

        kinds = dict(zip(texts, ner_entities(list(texts.values())), strict=True))
        runs = {"no NER": {d: None for d in texts}, "with spaCy NER": kinds}
    except ImportError:  # an older tree without the shared mention finder
        runs = {"old finder": {d: None for d in texts}}
    for label, ents in runs.items():
        found = {
            d: find_entities(t, 2, 5, ents[d]) if ents[d] is not None else find_entities(t, 2, 5)
            for d, t in texts.items()
        }
        spans = {d: [sp for en in v for sp in en.mentions] for d, v in found.items()}
        hit = sum(any(s < m.end_exclusive and m.start < e for s, e in spans[m.doc_id])
                  for m in gold)  # fmt: skip
        n = sum(len(v) for v in found.values())
        merged = [en.name for v in found.values() for en in v if re.search(r"[’']s ", en.name)]
        print(
            f"{label}: {hit}/{len(gold)} gold mentions reached ({hit / len(gold):.3f}); "
            f"{n} entities in {len(texts)} articles; merged names: {len(merged)} {merged[:5]}"
        )
    docs = [Document(t) for t in texts.values()]
    analyzer = RoleAnalyzer(min_score=0.0)
    analyzer.analyze(docs[:2])  # load the models
    t0 = time.perf_counter()
    labels = analyzer.analyze(docs)
    took = time.perf_counter() - t0
    shown = sum(not getattr(x, "unsure", False) for v in labels for x in v)
    print(f"roles analyser: {len(docs) / took:.1f} articles/s ({len(docs)} articles); "
          f"{shown} roles shown of {sum(map(len, labels))} labels")  # fmt: skip


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/semeval2025-task10"))
