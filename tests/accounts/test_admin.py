"""The admins of staff accounts and role groups (accounts.admin): the state office
manages accounts and their groups, only superusers (operators) grant superuser status or
permissions."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from accounts.roles import STATE_OFFICE_GROUP
from tests.factories import login_staff

# --- Accounts ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_state_office_cannot_make_itself_superuser(client, state_office_user):
    url = reverse("admin:auth_user_change", args=[state_office_user.pk])

    response = login_staff(client, state_office_user).get(url)

    assert "is_superuser" not in response.context["adminform"].form.fields
    assert "groups" in response.context["adminform"].form.fields


@pytest.mark.django_db
def test_state_office_cannot_change_a_superuser(client, state_office_user, admin_user):
    url = reverse("admin:auth_user_change", args=[admin_user.pk])

    response = login_staff(client, state_office_user).post(url, {"username": "x"})

    assert response.status_code == 403


# --- Group permissions --------------------------------------------------------------


@pytest.mark.django_db
def test_state_office_cannot_grant_permissions_through_groups(client, state_office_user):
    """The state office manages accounts and puts them in groups; only operators grant
    permissions. Editing a group's permissions would hand out any of them (e.g. the
    allauth e-mail address and authenticator admins: a way to take over a superuser)."""
    group = Group.objects.get(name=STATE_OFFICE_GROUP)
    before = set(group.permissions.values_list("pk", flat=True))
    extra = Permission.objects.get(
        content_type__app_label="account", codename="change_emailaddress"
    )
    client = login_staff(client, state_office_user)

    client.post(
        reverse("admin:auth_group_change", args=[group.pk]),
        {"name": group.name, "permissions": [*before, extra.pk]},
    )
    client.post(
        reverse("admin:auth_group_add"),
        {"name": "Alles", "permissions": list(Permission.objects.values_list("pk", flat=True))},
    )

    assert set(group.permissions.values_list("pk", flat=True)) == before
    assert not Permission.objects.filter(group__name="Alles").exists()
    user = get_user_model().objects.get(pk=state_office_user.pk)
    assert not user.has_perm("account.change_emailaddress")


@pytest.mark.django_db
def test_superuser_still_edits_group_permissions(admin_client):
    group = Group.objects.get(name=STATE_OFFICE_GROUP)
    extra = Permission.objects.get(content_type__app_label="account", codename="view_emailaddress")
    login_staff(admin_client, get_user_model().objects.get(is_superuser=True))

    response = admin_client.post(
        reverse("admin:auth_group_change", args=[group.pk]),
        {
            "name": group.name,
            "permissions": [*group.permissions.values_list("pk", flat=True), extra.pk],
        },
    )

    assert response.status_code == 302
    assert group.permissions.filter(pk=extra.pk).exists()


# --- Team memberships -------------------------------------------------------------------


def change_page_data(response):
    """The POST data of an admin change page as it was rendered (form and inlines)."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        data.update({management.add_prefix(k): v for k, v in management.initial.items()})
        forms += formset.forms
    for form in forms:
        for name, field in form.fields.items():
            value = form[name].value()
            if value is None or field.disabled:
                continue
            if hasattr(field.widget, "decompress"):  # e.g. date and time in two inputs
                for index, part in enumerate(field.widget.decompress(value)):
                    data[f"{form.add_prefix(name)}_{index}"] = str(part or "")
            elif isinstance(value, (list, tuple)):
                data[form.add_prefix(name)] = [str(v) for v in value]
            elif isinstance(value, bool):
                if value:
                    data[form.add_prefix(name)] = "on"
            else:
                data[form.add_prefix(name)] = str(value)
    return data


@pytest.mark.django_db
def test_a_district_team_takes_only_staff_accounts_also_from_the_users_page(
    client, state_office_user
):
    """One rule (DistrictMembership.clean) for both pages that add memberships."""
    from districts.models import DistrictMembership
    from tests.factories import get_district

    outsider = get_user_model().objects.create_user("aussen", "aussen@example.org", "x" * 16)
    client = login_staff(client, state_office_user)
    url = reverse("admin:auth_user_change", args=[outsider.pk])
    data = change_page_data(client.get(url))
    prefix = "district_memberships"
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-0-district": str(get_district("harz").pk),
            f"{prefix}-0-receives_notifications": "on",
        }
    )

    response = client.post(url, data)

    assert response.status_code == 200
    assert (
        "Nur Konten mit Zugang zur Verwaltung (Mitarbeiter-Status) können zu einem "
        "Kreisverbands-Team gehören." in response.content.decode()
    )
    assert not DistrictMembership.objects.filter(user=outsider).exists()

    data["is_staff"] = "on"
    response = client.post(url, data)

    assert response.status_code == 302, response.context["errors"]
    assert list(
        DistrictMembership.objects.filter(user=outsider).values_list("district__slug", flat=True)
    ) == ["harz"]
