"""Peak memory and speed of the whole pipeline under three onnxruntime memory set-ups, on 56 PTC
training articles after an 8-article warm-up:

- ``shared`` (what spinscope does): one CPU memory arena for all of a process's sessions;
- ``per-session``: onnxruntime's default, each session with its own arena;
- ``noarena``: no arena at all.

Run each variant in its own process, alternating:

    for v in shared per-session noarena shared per-session noarena; do
        python bench/ort_arena.py $v; done
"""

import resource
import sys
import time

import onnxruntime as ort

import spinscope.analysis.encoder as encoder

variant = sys.argv[1]
if variant in ("per-session", "noarena"):
    encoder._shared_arena = lambda ort: None
    _Options = ort.SessionOptions

    class Options(_Options):
        def __init__(self):
            super().__init__()
            self.enable_cpu_mem_arena = variant != "noarena"

        def add_session_config_entry(self, key, value):
            if key != "session.use_env_allocators":
                super().add_session_config_entry(key, value)

    ort.SessionOptions = Options
elif variant != "shared":
    sys.exit("usage: python bench/ort_arena.py shared|per-session|noarena [DATA]")

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
print(f"{variant}: {rate:.2f} articles/s, peak {peak_mb} MB")
