from __future__ import annotations

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from casework import uploads
from casework.imports.models import ImportKind

IMPORT_MAX_BYTES = getattr(settings, "IMPORT_MAX_BYTES", 5 * 1024 * 1024)
ALLOWED_TYPES = {uploads.XLSX, uploads.TEXT}

FILE_TOO_BIG = _("The file is larger than %(limit)s; split it into smaller files.")
NOT_A_SPREADSHEET = _("Upload an XLSX workbook or a CSV file.")


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file contains"), choices=ImportKind.choices)
    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,text/csv"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "XLSX or CSV in the layout described in the import guide, up to %(limit)s."
        ) % {"limit": filesizeformat(IMPORT_MAX_BYTES)}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                FILE_TOO_BIG, params={"limit": filesizeformat(IMPORT_MAX_BYTES)}
            )
        if uploads.detect_content_type(upload) not in ALLOWED_TYPES:
            raise forms.ValidationError(NOT_A_SPREADSHEET)
        return upload
