"""What each role may do, declared in one table (DESIGN.md section 1).

Which pupils and schools a role *reaches* is declared by the app that owns each relationship, in the registry in
`reach.py`, and applied by `sencohub.pupils.selectors.pupils_for_user` and `selectors.schools_for_user`; this table
says which *actions* a role allows within what it reaches. Views check both.
"""

from enum import StrEnum

from sencohub.schools.models import Role


class Action(StrEnum):
    VIEW_REGISTER = "view_register"  # the register and pupil pages (of the pupils the person may see)
    EDIT_REGISTER = "edit_register"  # SEN status, needs, parents told
    IMPORT_PUPILS = "import_pupils"
    EXPORT = "export"  # register CSV/XLSX and the census SEN fields
    RAISE_CONCERN = "raise_concern"
    TRIAGE_CONCERN = "triage_concern"
    VIEW_HISTORY = "view_history"  # who viewed or changed a pupil's record
    VIEW_FIGURES = "view_figures"  # anonymised, aggregated figures
    VIEW_EHC = "view_ehc"  # EHC needs assessment requests, plans, reviews (of the pupils the person may see)
    EDIT_EHC = "edit_ehc"  # record requests, the LA's decisions, plans, reviews and transfers
    VIEW_COMPLIANCE = "view_compliance"  # every statutory date, across the schools the person reaches
    MANAGE_DOCUMENTS = "manage_documents"  # the school's own Word templates
    VIEW_SUPPORT = "view_support"  # support plans, strategies and evidence (of the pupils the person may see)
    EDIT_SUPPORT = "edit_support"  # start, edit and review support plans
    RECORD_EVIDENCE = "record_evidence"  # a dated note against an outcome
    VIEW_PROVISION = "view_provision"  # the provision map and its costs
    EDIT_PROVISION = "edit_provision"  # the catalogue, pay bands, provisions and who is in them
    TAKE_REGISTER = "take_register"  # record a provision's sessions and who attended
    VIEW_WORKFORCE = "view_workforce"  # the school's SENCo appointments and qualifications
    EDIT_WORKFORCE = "edit_workforce"  # record them
    CONFIRM_SENCO_PROGRESS = (
        "confirm_senco_progress"  # the headteacher's word that the SENCo is working towards it
    )
    LOG_SENCO_TIME = "log_senco_time"  # the SENCo's weekly time log
    MANAGE_TRAINING = "manage_training"  # staff SEND training sessions, who attended, training needs
    OWN_TRAINING = "own_training"  # one's own SEND training record and confidence ratings
    VIEW_OVERVIEW = (
        "view_overview"  # the school's overview of what needs doing (the SENCo's, the head's start)
    )


_STAFF_READ = {Action.VIEW_REGISTER, Action.VIEW_FIGURES}
_HEAD_ONLY = {Action.CONFIRM_SENCO_PROGRESS}
# Teachers and teaching assistants do the same in the classroom: see and raise, record evidence, take registers.
_CLASSROOM = frozenset(
    {
        Action.VIEW_REGISTER,
        Action.RAISE_CONCERN,
        Action.VIEW_EHC,
        Action.VIEW_SUPPORT,
        Action.RECORD_EVIDENCE,
        Action.TAKE_REGISTER,
        Action.OWN_TRAINING,
    }
)

CAPABILITIES: dict[str, frozenset[Action]] = {
    Role.SENCO: frozenset(Action) - _HEAD_ONLY,
    Role.DEPUTY_SENCO: frozenset(Action) - _HEAD_ONLY,
    Role.SEND_ADMIN: frozenset(
        _STAFF_READ
        | {
            Action.EDIT_REGISTER,
            Action.IMPORT_PUPILS,
            Action.EXPORT,
            Action.VIEW_HISTORY,
            Action.OWN_TRAINING,
        }
        | {Action.VIEW_EHC, Action.EDIT_EHC, Action.VIEW_COMPLIANCE, Action.MANAGE_DOCUMENTS}
        | {
            Action.VIEW_SUPPORT,
            Action.EDIT_SUPPORT,
            Action.VIEW_PROVISION,
            Action.EDIT_PROVISION,
            Action.TAKE_REGISTER,
            Action.VIEW_OVERVIEW,
        }
    ),
    Role.HEAD: frozenset(
        _STAFF_READ
        | {Action.EXPORT, Action.RAISE_CONCERN, Action.VIEW_HISTORY, Action.VIEW_EHC, Action.VIEW_COMPLIANCE}
        | {Action.VIEW_SUPPORT, Action.VIEW_PROVISION, Action.VIEW_WORKFORCE, Action.EDIT_WORKFORCE}
        | {Action.CONFIRM_SENCO_PROGRESS, Action.OWN_TRAINING, Action.VIEW_OVERVIEW}
    ),
    Role.TEACHER: _CLASSROOM,
    Role.TEACHING_ASSISTANT: _CLASSROOM,
    Role.GOVERNOR: frozenset({Action.VIEW_FIGURES}),
    Role.TRUST_SEND_LEAD: frozenset(
        _STAFF_READ
        | {
            Action.VIEW_EHC,
            Action.VIEW_COMPLIANCE,
            Action.VIEW_SUPPORT,
            Action.VIEW_PROVISION,
            Action.VIEW_WORKFORCE,
        }
    ),
    # An LA officer works on the EHC cases the LA maintains, in schools that share with it.
    Role.LA_OFFICER: frozenset(
        {
            Action.VIEW_REGISTER,
            Action.VIEW_EHC,
            Action.EDIT_EHC,
            Action.VIEW_COMPLIANCE,
            Action.VIEW_WORKFORCE,
        }
    ),
    Role.PARENT: frozenset(),
    Role.EXTERNAL: frozenset(),
}


def role_allows(role: str, action: Action) -> bool:
    return action in CAPABILITIES.get(role, frozenset())
