"""Access rows for drafts of the intervention form, the service worker and the offline page."""

from django.urls import reverse

from tests.security.matrix import OK, Row, case_record, everyone, url


def intervention_draft(name):
    """The draft URL of the side's intervention (its edit form)."""

    def build(world, side):
        return reverse(name, args=[f"intervention-{world[side]['intervention'].pk}"])

    return build


ROWS = {
    # A draft of an intervention's edit form: whoever may edit the intervention, nobody else.
    "draft_save": Row(
        intervention_draft("draft_save"), case_record(), method="post", data={"record": "x"}
    ),
    "draft_discard": Row(intervention_draft("draft_discard"), case_record("204"), method="post"),
    # Static and the same for everyone (no personal data), so open to anonymous visitors too.
    "service_worker": Row(url("service_worker"), everyone(OK, anonymous=OK)),
    "offline": Row(url("offline"), everyone(OK, anonymous=OK)),
}
