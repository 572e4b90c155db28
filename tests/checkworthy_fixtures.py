"""Small hand-written check-worthiness datasets in the three formats (for tests only)."""

from __future__ import annotations

import json
from pathlib import Path

FACTUAL = [
    "Unemployment fell from 10 percent to 4.7 percent in seven years.",
    "We have added 15 million private sector jobs since 2010.",
    "The deficit was 1.4 trillion dollars when I took office.",
    "Ninety-five percent of working families got a tax cut.",
    "Crime in our cities went up 20 percent last year.",
    "We spend 700 billion dollars a year on defence.",
    "Twelve million people lost their health insurance.",
    "Oil imports have dropped by half in eight years.",
    "Our debt doubled to 20 trillion dollars in eight years.",
    "The average family pays 4,000 dollars more in taxes.",
]
OTHER = [
    "Thank you very much, good night.",
    "I want to thank the moderators.",
    "Let's go to the next question.",
    "Good evening to you all.",
    "That's a great question.",
    "I believe in America.",
    "We will make this country great.",
    "Please welcome the candidates.",
    "Well, let me say this.",
    "I think we need a new direction.",
]


def write_datasets(root: Path) -> dict[str, Path]:
    """Write ClaimBuster (40 sentences), CheckThat! 2019 (2 training + 2 test transcripts, test
    with CRLF) and CheckThat! 2020 (CRLF) fixtures under ``root``; return their folders."""
    cb = root / "claimbuster"
    cb.mkdir(parents=True)
    items = []
    for k, text in enumerate(FACTUAL + OTHER):
        items.append({"sentence_id": k, "label": int(k < len(FACTUAL)), "text": text})
    for k, text in enumerate(FACTUAL + OTHER):
        items.append({"sentence_id": 100 + k, "label": int(k < len(FACTUAL)), "text": "So " + text})
    (cb / "2.5xNCS.json").write_text(json.dumps(items, indent=1), encoding="utf-8")

    ct19 = root / "checkthat2019-task1-en"
    for split, names, eol in (
        ("training", ("a_debate", "b_speech"), "\n"),
        ("test", ("c_debate", "d_speech"), "\r\n"),
    ):
        (ct19 / split).mkdir(parents=True)
        for j, name in enumerate(names):
            rows = []
            texts = FACTUAL[j * 5 : j * 5 + 5] + OTHER[j * 5 : j * 5 + 5]
            for n, text in enumerate(texts, start=1):
                rows.append(f"{n}\tSPEAKER\t{text}\t{int(n <= 2)}")
            (ct19 / split / f"{name}.tsv").write_bytes((eol.join(rows) + eol).encode("utf-8"))

    ct20 = root / "checkthat2020-task1-en"
    ct20.mkdir()
    header = "topic_id\ttweet_id\ttweet_url\ttweet_text\tclaim\t{last}"
    for fname, last in (
        ("training_v2.tsv", "check_worthiness"),
        ("dev_v2.tsv", "check_worthiness"),
        ("test-gold.tsv", "claim_worthiness"),
    ):
        rows = [header.format(last=last)]
        for k, text in enumerate(FACTUAL[:4] + OTHER[:4]):
            rows.append(f"covid-19\t{1000 + k}\thttps://t.co/{k}\t{text}\t1\t{int(k < 4)}")
        (ct20 / fname).write_bytes(("\r\n".join(rows) + "\r\n").encode("utf-8"))
    return {"claimbuster": cb, "checkthat19": ct19, "checkthat20": ct20}
