from sencohub.demo.build import build_demo, demo_refusal
from sencohub.kernel.commands import Rejected, ReportingCommand
from sencohub.schools.models import Role

MAX_SCHOOLS = 100  # the demo's URNs (990100 upwards, demo.build.DEMO_URNS) leave room for this many


class Command(ReportingCommand):
    help = (
        "Generate a realistic synthetic trust (replacing any earlier demo). Generated people only. Runs only "
        "while DEBUG is on, in a database that holds no school the demo did not make; every run sets a new "
        "password for the demo people, and prints it."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--schools",
            type=int,
            default=2,
            help=(
                "how many schools with pupils (2 to 100; default 2); "
                "the trust also has six schools with SENCo records only"
            ),
        )
        parser.add_argument("--pupils-per-school", type=int, default=300, help="default 300")
        parser.add_argument("--seed", type=int, default=2025, help="the same seed gives the same data")

    def handle(self, *args, **options):
        if not 2 <= options["schools"] <= MAX_SCHOOLS:
            raise Rejected(
                f"The demo needs at least 2 schools (a primary and a secondary) and makes at most {MAX_SCHOOLS}."
            )
        if not 20 <= options["pupils_per_school"] <= 5000:
            raise Rejected("--pupils-per-school must be between 20 and 5000.")
        refusal = demo_refusal()
        if refusal is not None:
            raise Rejected(refusal)
        result = build_demo(
            schools=options["schools"], pupils_per_school=options["pupils_per_school"], seed=options["seed"]
        )
        data = {
            "schools": [{"urn": s.urn, "name": s.name} for s in result.schools],
            "workforce_only_schools": [{"urn": s.urn, "name": s.name} for s in result.workforce_only],
            "users": [{"email": u["email"], "role": u["role"], "school": u["school"]} for u in result.users],
            "password": result.password,
        }
        lines = [f"Demo trust ready: {len(result.schools)} schools."]
        lines += [f"  {s.urn}  {s.name}" for s in result.schools]
        lines.append(
            f"And {len(result.workforce_only)} trust schools with SENCo records only (no pupils yet), "
            "for the SENCo workforce views."
        )
        lines.append(
            f"Sign in with any of these; the password (new each time the demo is made) is {result.password}"
        )
        first = result.schools[0].urn
        for u in result.users:
            if u["school"] == first or u["role"] in (Role.TRUST_SEND_LEAD, Role.LA_OFFICER):
                lines.append(f"  {Role(u['role']).label:<32} {u['email']}")
        lines.append("(Each school has the same roles: senco.s2, teacher1.s2 and so on.)")
        self.emit(options, data, "\n".join(lines))
