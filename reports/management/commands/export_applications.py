import os

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.http import QueryDict

from accounts.roles import EXPORT_DATA
from portal.scoping import district_scope_for
from reports.forms import ExportForm
from reports.models import ExportRecord
from reports.services import write_export_file


class Command(BaseCommand):
    help = (
        "Export applications (or, with --lists, the places of adopted and submitted lists) "
        "into a file, as the staff account given by --user would on the export page: "
        "scoped to that account's districts and refused without the export permission. "
        "Writes an entry in the export log. Prints the number of rows, never names."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--user",
            required=True,
            help="E-mail address or username of the staff account the export runs as.",
        )
        parser.add_argument("--output", required=True, help="The file to write.")
        parser.add_argument("--force", action="store_true", help="Overwrite --output if it exists.")
        parser.add_argument(
            "--format",
            default=ExportRecord.Format.XLSX,
            choices=ExportRecord.Format.values,
            help="xlsx (default), csv (German Excel: ';', dd.mm.yyyy) or csv_comma.",
        )
        parser.add_argument(
            "--lists", action="store_true", help="Export adopted lists instead of applications."
        )
        parser.add_argument("--election", help="Id of the election (default: all).")
        parser.add_argument(
            "--district",
            action="append",
            default=[],
            help="Slug of a district (repeatable; default: all of the user's).",
        )
        parser.add_argument(
            "--status", action="append", default=[], help="Status code (repeatable)."
        )
        parser.add_argument("--body", action="append", default=[], help="Body code (repeatable).")
        parser.add_argument(
            "--columns", help="Column keys, comma-separated (default: the default columns)."
        )

    def handle(self, *args, **options):
        user = self.staff_user(options["user"])
        output = options["output"]
        if os.path.exists(output) and not options["force"]:
            raise CommandError(f"{output} exists; use --force to overwrite it.")
        with district_scope_for(user):
            form = ExportForm(self.form_data(options), user=user)
            if not form.is_valid():
                raise CommandError(self.describe_errors(form))
            export = form.export
            queryset = form.queryset()
            mode = "wb" if options["force"] else "xb"
            try:
                with open(output, mode) as target:
                    row_count = write_export_file(
                        target,
                        user=user,
                        export=export,
                        queryset=queryset,
                        file_format=form.cleaned_data["format"],
                        filters=form.filters(export),
                    )
            except FileExistsError as error:
                raise CommandError(f"{output} exists; use --force to overwrite it.") from error
            except PermissionDenied as error:
                # Checked above already; write_export_file checks again before writing.
                os.remove(output)
                raise CommandError(f"{user.get_username()} may not export.") from error
        self.stdout.write(f"Wrote {row_count} row(s) to {output}.")

    def staff_user(self, name):
        users = list(get_user_model().objects.filter(Q(username=name) | Q(email__iexact=name))[:2])
        if len(users) != 1:
            raise CommandError(f"No single account with the username or e-mail address {name}.")
        user = users[0]
        if not (user.is_active and user.is_staff and user.has_perm(EXPORT_DATA)):
            raise CommandError(
                f"{user.get_username()} is not an active staff account with the permission "
                f"{EXPORT_DATA}."
            )
        return user

    @staticmethod
    def form_data(options):
        data = QueryDict(mutable=True)
        data["inhalt"] = (
            ExportRecord.Kind.LISTS if options["lists"] else ExportRecord.Kind.APPLICATIONS
        )
        data["wahl"] = options["election"] or ""
        data["format"] = options["format"]
        data.setlist("kreisverband", options["district"])
        data.setlist("status", options["status"])
        data.setlist("gremium", options["body"])
        columns = [key.strip() for key in (options["columns"] or "").split(",") if key.strip()]
        data.setlist("listenspalte" if options["lists"] else "spalte", columns)
        return data

    @staticmethod
    def describe_errors(form):
        options = {
            "wahl": "--election",
            "kreisverband": "--district",
            "status": "--status",
            "gremium": "--body",
            "spalte": "--columns",
            "listenspalte": "--columns",
            "format": "--format",
        }
        return "; ".join(
            f"{options.get(field, field)}: {' '.join(str(message) for message in messages)}"
            for field, messages in form.errors.items()
        )
