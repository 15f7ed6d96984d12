from sencohub.core.commands import Rejected, ReportingCommand
from sencohub.core.demo import DEMO_PASSWORD, build_demo
from sencohub.schools.models import Role


class Command(ReportingCommand):
    help = "Generate a realistic synthetic trust (replacing any earlier demo). Generated people only."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--schools", type=int, default=2, help="how many schools with pupils (at least 2; default 2); the trust also has five schools with SENCo records only")
        parser.add_argument("--pupils-per-school", type=int, default=300, help="default 300")
        parser.add_argument("--seed", type=int, default=2025, help="the same seed gives the same data")

    def handle(self, *args, **options):
        if options["schools"] < 2:
            raise Rejected("The demo needs at least 2 schools (a primary and a secondary).")
        if not 20 <= options["pupils_per_school"] <= 5000:
            raise Rejected("--pupils-per-school must be between 20 and 5000.")
        result = build_demo(
            schools=options["schools"], pupils_per_school=options["pupils_per_school"], seed=options["seed"]
        )
        data = {
            "schools": [{"urn": s.urn, "name": s.name} for s in result.schools],
            "workforce_only_schools": [{"urn": s.urn, "name": s.name} for s in result.workforce_only],
            "users": [{"email": u["email"], "role": u["role"], "school": u["school"]} for u in result.users],
        }
        lines = [f"Demo trust ready: {len(result.schools)} schools."]
        lines += [f"  {s.urn}  {s.name}" for s in result.schools]
        lines.append(f"And {len(result.workforce_only)} trust schools with SENCo records only (no pupils yet), for the SENCo workforce views.")
        lines.append(f"Sign in with any of these; the password is {DEMO_PASSWORD!r}:")
        first = result.schools[0].urn
        for u in result.users:
            if u["school"] == first or u["role"] in (Role.TRUST_SEND_LEAD, Role.LA_OFFICER):
                lines.append(f"  {Role(u['role']).label:<32} {u['email']}")
        lines.append("(Each school has the same roles: senco.s2, teacher1.s2 and so on.)")
        self.emit(options, data, "\n".join(lines))
