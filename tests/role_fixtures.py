"""Texts written for the roles tests (not from any dataset)."""

# a neutral court report: no name in it plays a role, and its headline merges "Acosta's White
# House" (tests/analysis/test_roles_gating.py, tests/api/test_roles_default_off.py)
COURT = (
    "Judge orders CNN's Jim Acosta press pass restored in suit against Acosta's White House\n\n"
    "A federal judge on Friday ordered the White House to restore the press credentials of "
    "Jim Acosta, the chief White House correspondent for CNN. The judge said the "
    "administration had not followed due process when it suspended the pass. CNN had sued "
    "the administration earlier this week. Acosta returned to the briefing room on Friday "
    "afternoon. Trump's spokesman Taylor Budowich said the White House would comply with the "
    "order. Lawyers for CNN said they were pleased."
)
