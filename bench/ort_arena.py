"""Peak memory and speed of the whole pipeline with onnxruntime's CPU memory arena on (the
default) or off, on 56 PTC training articles after an 8-article warm-up. Run each variant in its
own process, alternating:

    python bench/ort_arena.py arena; python bench/ort_arena.py noarena   (twice)
"""

import resource
import sys
import time

import onnxruntime as ort

if sys.argv[1:] == ["noarena"]:
    _Options = ort.SessionOptions

    class Options(_Options):
        def __init__(self):
            super().__init__()
            self.enable_cpu_mem_arena = False

    ort.SessionOptions = Options

from spinscope.analysis.pipeline import Pipeline  # noqa: E402 -- after the patch above
from spinscope.corpora.ptc import load_ptc  # noqa: E402
from spinscope.model.document import Document  # noqa: E402
from spinscope.settings import load_settings  # noqa: E402

data = sys.argv[2] if len(sys.argv) > 2 else "../shared/data"
docs = [Document(a.text) for a in load_ptc(f"{data}/ptc-semeval2020-task11", "train")[:64]]
pipeline = Pipeline(load_settings())
pipeline.run(docs[:8])
start = time.perf_counter()
for k in range(8, 64, 8):
    pipeline.run(docs[k : k + 8])
rate = 56 / (time.perf_counter() - start)
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
print(f"{sys.argv[1]}: {rate:.2f} articles/s, peak {peak_mb} MB")
