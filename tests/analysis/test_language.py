"""Language detection (analysis.language) and the pipeline's one language gate: results only in
the languages an analyser reads, one warning for the rest, the language shown everywhere."""

from __future__ import annotations

import json

import pytest
from rich.console import Console

from spinscope.analysis import language
from spinscope.analysis.pipeline import Pipeline
from spinscope.model.document import AnalysisResult, Document, Finding
from spinscope.model.jsonable import dumps
from spinscope.model.labels import ArticleLabel, Evidence
from spinscope.model.language import NAMES, UNKNOWN, Language
from spinscope.report.html import render_html
from spinscope.report.terminal import render_terminal
from spinscope.settings import load_settings

# Two sentences per language, written for these tests (not taken from any dataset).
SAMPLES = {
    "en": "The minister said on Tuesday that the new budget would cut taxes for small firms. "
    "Critics called the plan a gift to the rich.",
    "fr": "Le ministre a déclaré mardi que le nouveau budget réduirait les impôts des petites "
    "entreprises. Les critiques y voient un cadeau fait aux riches.",
    "de": "Der Minister sagte am Dienstag, dass der neue Haushalt die Steuern für kleine Firmen "
    "senken werde. Kritiker nannten den Plan ein Geschenk an die Reichen.",
    "it": "Il ministro ha detto martedì che il nuovo bilancio ridurrà le tasse per le piccole "
    "imprese. I critici hanno definito il piano un regalo ai ricchi.",
    "pl": "Minister powiedział we wtorek, że nowy budżet obniży podatki dla małych firm. "
    "Krytycy nazwali ten plan prezentem dla bogatych.",
    "ru": "Министр заявил во вторник, что новый бюджет снизит налоги для малых фирм. "
    "Критики назвали этот план подарком богатым.",
    "es": "El ministro dijo el martes que el nuevo presupuesto bajará los impuestos a las "
    "pequeñas empresas. Los críticos llamaron al plan un regalo para los ricos.",
    "pt": "O ministro disse na terça-feira que o novo orçamento vai baixar os impostos das "
    "pequenas empresas. Os críticos chamaram o plano de presente para os ricos.",
    "bg": "Министърът заяви във вторник, че новият бюджет ще намали данъците на малките "
    "фирми. Критиците нарекоха плана подарък за богатите.",
    "el": "Ο υπουργός δήλωσε την Τρίτη ότι ο νέος προϋπολογισμός θα μειώσει τους φόρους για "
    "τις μικρές επιχειρήσεις. Οι επικριτές το αποκάλεσαν δώρο στους πλούσιους.",
    "ka": "მინისტრმა სამშაბათს განაცხადა, რომ ახალი ბიუჯეტი მცირე ფირმებისთვის გადასახადებს "
    "შეამცირებს. კრიტიკოსებმა გეგმას მდიდრებისთვის საჩუქარი უწოდეს.",
    "hi": "मंत्री ने मंगलवार को कहा कि नया बजट छोटी कंपनियों के लिए कर कम करेगा। आलोचकों ने "
    "इस योजना को अमीरों के लिए तोहफ़ा बताया।",
}
HUNGARIAN = (
    "A miniszter kedden azt mondta, hogy az új költségvetés csökkenti a kisvállalkozások adóit. "
    "A bírálók szerint a terv ajándék a gazdagoknak."
)
FINNISH = (
    "Ministeri sanoi tiistaina, että uusi talousarvio laskee pienten yritysten veroja. "
    "Arvostelijoiden mielestä suunnitelma on lahja rikkaille."
)


@pytest.mark.parametrize("code", sorted(SAMPLES))
def test_each_language_is_detected_with_its_name(code):
    lang = language.detect(SAMPLES[code])
    assert lang.code == code and lang.confidence > 0.5
    assert lang.name == NAMES[code] and lang.paragraphs[0].code == code


def test_empty_and_very_short_texts_are_unknown_without_crashing():
    assert language.detect("").code == UNKNOWN and language.detect("").paragraphs == ()
    short = language.detect("Three words only")
    assert short.code == UNKNOWN and short.confidence == 0.0
    assert language.detect("12 345 — 67 %").code == UNKNOWN


