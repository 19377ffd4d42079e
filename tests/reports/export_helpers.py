"""What the export tests share: reading a downloaded file back, and a district team
member whose group lacks the export permission."""

import csv
import io

import openpyxl
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.roles import DISTRICT_TEAM_GROUP
from districts.models import DistrictMembership
from tests.factories import get_district, make_staff_user

APPLICATION_CHANGELIST = reverse("admin:candidates_application_changelist")
FILTERED_EXPORT = reverse("admin:candidates_application_export")
EXPORT_PAGE = reverse("admin:export")
LIST_CHANGELIST = reverse("admin:lists_candidatelist_changelist")
AUDIT_CHANGELIST = reverse("admin:reports_exportrecord_changelist")


def content_of(response):
    """The bytes of a downloaded file (CSV is streamed, XLSX a FileResponse)."""
    return b"".join(response.streaming_content)


def csv_rows(response, delimiter=";"):
    """The rows of a CSV download as the csv module reads them (the BOM checked and
    removed)."""
    text = content_of(response).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline=""), delimiter=delimiter))


def xlsx_sheet(response):
    return openpyxl.load_workbook(io.BytesIO(content_of(response))).active


def xlsx_rows(response):
    return [[cell.value for cell in row] for row in xlsx_sheet(response).iter_rows()]


def column(rows, header):
    """The values below `header` (the first row)."""
    index = rows[0].index(header)
    return [row[index] for row in rows[1:]]


def team_member_without_export(email="ohne-export@harz.example.org", district="harz"):
    """A member of Harz's team whose group has every permission of the district team
    group except the export permission."""
    user = make_staff_user(email)
    group = Group.objects.create(name="Kreisverbands-Team ohne Export")
    team = Group.objects.get(name=DISTRICT_TEAM_GROUP)
    group.permissions.set(
        team.permissions.exclude(content_type__app_label="reports", codename="export_data")
    )
    user.groups.add(group)
    DistrictMembership.objects.create(user=user, district=get_district(district))
    return user


def action_post(action, selected, **extra):
    """The changelist's action form as the browser posts it."""
    return {"action": action, "_selected_action": [obj.pk for obj in selected], **extra}
