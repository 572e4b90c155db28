"""The technique definitions of both taxonomies, as data (see ``model.definitions`` for how
each entry is written and read)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from spinscope.model.taxonomy import PTC2020, SEMEVAL2023


@dataclass(frozen=True)
class TechniqueDefinition:
    """How one technique of one taxonomy is named, defined and illustrated."""

    name: str
    definition: str
    gist: str
    example: str
    differs: str = ""


_D = TechniqueDefinition

# SemEval-2023 Task 3, subtask 3: 23 techniques.
DEFINITIONS_2023: dict[str, TechniqueDefinition] = {
    # Attack on reputation
    "Name_Calling-Labeling": _D(
        name="Name calling / labeling",
        definition=(
            "Attaches an insulting or admiring label to a person or group so that readers "
            "judge the target by the label instead of by arguments."
        ),
        gist="labels its target so the reader judges the label rather than the arguments",
        example="Only the usual crowd of armchair experts still opposes the new bike lane.",
        differs=(
            "Differs from loaded language in that the charged words form a label for a "
            "specific person or group."
        ),
    ),
    "Guilt_by_Association": _D(
        name="Guilt by association",
        definition=(
            "Discredits a person, group or idea by linking it to someone or something the "
            "audience already views negatively."
        ),
        gist="discredits its target by linking it to something the reader already dislikes",
        example="The library plan comes from the same people who ran the failed monorail company.",
        differs=(
            "Differs from name calling in that the target is tied to a disliked party rather "
            "than given a label."
        ),
    ),
    "Doubt": _D(
        name="Casting doubt",
        definition=(
            "Questions the credibility, competence or motives of someone or something without "
            "offering real evidence."
        ),
        gist="casts doubt on its target's credibility without offering evidence",
        example="Can we really trust a treasurer who cannot even balance her own chequebook?",
        differs=(
            "Differs from questioning the reputation in that it undermines credibility on the "
            "matter at hand rather than smearing general character."
        ),
    ),
    "Appeal_to_Hypocrisy": _D(
        name="Appeal to hypocrisy (tu quoque)",
        definition=(
            "Dismisses a position by accusing its advocate of acting against it, instead of "
            "addressing the position itself."
        ),
        gist="dismisses the argument by accusing its maker of hypocrisy",
        example="The councillor who asks us to save water has a swimming pool in her garden.",
        differs=(
            "Differs from whataboutism in that it attacks the speaker's own consistency rather "
            "than pointing to a different party's wrongdoing."
        ),
    ),
    "Questioning_the_Reputation": _D(
        name="Questioning the reputation",
        definition=(
            "Undermines the character or moral standing of a person or group with strong "
            "negative claims instead of engaging with the topic."
        ),
        gist="attacks its target's character instead of the issue",
        example="Everyone knows the club's new coach has never cared about anything but fame.",
        differs=(
            "Differs from casting doubt in that it smears character and morals rather than "
            "questioning competence or credibility on the topic."
        ),
    ),
    # Justification
    "Flag_Waving": _D(
        name="Flag waving",
        definition=(
            "Justifies an idea by appealing to pride in, or the supposed interests of, a group "
            "such as a nation, region or community."
        ),
        gist="appeals to group pride or identity to justify its point",
        example="Any true citizen of our valley will vote for the new bridge.",
        differs=(
            "Differs from appeal to values in that it invokes a group identity rather than "
            "shared principles."
        ),
    ),
    "Appeal_to_Authority": _D(
        name="Appeal to authority",
        definition=(
            "Presents a claim as true mainly because an authority or expert is said to support "
            "it, often one with no expertise on the subject."
        ),
        gist="leans on an authority's backing instead of evidence",
        example="A famous actor says this diet works, so it must be true.",
        differs=(
            "Differs from appeal to popularity in that the backing comes from one authority "
            "rather than from the crowd."
        ),
    ),
    "Appeal_to_Popularity": _D(
        name="Appeal to popularity (bandwagon)",
        definition=(
            "Argues that an idea is right or should be adopted because many or most people "
            "already accept it."
        ),
        gist="claims its point is right simply because many people agree",
        example="Thousands of families have already switched to this phone plan; why haven't you?",
        differs=(
            "Differs from appeal to authority in that the support claimed is the crowd's, not "
            "an expert's."
        ),
    ),
    "Appeal_to_Values": _D(
        name="Appeal to values",
        definition=(
            "Justifies an idea by linking it to values the audience holds dear, such as "
            "tradition, freedom, fairness or faith."
        ),
        gist="wraps its point in values the reader holds dear instead of reasons",
        example="Keeping the old market square is simply a matter of respecting tradition.",
        differs=(
            "Differs from flag waving in that it invokes principles rather than pride in a group."
        ),
    ),
    "Appeal_to_Fear-Prejudice": _D(
        name="Appeal to fear / prejudice",
        definition=(
            "Promotes or rejects an idea by stirring up fear, anxiety or existing prejudice "
            "about the alternative."
        ),
        gist="stirs fear or prejudice to push the reader toward a conclusion",
        example="If the festival goes ahead, our quiet streets will be overrun by strangers.",
        differs=(
            "Differs from consequential oversimplification in that it plays on emotion rather "
            "than asserting a chain of consequences."
        ),
    ),
    # Simplification
    "Causal_Oversimplification": _D(
        name="Causal oversimplification",
        definition=(
            "Attributes an outcome to a single cause when it really has many, or blames one "
            "factor for a complex problem."
        ),
        gist="pins a complex outcome on a single cause",
        example="The team lost the season because the new mascot brought bad luck.",
        differs=(
            "Differs from consequential oversimplification in that it simplifies why something "
            "happened, not what a step will lead to."
        ),
    ),
    "False_Dilemma-No_Choice": _D(
        name="False dilemma / no choice",
        definition=(
            "Presents two options as the only possibilities when more exist, or presents one "
            "option as the only choice."
        ),
        gist="pretends there are only two options, or only one",
        example="Either we close the swimming pool or the town goes bankrupt.",
    ),
    "Consequential_Oversimplification": _D(
        name="Consequential oversimplification (slippery slope)",
        definition=(
            "Claims that a first step will inevitably set off a chain of events ending in an "
            "extreme outcome, without showing why."
        ),
        gist="claims one step will inevitably lead to an extreme outcome",
        example="If we allow food trucks on Sundays, soon there will be no restaurants left.",
        differs=(
            "Differs from appeal to fear in that it asserts an unsupported chain of "
            "consequences rather than only stirring emotion."
        ),
    ),
    # Distraction
    "Straw_Man": _D(
        name="Straw man",
        definition=(
            "Replaces an opponent's position with a distorted, weaker version and then refutes "
            "that version instead."
        ),
        gist="attacks a distorted version of the opposing view",
        example="The cycling club wants safer lanes, which means they want to ban cars entirely.",
        differs=(
            "Differs from red herring in that it still addresses the opponent's position, only "
            "a misrepresented one."
        ),
    ),
    "Red_Herring": _D(
        name="Red herring",
        definition=(
            "Introduces an irrelevant topic to divert attention from the issue under discussion."
        ),
        gist="diverts attention to an unrelated topic",
        example="Why worry about the leaking school roof when our football team just won the cup?",
        differs=(
            "Differs from whataboutism in that the distraction need not be a counter-accusation."
        ),
    ),
    "Whataboutism": _D(
        name="Whataboutism",
        definition=(
            "Deflects criticism by pointing to a supposed wrongdoing of the critic or of another "
            "party instead of answering it."
        ),
        gist="deflects criticism by pointing to someone else's wrongdoing",
        example="Yes, our report was late, but what about the firm that missed three deadlines?",
        differs=(
            "Differs from appeal to hypocrisy in that the counter-accusation need not show the "
            "critic breaking their own standard."
        ),
    ),
    # Call
    "Slogans": _D(
        name="Slogans",
        definition=(
            "Uses a brief, striking phrase that stands in for an argument, often with labels or "
            "stereotypes."
        ),
        gist="substitutes a catchy phrase for an argument",
        example="Clean streets, happy streets!",
        differs=(
            "Differs from conversation killer in that it rallies toward a cause rather than "
            "closing down discussion."
        ),
    ),
    "Conversation_Killer": _D(
        name="Conversation killer (thought-terminating cliché)",
        definition=(
            "Uses a stock phrase that discourages critical thought and ends discussion of the "
            "topic."
        ),
        gist="uses a stock phrase to shut down further discussion",
        example="Rules are rules, and there is nothing more to say about it.",
        differs="Differs from slogans in that it ends a debate rather than rallying support.",
    ),
    "Appeal_to_Time": _D(
        name="Appeal to time",
        definition=(
            "Argues that now is the moment to act, pressing urgency in place of reasons for "
            "the action itself."
        ),
        gist="presses urgency instead of giving reasons",
        example="The time to renovate the stadium is now; tomorrow will be too late.",
    ),
    # Manipulative wording
    "Loaded_Language": _D(
        name="Loaded language",
        definition=(
            "Uses words and phrases with strong emotional connotations to influence the reader "
            "rather than to inform."
        ),
        gist="uses emotionally charged words to sway the reader rather than inform",
        example="The committee's shocking, reckless decision betrayed every resident.",
        differs=(
            "Differs from name calling in that the charged words are not a label for a person "
            "or group, and from exaggeration in that they add tone, not false magnitude."
        ),
    ),
    "Obfuscation-Vagueness-Confusion": _D(
        name="Obfuscation / vagueness / confusion",
        definition=(
            "Uses deliberately unclear or ambiguous wording so that the audience can read into "
            "it whatever suits them."
        ),
        gist="uses deliberately vague wording that lets the reader supply the meaning",
        example="The new measures will be applied in due course, in an appropriate manner.",
    ),
    "Exaggeration-Minimisation": _D(
        name="Exaggeration / minimisation",
        definition=(
            "Presents something as much better, worse, larger or smaller than it really is."
        ),
        gist="overstates or downplays something to distort how big it really is",
        example="The new cafeteria menu is the greatest disaster in the history of the school.",
        differs=(
            "Differs from loaded language in that it distorts size or importance rather than "
            "only adding emotional tone."
        ),
    ),
    "Repetition": _D(
        name="Repetition",
        definition=(
            "Repeats the same word, phrase or idea again and again so that the audience comes "
            "to accept it."
        ),
        gist="repeats a message until it sounds accepted",
        example="The park is ours. The park stays ours. The park will always be ours.",
    ),
}

_S = DEFINITIONS_2023

# SemEval-2020 Task 11 (PTC): 14 techniques. Most match a 2023 technique; the notes name only
# PTC techniques, so that they make sense to a reader of a PTC report.
DEFINITIONS_2020: dict[str, TechniqueDefinition] = {
    "Appeal_to_Authority": replace(
        _S["Appeal_to_Authority"],
        differs=(
            "Differs from bandwagon in that the backing comes from one authority rather than "
            "from the crowd."
        ),
    ),
    "Appeal_to_fear-prejudice": replace(
        _S["Appeal_to_Fear-Prejudice"],
        differs=(
            "Differs from loaded language in that the emotional words build a specific threat "
            "that should decide the question."
        ),
    ),
    "Bandwagon,Reductio_ad_hitlerum": _D(
        name="Bandwagon / reductio ad Hitlerum",
        definition=(
            "Urges acceptance because everyone is supposedly on one side (bandwagon), or urges "
            "rejection because a despised group is said to support the idea (reductio ad "
            "Hitlerum)."
        ),
        gist="argues from who else supports the idea instead of from the idea itself",
        example=(
            "All our neighbours have signed up already; the only ones against it are the same "
            "crowd that once backed the old dictatorship."
        ),
        differs=(
            "Differs from appeal to authority in that the argument rests on a crowd, or on a "
            "despised supporter, rather than an expert."
        ),
    ),
    "Black-and-White_Fallacy": replace(
        _S["False_Dilemma-No_Choice"],
        name="Black-and-white fallacy / dictatorship",
        differs=(
            "Differs from causal oversimplification in that it narrows the options, not the causes."
        ),
    ),
    "Causal_Oversimplification": replace(
        _S["Causal_Oversimplification"],
        differs=(
            "Differs from black-and-white fallacy in that it narrows the causes of an outcome, "
            "not the options for a choice."
        ),
    ),
    "Doubt": replace(
        _S["Doubt"],
        differs=(
            "Differs from name calling in that it raises questions about the target rather "
            "than attaching a label."
        ),
    ),
    "Exaggeration,Minimisation": _S["Exaggeration-Minimisation"],
    "Flag-Waving": replace(
        _S["Flag_Waving"],
        differs=(
            "Differs from appeal to fear in that it draws on pride in a group rather than fear "
            "of an outsider."
        ),
    ),
    "Loaded_Language": replace(
        _S["Loaded_Language"],
        differs=(
            "Differs from name calling in that the charged words are not a label for a person "
            "or group, and from exaggeration in that they add tone, not false magnitude."
        ),
    ),
    "Name_Calling,Labeling": _S["Name_Calling-Labeling"],
    "Repetition": _S["Repetition"],
    "Slogans": replace(
        _S["Slogans"],
        differs=(
            "Differs from thought-terminating clichés in that it rallies toward a cause rather "
            "than closing down discussion."
        ),
    ),
    "Thought-terminating_Cliches": replace(
        _S["Conversation_Killer"],
        name="Thought-terminating cliché",
    ),
    "Whataboutism,Straw_Men,Red_Herring": _D(
        name="Whataboutism / straw man / red herring",
        definition=(
            "Distracts from the issue: deflects criticism with a counter-accusation, attacks a "
            "distorted version of the opposing view, or switches to an irrelevant topic."
        ),
        gist="distracts from the issue instead of addressing it",
        example="Why criticise our bus timetable when the next town cannot even run its trains?",
    ),
}

DEFINITIONS: dict[str, dict[str, TechniqueDefinition]] = {
    PTC2020: DEFINITIONS_2020,
    SEMEVAL2023: DEFINITIONS_2023,
}
