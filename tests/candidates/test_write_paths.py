"""No write path stores an application's fields without the model's rules
(Application.full_clean: field validators and Application.clean())."""

import pytest
from django.core.exceptions import ValidationError

from candidates import services
from candidates.models import Application
from tests.factories import APPLY_URL, get_municipality, make_application, valid_data


@pytest.fixture
def full_clean_calls(monkeypatch):
    calls = []
    real = Application.full_clean

    def recording(self, *args, **kwargs):
        calls.append(self.email)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Application, "full_clean", recording)
    return calls


@pytest.mark.django_db
def test_the_public_form_and_its_service_both_run_the_models_rules(
    client, election, full_clean_calls
):
    client.post(APPLY_URL, valid_data(email="regel@example.org"))

    assert Application.objects.get().email == "regel@example.org"
    # Once in the form (ModelForm validation), once in submit_application.
    assert full_clean_calls == ["regel@example.org", "regel@example.org"]


@pytest.mark.django_db
def test_submit_application_refuses_what_the_model_refuses_even_without_a_form(election):
    """A Kreistag candidacy in Magdeburg (a kreisfreie Stadt elects no Kreistag), handed
    to the service directly."""
    template = make_application(email="vorlage@example.org")
    fields = {
        f.name: getattr(template, f.name)
        for f in Application._meta.concrete_fields
        if f.name not in {"id", "created_at", "updated_at"}
    }
    unsaved = Application(
        **{
            **fields,
            "email": "kreistag@example.org",
            "municipality": get_municipality("magdeburg", "magdeburg"),
            "stands_for_district_council": True,
        }
    )

    with pytest.raises(ValidationError):
        services.submit_application(unsaved)

    assert not Application.objects.filter(email="kreistag@example.org").exists()


@pytest.mark.django_db
def test_update_application_runs_the_models_rules(state_office_user, full_clean_calls):
    application = make_application(email="korrektur@example.org", stands_for_district_council=True)
    full_clean_calls.clear()

    with pytest.raises(ValidationError):
        services.update_application(
            application,
            by=state_office_user,
            changes={"municipality": get_municipality("magdeburg", "magdeburg")},
        )

    assert full_clean_calls == ["korrektur@example.org"]
    application.refresh_from_db()
    assert application.municipality.slug == "wernigerode"


@pytest.mark.django_db
def test_a_field_changed_after_the_form_checked_it_is_checked_again(election):
    """submit_application skips the field rules only for values the form's model
    validation accepted and that are unchanged since (ApplicationForm._post_clean)."""
    from candidates.forms import ApplicationForm

    municipality = get_municipality("harz", "wernigerode")
    form = ApplicationForm(valid_data(), municipality=municipality, election=election)
    assert form.is_valid(), form.errors
    application = form.save(commit=False)
    assert "last_name" in application._validated_values
    application.last_name = "<script>"  # no name: the model's validator refuses it

    with pytest.raises(ValidationError) as refused:
        services.submit_application(application)

    assert "last_name" in refused.value.message_dict
    assert not Application.objects.exists()


@pytest.mark.django_db
def test_the_form_checked_fields_are_not_checked_twice(election, monkeypatch):
    from candidates import validators

    calls = []
    real = validators.validate_name

    def counting(value):
        calls.append(value)
        return real(value)

    field = Application._meta.get_field("last_name")
    # `validators` is a cached property of the field: replaced for this test only.
    monkeypatch.setitem(
        field.__dict__, "validators", [counting if v is real else v for v in field.validators]
    )
    from django.test import Client

    Client().post(APPLY_URL, valid_data(last_name="Mustermann"))

    assert Application.objects.get().last_name == "Mustermann"
    assert calls == ["Mustermann"]
