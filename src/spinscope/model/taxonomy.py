"""The two persuasion-technique taxonomies spinscope predicts, as plain data.

* ``ptc2020``: SemEval-2020 Task 11 (Propaganda Techniques Corpus), 14 techniques.
* ``semeval2023``: SemEval-2023 Task 3 subtask 3, 23 techniques in 6 categories.

Label strings are the official ones (they are what the scorers and submission files use).
PTC techniques are placed in the 2023 category their successor belongs to.
"""

from __future__ import annotations

PTC2020 = "ptc2020"
SEMEVAL2023 = "semeval2023"

CATEGORIES_2023: dict[str, tuple[str, ...]] = {
    "Attack on reputation": (
        "Name_Calling-Labeling",
        "Guilt_by_Association",
        "Doubt",
        "Appeal_to_Hypocrisy",
        "Questioning_the_Reputation",
    ),
    "Justification": (
        "Flag_Waving",
        "Appeal_to_Authority",
        "Appeal_to_Popularity",
        "Appeal_to_Values",
        "Appeal_to_Fear-Prejudice",
    ),
    "Simplification": (
        "Causal_Oversimplification",
        "False_Dilemma-No_Choice",
        "Consequential_Oversimplification",
    ),
    "Distraction": ("Straw_Man", "Red_Herring", "Whataboutism"),
    "Call": ("Slogans", "Conversation_Killer", "Appeal_to_Time"),
    "Manipulative wording": (
        "Loaded_Language",
        "Obfuscation-Vagueness-Confusion",
        "Exaggeration-Minimisation",
        "Repetition",
    ),
}

# Official order of the 2023 technique file (techniques_subtask3.txt).
LABELS_2023: tuple[str, ...] = (
    "Appeal_to_Authority",
    "Appeal_to_Popularity",
    "Appeal_to_Values",
    "Appeal_to_Fear-Prejudice",
    "Flag_Waving",
    "Causal_Oversimplification",
    "False_Dilemma-No_Choice",
    "Consequential_Oversimplification",
    "Straw_Man",
    "Red_Herring",
    "Whataboutism",
    "Slogans",
    "Appeal_to_Time",
    "Conversation_Killer",
    "Loaded_Language",
    "Repetition",
    "Exaggeration-Minimisation",
    "Obfuscation-Vagueness-Confusion",
    "Name_Calling-Labeling",
    "Doubt",
    "Guilt_by_Association",
    "Appeal_to_Hypocrisy",
    "Questioning_the_Reputation",
)

# Official order of propaganda-techniques-names-semeval2020task11.txt.
LABELS_2020: tuple[str, ...] = (
    "Appeal_to_Authority",
    "Appeal_to_fear-prejudice",
    "Bandwagon,Reductio_ad_hitlerum",
    "Black-and-White_Fallacy",
    "Causal_Oversimplification",
    "Doubt",
    "Exaggeration,Minimisation",
    "Flag-Waving",
    "Loaded_Language",
    "Name_Calling,Labeling",
    "Repetition",
    "Slogans",
    "Thought-terminating_Cliches",
    "Whataboutism,Straw_Men,Red_Herring",
)

CATEGORIES_2020: dict[str, str] = {
    "Appeal_to_Authority": "Justification",
    "Appeal_to_fear-prejudice": "Justification",
    "Bandwagon,Reductio_ad_hitlerum": "Justification",
    "Black-and-White_Fallacy": "Simplification",
    "Causal_Oversimplification": "Simplification",
    "Doubt": "Attack on reputation",
    "Exaggeration,Minimisation": "Manipulative wording",
    "Flag-Waving": "Justification",
    "Loaded_Language": "Manipulative wording",
    "Name_Calling,Labeling": "Attack on reputation",
    "Repetition": "Manipulative wording",
    "Slogans": "Call",
    "Thought-terminating_Cliches": "Call",
    "Whataboutism,Straw_Men,Red_Herring": "Distraction",
}

LABELS: dict[str, tuple[str, ...]] = {PTC2020: LABELS_2020, SEMEVAL2023: LABELS_2023}


def category(taxonomy: str, label: str) -> str:
    """The SemEval-2023 category a technique of either taxonomy belongs to."""
    if taxonomy == PTC2020:
        return CATEGORIES_2020[label]
    for name, members in CATEGORIES_2023.items():
        if label in members:
            return name
    raise KeyError(label)
