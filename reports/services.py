"""Every export of personal data goes through here: the permission check, the audit row
(reports.models.ExportRecord, written before the first byte leaves), and the response or
file. The caller passes a queryset already scoped to the user (visible_to, or the admin's
changelist built on it)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, StreamingHttpResponse

from accounts.roles import EXPORT_DATA
from reports import writer
from reports.models import ExportRecord

CSV_DIALECTS = {
    ExportRecord.Format.CSV: writer.CSV_GERMAN,
    ExportRecord.Format.CSV_COMMA: writer.CSV_INTERNATIONAL,
}
# Admin changelist parameters that are not filters, and the search box, whose text may
# be a person's name: recorded only as having been used.
NOT_FILTERS = {"p", "o", "all", "e", "_changelist_filters", "_to_field", "_popup"}
SEARCH = "q"
SEARCH_USED = "(Suchbegriff)"
# Django's changelist also accepts a lookup on any of the model's own fields from the
# address (`?last_name=…`, `?email=…`): its value may be personal data.
OTHER_LOOKUP = "(weiterer Filter)"


def filter_parameters(changelist):
    """The parameters of a changelist's list filters and date hierarchy: their values are
    ids, codes and dates, never a person's data."""
    names = {name for spec in changelist.filter_specs for name in spec.expected_parameters()}
    if changelist.date_hierarchy:
        field = changelist.date_hierarchy
        names |= {f"{field}__{part}" for part in ("year", "month", "day")}
    return names


def describe_admin_filters(query, *, known=frozenset()):
    """The admin changelist's parameters (a QueryDict) as the audit row keeps them: the
    list filters in `known` (filter_parameters) with their values; the search term and
    any other lookup only as having been used."""
    described = {}
    for key in sorted(query):
        if key in NOT_FILTERS:
            continue
        values = query.getlist(key)
        if key == SEARCH:
            if any(value.strip() for value in values):
                described[key] = SEARCH_USED
        elif key in known:
            described[key] = values[0] if len(values) == 1 else values
        else:
            described[key] = OTHER_LOOKUP
    return described


@transaction.atomic
def record_export(*, user, export, path, file_format, filters, row_count):
    """Write the audit row; refuse (PermissionDenied) anyone but an active staff member
    with the export permission."""
    if not (user.is_active and user.is_staff and user.has_perm(EXPORT_DATA)):
        raise PermissionDenied
    return ExportRecord.objects.create(
        user=user,
        username=user.get_username(),
        path=path,
        kind=export.kind,
        file_format=file_format,
        filters=filters,
        row_count=row_count,
    )


def export_response(*, user, export, queryset, path, file_format, filters):
    """The download: CSV streamed, XLSX from a temporary file. Side effect: the audit row."""
    record_export(
        user=user,
        export=export,
        path=path,
        file_format=file_format,
        filters=filters,
        row_count=queryset.count(),
    )
    if file_format == ExportRecord.Format.XLSX:
        target = writer.xlsx_file(
            export.headers(),
            export.rows(queryset),
            title=export.sheet_title,
            widths=export.widths(),
        )
        response = FileResponse(
            target,
            as_attachment=True,
            filename=export.filename("xlsx"),
            content_type=writer.XLSX_CONTENT_TYPE,
        )
    else:
        dialect = CSV_DIALECTS[file_format]
        response = StreamingHttpResponse(
            writer.csv_chunks(export.headers(), export.rows(queryset), dialect),
            content_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{export.filename("csv")}"'},
        )
    response["Cache-Control"] = "no-store"
    return response


def write_export_file(target, *, user, export, queryset, file_format, filters):
    """The same export into a file (the command export_applications): `target` is a
    binary file object. Side effect: the audit row. Returns the number of rows."""
    row_count = queryset.count()
    record_export(
        user=user,
        export=export,
        path=ExportRecord.Path.COMMAND,
        file_format=file_format,
        filters=filters,
        row_count=row_count,
    )
    if file_format == ExportRecord.Format.XLSX:
        writer.write_xlsx(
            target,
            export.headers(),
            export.rows(queryset),
            title=export.sheet_title,
            widths=export.widths(),
        )
    else:
        for chunk in writer.csv_chunks(
            export.headers(), export.rows(queryset), CSV_DIALECTS[file_format]
        ):
            target.write(chunk.encode("utf-8"))
    return row_count
