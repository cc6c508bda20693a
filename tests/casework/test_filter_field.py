"""The list filters' fields rendered without crispy-forms: the same markup, in Python."""

import pytest
from django import forms
from django.template import engines
from django.test import RequestFactory
from django.test.html import parse_html

from casework.filters import InterventionFilter
from casework.models import Intervention
from casework.templatetags.casework_tags import _plain_select, filter_field
from tests.factories import InstitutionFactory, KeyActivityFactory


def _filter(user, query):
    request = RequestFactory().get("/interventions/", query)
    request.user = user
    intervention_filter = InterventionFilter(
        request.GET, queryset=Intervention.objects.none(), request=request, show_worker=True
    )
    intervention_filter.is_valid()
    return intervention_filter


@pytest.mark.parametrize(
    "query",
    [
        pytest.param({}, id="empty"),
        pytest.param({"institution": "999999", "key_activity": "x"}, id="invalid"),
        pytest.param({"worker": "WORKER", "key_activity": "KA"}, id="chosen"),
    ],
)
def test_selects_render_as_django_renders_them(guarantor, worker_a, project, organisation, query):
    ka = KeyActivityFactory(project=project, code="KA 03")
    InstitutionFactory(organisation=organisation, name="Bytový fond <Ralsko>")
    query = {
        key: {"WORKER": str(worker_a.pk), "KA": str(ka.pk)}.get(value, value)
        for key, value in query.items()
    }
    form = _filter(guarantor, query).form

    for name in ("project", "key_activity", "worker", "institution"):
        bound = form[name]
        attrs = {"class": "select form-select"}
        ours = _plain_select(bound, attrs)
        assert ours is not None
        assert parse_html(ours) == parse_html(str(bound.as_widget(attrs=attrs))), name
    if query.get("worker"):
        assert f'<option value="{worker_a.pk}" selected>' in _plain_select(form["worker"], {})
    assert "&lt;Ralsko&gt;" in _plain_select(form["institution"], {})


def test_filter_field_markup(guarantor, project):
    form = _filter(guarantor, {"date_from": "not a date", "client": "RAL"}).form

    date_from = parse_html(filter_field(form["date_from"]))
    client_code = filter_field(form["client"])

    assert date_from == parse_html(
        '<div id="div_id_date_from" class="mb-3">'
        f'<label for="id_date_from" class="form-label">{form["date_from"].label}</label>'
        '<input type="date" name="date_from" value="not a date" '
        'class="dateinput form-control is-invalid" aria-invalid="true" '
        'aria-describedby="id_date_from_error" id="id_date_from">'
        '<div id="id_date_from_error" class="invalid-feedback">'
        f'<p id="error_1_id_date_from"><strong>{form.errors["date_from"][0]}</strong></p>'
        "</div></div>"
    )
    assert 'class="textinput form-control"' in client_code
    assert 'value="RAL"' in client_code
    assert "invalid-feedback" not in client_code


def test_other_widgets_fall_back_to_their_templates():
    class Form(forms.Form):
        kinds = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B")])
        grouped = forms.ChoiceField(choices=[("Group", [("x", "X")])])

    form = Form()

    assert _plain_select(form["kinds"], {}) is None
    assert _plain_select(form["grouped"], {}) is None
    rendered = engines["django"].from_string("{% load casework_tags %}{{ f|filter_field }}")
    assert "multiple" in rendered.render({"f": form["kinds"]})
