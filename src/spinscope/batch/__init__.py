"""Corpus runs: read sources, analyse documents in batches, store each batch in one transaction.

Two engines with the same semantics and the same results: ``local`` (this process, or worker
processes that each load the models once) and ``ray`` (Ray actors that each load the models
once). Either way a document is analysed by the same ``Pipeline`` as ``spinscope analyze``.
"""

from spinscope.batch.run import EXIT_PARTIAL, Interrupted, Summary, run_batch

__all__ = ["EXIT_PARTIAL", "Interrupted", "Summary", "run_batch"]
