"""Training (needs the ``[train]`` extra): datasets -> fine-tuned encoder -> ONNX + quantisation."""
