"""The common interventions a new school's catalogue starts with. The school edits them to fit.

The evidence notes name the strand of the Education Endowment Foundation's Teaching and Learning Toolkit
(or say that little has been published) as a starting point for the school's own judgement, not a rating of
any product.
"""

from sencohub.provision.models import Intervention

C_I, C_L, SEMH, S_P = (
    "communication and interaction",
    "cognition and learning",
    "social, emotional and mental health",
    "sensory and/or physical",
)
S, M, L = Intervention.Evidence.STRONG, Intervention.Evidence.MODERATE, Intervention.Evidence.LIMITED

COMMON = [
    # name, area, evidence, note, sessions a week, minutes, group size, measure
    (
        "Phonics catch-up",
        C_L,
        S,
        "EEF Toolkit: phonics",
        5,
        15,
        4,
        "Phonics screening check items; reading age",
    ),
    (
        "Reading fluency",
        C_L,
        M,
        "EEF Toolkit: reading comprehension strategies; small group tuition",
        3,
        20,
        4,
        "Words read correctly a minute",
    ),
    (
        "Precision teaching",
        C_L,
        L,
        "Little published evaluation; EEF Toolkit: individualised instruction",
        5,
        10,
        1,
        "Items correct a minute",
    ),
    ("Maths catch-up", C_L, M, "EEF Toolkit: small group tuition", 3, 20, 4, "Standardised maths score"),
    ("Spelling intervention", C_L, L, "EEF Toolkit: small group tuition", 3, 15, 4, "Spelling age in months"),
    (
        "Speech and language group",
        C_I,
        M,
        "EEF Toolkit: oral language interventions",
        2,
        30,
        4,
        "Language assessment score",
    ),
    (
        "Social communication group",
        C_I,
        L,
        "Little published evaluation for most programmes",
        1,
        45,
        6,
        "School-defined scale",
    ),
    (
        "Emotional literacy support (ELSA)",
        SEMH,
        L,
        "EEF Toolkit: social and emotional learning",
        1,
        45,
        1,
        "Strengths and difficulties questionnaire",
    ),
    ("Nurture group", SEMH, M, "EEF Toolkit: social and emotional learning", 5, 60, 8, "Boxall profile"),
    ("Sensory circuits", S_P, L, "Little published evaluation", 5, 15, 6, "School-defined scale"),
    (
        "Handwriting and fine motor",
        S_P,
        L,
        "Little published evaluation",
        3,
        15,
        5,
        "Letters legible a minute",
    ),
    ("Touch typing", S_P, L, "Little published evaluation", 2, 20, 6, "Words a minute typed"),
]


def catalogue_seed(school) -> int:
    """Add the common interventions the school does not have yet; how many were added."""
    have = set(Intervention.objects.filter(school=school).values_list("name", flat=True))
    new = [
        Intervention(
            school=school,
            name=n,
            area=a,
            evidence=e,
            evidence_note=note,
            sessions_per_week=f,
            minutes=m,
            group_size=g,
            measure=measure,
        )
        for n, a, e, note, f, m, g, measure in COMMON
        if n not in have
    ]
    Intervention.objects.bulk_create(new)
    return len(new)
