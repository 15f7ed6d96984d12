from django import forms

from sencohub.documents.services import MAX_TEMPLATE_BYTES
from sencohub.kernel.files import DOCX, check_upload


class TemplateUploadForm(forms.Form):
    file = forms.FileField(
        label="Upload your edited template", help_text="A Word document (.docx), at most 5 MB."
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # By its content and what it would unpack to, before the template is rendered to check it.
        check_upload(upload, kinds=(DOCX,), max_bytes=MAX_TEMPLATE_BYTES, what="the template")
        return upload