def test_short_paragraphs_inherit_the_documents_language():
    text = f"Paris, AFP\n\n{SAMPLES['fr']}\n\nPhoto: Reuters\n\n{SAMPLES['fr']}"
    lang = language.detect(text)
    assert lang.code == "fr"
    assert [p.code for p in lang.paragraphs] == ["fr"] * 4
    assert [p.inherited for p in lang.paragraphs] == [True, False, True, False]


def test_a_mixed_text_takes_the_language_of_most_of_its_letters():
    text = f"{SAMPLES['en']}\n\n{HUNGARIAN}\n\n{SAMPLES['en']}"
    lang = language.detect(text)
    assert lang.code == "en"
    assert [p.code for p in lang.paragraphs] == ["en", "hu", "en"]
    assert lang.others() == {"hu": 1}
    hu = lang.paragraphs[1]
    assert text[hu.start : hu.end] == HUNGARIAN and lang.at(hu.start + 5) == "hu"


def test_every_code_the_detector_answers_has_a_name():
    assert set(language._load().labels) <= set(NAMES)


# -- the gate, with stand-in analysers (no models) ---------------------------------------------


class FirstWords:
    """A stand-in span analyser: one finding on the first word of every paragraph."""

    name = "firstwords"
    version = "test.v1"
    languages: tuple[str, ...] = ("en",)
    zero_shot_languages: tuple[str, ...] = ()

    def analyze(self, docs):
        return [
            [
                Finding(
                    s,
                    s + len(doc.text[s:e].split()[0]),
                    doc.text[s:e].split()[0],
                    "X",
                    "semeval2023",
                    "",
                    0.9,
                    "first word",
                    self.name,
                )
                for s, e in language.paragraphs(doc.text)
            ]  # fmt: skip
            for doc in docs
        ]

    def provenance(self):
        return {"analyzer": self.name, "version": self.version}


class Genre:
    """A stand-in article-level analyser that reads doc.language, as framing does."""

    name = "genre"
    version = "test.v1"
    produces = "labels"
    needs_language = True
    languages = ("en", "fr")

    def analyze(self, docs):
        assert all(d.language is not None for d in docs)  # detected before this runs
        return [
            [
                ArticleLabel(
                    "genre", "reporting", 0.9, [Evidence(0, 3, d.text[:3], 1.0)], "", self.name
                )
            ]
            for d in docs
        ]

    def provenance(self):
        return {"analyzer": self.name, "version": self.version}


class AnyLanguage(FirstWords):
    name = "anylanguage"
    languages = None  # declares nothing: reads every language


def pipeline(*analyzers) -> Pipeline:
    p = Pipeline(load_settings(), analyzers=[])
    p.analyzers = list(analyzers)
    return p


def test_an_unsupported_language_gives_one_warning_and_no_findings():
    (r,) = pipeline(FirstWords(), Genre(), AnyLanguage()).run([Document(HUNGARIAN)])
    assert r.doc.language.code == "hu"
    assert r.warnings == [
        "language: Hungarian (hu) is not supported by firstwords, genre; no results from them "
        "for 1 of 1 paragraph."
    ]
    assert {f.analyzer for f in r.findings} == {"anylanguage"} and r.labels == []
    assert r.doc.language.unsupported == ("firstwords", "genre")


def test_a_mixed_text_keeps_findings_in_supported_paragraphs_only():
    text = f"{SAMPLES['en']}\n\n{FINNISH}\n\n{SAMPLES['en']}"
    (r,) = pipeline(FirstWords(), Genre()).run([Document(text)])
    kept = [f for f in r.findings if f.analyzer == "firstwords"]
    assert [f.text for f in kept] == ["The", "The"]
    assert r.labels and r.labels[0].label == "reporting"  # the article is English
    assert r.warnings == [
        "language: Finnish (fi) is not supported by firstwords; no results from it for 1 of 3 "
        "paragraphs."
    ]
    r.check_offsets()


def test_zero_shot_languages_are_kept_and_named():
    class Multi(FirstWords):
        name = "multi"
        languages = ("en", "fr")
        zero_shot_languages = ("es",)

    (r,) = pipeline(Multi()).run([Document(SAMPLES["es"])])
    assert r.warnings == [] and len(r.findings) == 1
    assert r.doc.language.zero_shot == ("multi",)


