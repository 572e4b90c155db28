"""Text output of `spinscope eval`: one formatter per task of ``evaluation.tasks.TASKS``."""

from __future__ import annotations

from collections.abc import Callable


def _ptc(r: dict, task: str, lang: str = "EN") -> list[str]:
    lines = [
        f"PTC {r['split']} ({r['n_articles']} articles), model {r['model']} "
        f"{r['model_version']} ({r['variant']}), threshold {r['threshold']}",
        f"  SI F1        {r['si_f1']:.4f}  (P {r['si_precision']:.4f}, R {r['si_recall']:.4f})",
        f"  TC micro-F1  {r['tc_micro_f1']:.4f}",
        f"  full task F1 {r['full_task_f1']:.4f}  ({r['decoder']} decoder)",
    ]
    for label, f1 in r["tc_per_technique_f1"].items():
        lines.append(
            f"    {label:38s} TC F1 {f1:.3f}  full F1 {r['full_task_per_technique_f1'][label]:.3f}"
        )
    return lines


def _st3(r: dict, task: str, lang: str = "EN") -> list[str]:
    lines = [
        f"SemEval-2023 ST3, {r['split']}: micro-F1 {r['micro_f1']:.4f}, "
        f"macro-F1 {r['macro_f1']:.4f}"
    ]
    return lines + _span_extras(r)


def _span_extras(r: dict) -> list[str]:
    lines = []
    if "span_f1" in r:
        lines.append(
            f"  span F1 {r['span_f1']:.4f} (P {r['span_precision']:.4f}, R "
            f"{r['span_recall']:.4f}), ECE {r['ece']:.4f} over {r['findings']} findings"
        )
    if "constant_floor" in r:
        floor = r["constant_floor"]
        lines.append(
            f"  constant floor (chosen on train): micro-F1 {floor['micro_f1']:.4f} with "
            f"{', '.join(floor['labels'])} on every paragraph"
        )
    return lines


def _ct24(r: dict, task: str, lang: str = "EN") -> list[str]:
    return [
        f"CheckThat! 2024 T3, {r['split']}, model {r['model']} {r['model_version']}: "
        f"paragraph micro-F1 {r['micro_f1']:.4f}, macro-F1 {r['macro_f1']:.4f}",
        *_span_extras(r),
    ]


def _paragraphs(r: dict, task: str, lang: str = "EN") -> list[str]:
    name = "CheckThat! 2024 T3" if task.startswith("checkthat24") else "SemEval-2023 ST3"
    tagger = " with the multilingual tagger" if r.get("multilingual_tagger") else ""
    lines = [
        f"{name}, {r['split']}, model {r['model']} {r['model_version']}{tagger}: paragraph "
        f"micro-F1 "
        f"{r['micro_f1']:.4f}, macro-F1 {r['macro_f1']:.4f}",
        f"  ECE {r['ece']:.4f} over {r['findings']} findings ({r['ece_all_scores']:.4f} over "
        "every score)",
    ]
    return lines + _span_extras({k: v for k, v in r.items() if k == "constant_floor"})


def _checkthat(r: dict, task: str, lang: str = "EN") -> list[str]:
    name = {"checkthat19": "CheckThat! 2019 Task 1", "checkthat20": "CheckThat! 2020 Task 1"}
    return [
        f"{name[task]} {r['split']} ({r['sentences']} sentences, {r['positives']} check-worthy), "
        f"head {r['head']}: MAP {r['map']:.4f}",
        "  MAP by head: " + ", ".join(f"{k} {v:.4f}" for k, v in r["map_by_head"].items()),
    ]


def _claimbuster(r: dict, task: str, lang: str = "EN") -> list[str]:
    return [
        f"ClaimBuster {r['dataset']}, {r['folds']}-fold cross-validation "
        f"(check-worthy class, threshold {r['threshold']}):",
        f"  F1 {r['f1']['mean']:.4f} ± {r['f1']['sd']:.4f}  "
        f"(P {r['precision']['mean']:.4f}, R {r['recall']['mean']:.4f})",
    ]


def _framing(r: dict, task: str, lang: str = "EN") -> list[str]:
    metric = "genre_macro_f1" if task == "semeval23-st1" else "frames_micro_f1"
    return [
        f"SemEval-2023 {task[-3:].upper()}, {r['split']} ({r['articles']} articles): "
        f"{metric.replace('_', ' ')} {r[metric]:.4f}"
    ]


def _framing_ml(r: dict, task: str, lang: str = "EN") -> list[str]:
    if "macro_f1" in r:
        mix = ", ".join(f"{g} {share:.0%}" for g, share in r["mix"].items())
        return [
            f"SemEval-2023 ST1 (model {r['model']}), {r['split']} ({r['articles']} articles; mix "
            f"{mix}): genre macro-F1 {r['macro_f1']:.4f} (uniform-prior rule), "
            f"{r['macro_f1_em']:.4f} with EM-re-estimated priors"
        ]
    return [
        f"SemEval-2023 ST2 (model {r['model']}), {r['split']}: frames micro-F1 "
        f"{r['frames_micro_f1']:.4f}"
    ]


def _roles(r: dict, task: str, lang: str) -> list[str]:
    return [
        f"SemEval-2025 ST1, {lang} dev ({r['mentions']} given mentions): exact match ratio "
        f"{r['emr']:.4f}, main-role accuracy {r['main_role_accuracy']:.4f} "
        f"(majority class {r['main_role_accuracy_of_majority_class']:.4f})"
    ]


def _narratives(r: dict, task: str, lang: str) -> list[str]:
    return [
        f"SemEval-2025 ST2, {lang} dev ({r['documents']} documents, model {r['model']}): F1 fine "
        f"{r['f1_fine']:.4f} (sd {r['f1_fine_sd']:.2f}), F1 coarse {r['f1_coarse']:.4f} "
        f"(sd {r['f1_coarse_sd']:.2f}); {r.get('not_sure', 0)} 'not sure' (written 'Other'; with"
        f" their guesses {r.get('f1_fine_with_guesses', 0):.4f} / "
        f"{r.get('f1_coarse_with_guesses', 0):.4f})"
    ]


FORMATTERS: dict[str, Callable[..., list[str]]] = {
    "ptc": _ptc,
    "semeval23-st1": _framing,
    "semeval23-st2": _framing,
    "semeval23-st1-ml": _framing_ml,
    "semeval23-st2-ml": _framing_ml,
    "semeval23-st3": _st3,
    "semeval25-st1": _roles,
    "semeval25-st2": _narratives,
    "checkthat19": _checkthat,
    "checkthat20": _checkthat,
    "claimbuster": _claimbuster,
    "checkthat24": _ct24,
    "semeval23-st3-paragraphs": _paragraphs,
    "checkthat24-paragraphs": _paragraphs,
}


def render(task: str, result: dict, lang: str = "EN") -> str:
    """The text lines `spinscope eval TASK` prints for ``result``."""
    return "\n".join(FORMATTERS[task](result, task, lang))
