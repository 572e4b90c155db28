"""Time to the first results of a fresh process (what a batch worker or a cold `analyze` waits
for), techniques-only pipeline on two short documents, with language detection ("real") and with
``language.detect`` replaced by a stub that answers English at once ("stub"). Run each mode in
its own process, interleaved:

    for i in 1 2 3; do for m in stub real; do SPINSCOPE_THREADS=1 PYTHONPATH=src \
        python bench/language_first_batch.py $m; done; done
"""

from __future__ import annotations

import sys
import time

t0 = time.perf_counter()
from spinscope.analysis import language  # noqa: E402
from spinscope.model.language import Language  # noqa: E402

if sys.argv[1:] == ["stub"]:
    language.detect = lambda text: Language("en", 1.0)
from spinscope.analysis.pipeline import Pipeline  # noqa: E402
from spinscope.model.document import Document  # noqa: E402
from spinscope.settings import load_settings  # noqa: E402

pipeline = Pipeline(load_settings({"pipeline.analyzers": "techniques"}))
docs = [Document(f"The corrupt elites lied to us again, and they are traitors, number {k}.")
        for k in range(2)]  # fmt: skip
pipeline.run(docs)
print(f"{sys.argv[1:]}: {time.perf_counter() - t0:.2f} s wall, {time.process_time():.2f} s CPU")