def test_analysers_of_one_family_share_their_languages_in_the_warning():
    class English(FirstWords):
        name, family = "english_spans", "spans"

    class French(FirstWords):
        name, family, languages = "french_spans", "spans", ("fr",)

    p = pipeline(English(), French())
    en, fr, hu = p.run([Document(SAMPLES["en"]), Document(SAMPLES["fr"]), Document(HUNGARIAN)])
    assert en.warnings == [] and fr.warnings == []  # one of the family reads each
    assert {f.analyzer for f in en.findings} == {"english_spans"}  # each keeps its own language
    assert {f.analyzer for f in fr.findings} == {"french_spans"}
    assert hu.warnings == [
        "language: Hungarian (hu) is not supported by spans; no results from it for 1 of 1 "
        "paragraph."
    ]
    assert hu.doc.language.unsupported == ("spans",)


def test_a_supported_language_gives_no_warning_and_short_texts_no_crash():
    p = pipeline(FirstWords(), Genre())
    en, short, empty = p.run([Document(SAMPLES["en"]), Document("Three words only"), Document("")])
    assert en.warnings == [] and len(en.findings) == 1 and en.doc.language.code == "en"
    assert short.doc.language.code == UNKNOWN and short.warnings == []
    assert empty.findings == [] and empty.warnings == []


def test_a_language_set_by_the_caller_is_kept():
    doc = Document(SAMPLES["en"], language=Language("fr", 1.0))
    (r,) = pipeline(Genre()).run([doc])
    assert r.doc.language.code == "fr"


# -- shown everywhere ----------------------------------------------------------------------------


def hungarian_result() -> AnalysisResult:
    (r,) = pipeline(FirstWords()).run(
        [Document(f"{SAMPLES['en']}\n\n{HUNGARIAN}\n\n{SAMPLES['en']}")]
    )
    return r


def test_the_language_is_in_the_json_and_survives_a_round_trip():
    r = hungarian_result()
    data = json.loads(dumps(r.to_dict()))
    lang = data["document"]["language"]
    assert lang["code"] == "en" and lang["name"] == "English"
    assert [p["code"] for p in lang["paragraphs"]] == ["en", "hu", "en"]
    assert AnalysisResult.from_dict(data).doc.language == r.doc.language


def test_the_language_is_in_the_html_report_and_the_terminal():
    r = hungarian_result()
    page = render_html(r)
    assert "English (en), confidence" in page
    assert "also Hungarian (hu) in 1 of 3 paragraphs" in page
    assert "Hungarian (hu) is not supported by firstwords" in page
    console = Console(record=True, width=200)
    render_terminal(r, console)
    out = console.export_text()
    assert "language: English (en), confidence" in out and "Warning: language: Hungarian" in out


def test_a_hostile_language_code_is_escaped():
    data = hungarian_result().to_dict()
    data["document"]["language"]["code"] = "<script>alert(1)</script>"
    page = render_html(data)
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page


# -- the shipped analysers -----------------------------------------------------------------------

LOADED = (
    "The corrupt elites lied to us again, and everyone knows they are traitors to this great "
    "nation. Exports fell 12% in 2023, the minister said on Monday."
)


@pytest.fixture(scope="module")
def shipped():
    return Pipeline(load_settings())


def test_the_shipped_english_analysers_say_nothing_about_hungarian(shipped):
    (r,) = shipped.run([Document(HUNGARIAN)])
    assert r.findings == [] and r.claims == []
    assert all(x.unsure for x in r.labels)  # framing says "not sure", and why
    (warning,) = r.warnings
    assert warning.startswith("language: Hungarian (hu) is not supported by techniques, claims")


def test_the_shipped_analysers_keep_english_findings_of_a_mixed_text(shipped):
    text = f"{LOADED}\n\n{HUNGARIAN}\n\n{LOADED}"
    (r,) = shipped.run([Document(text)])
    hu = r.doc.language.paragraphs[1]
    assert r.findings and r.claims
    assert not [x for x in [*r.findings, *r.claims] if hu.start <= x.start < hu.end]
    assert any(f.start < hu.start for f in r.findings)
    assert any(f.start >= hu.end for f in r.findings)
    assert len(r.warnings) == 1 and "1 of 3 paragraphs" in r.warnings[0]
