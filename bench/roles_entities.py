"""How many of the annotated entity mentions (SemEval-2025 ST1, English dev) the `roles`
analyser's name finder reaches: with every name it finds, and with the defaults (names mentioned
at least twice, the five most mentioned). Usage: python bench/roles_entities.py [DATA_DIR]"""

from __future__ import annotations

import sys
from pathlib import Path

from spinscope.analysis.role_entities import find_entities
from spinscope.corpora.semeval25 import load_entity_roles, read_documents


def main(root: Path) -> None:
    texts = read_documents(root, "EN", "dev", 1)
    gold = load_entity_roles(root, "EN", "dev", texts)
    settings = {
        "every name": dict(min_mentions=1, limit=10_000),
        "defaults (>= 2 mentions, top 5)": dict(min_mentions=2, limit=5),
    }
    for label, kwargs in settings.items():
        found = {
            d: [sp for en in find_entities(t, **kwargs) for sp in en.mentions]
            for d, t in texts.items()
        }
        hit = sum(
            any(s < m.end_exclusive and m.start < e for s, e in found[m.doc_id]) for m in gold
        )
        n_found = sum(len({id(x) for x in find_entities(t, **kwargs)}) for t in texts.values())
        print(
            f"{label}: {hit}/{len(gold)} gold mentions overlapped ({hit / len(gold):.3f}); "
            f"{n_found} entities found in {len(texts)} articles"
        )


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/semeval2025-task10"))
