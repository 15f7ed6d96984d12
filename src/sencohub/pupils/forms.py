from django import forms

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Upload a file from your MIS",
        help_text="A CSV or Excel (.xlsx) file with a header row. At most 10 MB.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx", ".txt")):
            raise forms.ValidationError("The file must be a CSV (.csv) or Excel (.xlsx) file.")
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file must be smaller than 10 MB.")
        if upload.size == 0:
            raise forms.ValidationError("The selected file is empty.")
        return upload
