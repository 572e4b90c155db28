"""Plain data for the language of a document: its code, name and confidence, the language of each
paragraph, and which analysers read it zero-shot or not at all.

Codes are ISO 639-1 (``"en"``, ``"hu"``); ``"unknown"`` where the text is too short (or has too
few letters) to tell. Filled by ``spinscope.analysis.language`` and the pipeline.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from spinscope.model.record import Record

UNKNOWN = "unknown"

# ISO 639-1 code -> English name, for every language the detector can answer.
NAMES = {
    "af": "Afrikaans", "am": "Amharic", "an": "Aragonese", "ar": "Arabic", "as": "Assamese",
    "az": "Azerbaijani", "ba": "Bashkir", "be": "Belarusian", "bg": "Bulgarian", "bn": "Bengali",
    "br": "Breton", "bs": "Bosnian", "ca": "Catalan", "cs": "Czech", "cy": "Welsh",
    "da": "Danish", "de": "German", "dz": "Dzongkha", "el": "Greek", "en": "English",
    "eo": "Esperanto", "es": "Spanish", "et": "Estonian", "eu": "Basque", "fa": "Persian",
    "fi": "Finnish", "fo": "Faroese", "fr": "French", "fy": "Western Frisian", "ga": "Irish",
    "gd": "Scottish Gaelic", "gl": "Galician", "gu": "Gujarati", "ha": "Hausa", "he": "Hebrew",
    "hi": "Hindi", "hr": "Croatian", "ht": "Haitian Creole", "hu": "Hungarian", "hy": "Armenian",
    "id": "Indonesian", "ig": "Igbo", "is": "Icelandic", "it": "Italian", "ja": "Japanese",
    "jv": "Javanese", "ka": "Georgian", "kk": "Kazakh", "km": "Khmer", "kn": "Kannada",
    "ko": "Korean", "ku": "Kurdish", "ky": "Kyrgyz", "la": "Latin", "lb": "Luxembourgish",
    "lg": "Ganda", "ln": "Lingala", "lo": "Lao", "lt": "Lithuanian", "lv": "Latvian",
    "mg": "Malagasy", "mk": "Macedonian", "ml": "Malayalam", "mn": "Mongolian", "mr": "Marathi",
    "ms": "Malay", "mt": "Maltese", "my": "Burmese", "ne": "Nepali", "nl": "Dutch",
    "nn": "Norwegian Nynorsk", "no": "Norwegian", "oc": "Occitan", "om": "Oromo", "or": "Odia",
    "pa": "Punjabi", "pl": "Polish", "ps": "Pashto", "pt": "Portuguese", "qu": "Quechua",
    "ro": "Romanian", "ru": "Russian", "rw": "Kinyarwanda", "sa": "Sanskrit",
    "se": "Northern Sami", "si": "Sinhala", "sk": "Slovak", "sl": "Slovenian", "sn": "Shona",
    "so": "Somali", "sq": "Albanian", "sr": "Serbian", "st": "Southern Sotho", "sv": "Swedish",
    "sw": "Swahili", "ta": "Tamil", "te": "Telugu", "tg": "Tajik", "th": "Thai", "tk": "Turkmen",
    "tl": "Tagalog", "tr": "Turkish", "tt": "Tatar", "ug": "Uyghur", "uk": "Ukrainian",
    "ur": "Urdu", "uz": "Uzbek", "vi": "Vietnamese", "vo": "Volapük", "wa": "Walloon",
    "xh": "Xhosa", "yo": "Yoruba", "zh": "Chinese", "zu": "Zulu",
}  # fmt: skip


def language_name(code: str) -> str:
    """``"hu"`` -> ``"Hungarian"``; an unlisted code is its own name."""
    if code == UNKNOWN:
        return "unknown language"
    return NAMES.get(code, code)


def describe(code: str) -> str:
    """``"hu"`` -> ``"Hungarian (hu)"``."""
    return language_name(code) if code == UNKNOWN else f"{language_name(code)} ({code})"


@dataclass(frozen=True)
class Paragraph(Record):
    """A paragraph (a run of text between line breaks) and its language. ``inherited``: too short
    (or too unsure) to judge alone, it takes the document's language."""

    start: int
    end: int
    code: str
    confidence: float
    inherited: bool = False


@dataclass(frozen=True)
class Language:
    """The language of a document: its code and confidence (0-1), its paragraphs' languages, and,
    set by the pipeline, the analysers that read it zero-shot (trained on other languages) and
    those that do not support it at all (their findings there are left out)."""

    code: str
    confidence: float
    paragraphs: tuple[Paragraph, ...] = ()
    zero_shot: tuple[str, ...] = ()
    unsupported: tuple[str, ...] = ()
    detector: str = ""

    @property
    def name(self) -> str:
        return language_name(self.code)

    @property
    def known(self) -> bool:
        return self.code != UNKNOWN

    def at(self, offset: int) -> str:
        """The language code of the paragraph holding character ``offset`` (the document's
        between paragraphs)."""
        for p in self.paragraphs:
            if p.start <= offset < p.end:
                return p.code
            if p.start > offset:
                break
        return self.code

    def others(self) -> dict[str, int]:
        """Language code -> number of paragraphs, for the paragraphs not in the document's
        language."""
        out: dict[str, int] = {}
        for p in self.paragraphs:
            if p.code != self.code:
                out[p.code] = out.get(p.code, 0) + 1
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "confidence": self.confidence,
            "zero_shot": list(self.zero_shot),
            "unsupported": list(self.unsupported),
            "detector": self.detector,
            "paragraphs": [p.to_dict() for p in self.paragraphs],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Language:
        return cls(
            code=str(data.get("code") or UNKNOWN),
            confidence=float(data.get("confidence") or 0.0),
            paragraphs=tuple(
                Paragraph(
                    int(p["start"]),
                    int(p["end"]),
                    str(p["code"]),
                    float(p.get("confidence") or 0.0),
                    bool(p.get("inherited", False)),
                )
                for p in data.get("paragraphs") or []
            ),  # fmt: skip
            zero_shot=tuple(data.get("zero_shot") or ()),
            unsupported=tuple(data.get("unsupported") or ()),
            detector=str(data.get("detector") or ""),
        )
