import secrets

from django.core.exceptions import ValidationError

from sencohub.kernel.commands import Rejected, ReportingCommand
from sencohub.schools.models import Role
from sencohub.schools.services import user_add


class Command(ReportingCommand):
    help = (
        "Give a person a role in a school (or, for trust SEND leads and LA officers, in the school's trust or "
        "local authority). A new person gets a one-time password to sign in with; they must change it at their "
        "first sign-in, then enrol an authenticator app."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("email")
        parser.add_argument("--school", required=True, metavar="URN")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument(
            "--classes",
            default="",
            help="for teachers and teaching assistants: their class groups, comma-separated",
        )

    def handle(self, *args, **options):
        password = secrets.token_urlsafe(12)
        try:
            user, membership = user_add(
                email=options["email"],
                school_urn=options["school"],
                role=options["role"],
                first_name=options["first_name"],
                last_name=options["last_name"],
                password=password,
                classes=options["classes"].split(","),
                one_time_password=True,
            )
        except ValidationError as error:
            raise Rejected(" ".join(error.messages)) from None
        new = user.check_password(password)
        data = {
            "email": user.email,
            "role": membership.role,
            "school": options["school"],
            "classes": sorted(g.name for g in membership.class_groups.all()),
            "password": password if new else None,
        }
        text = f"{user.email} is now {Role(membership.role).label}."
        if new:
            text += (
                f"\nPassword for their first sign-in (give it to them privately): {password}"
                "\nAt their first sign-in they must choose their own password, then set up an authenticator app, "
                "before they see any pupil data."
            )
        self.emit(options, data, text)
