"""Official metrics, written from the tasks' published definitions, and predict-to-file writers."""
