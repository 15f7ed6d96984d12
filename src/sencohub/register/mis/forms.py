from django import forms

from sencohub.kernel.dates import LEFT_THE_SCHOOL
from sencohub.kernel.forms import DateInput
from sencohub.register.mis.reading import MAX_FILE_BYTES as MAX_UPLOAD_BYTES


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


MESSAGE_CONFIRM_LEAVING = (
    "Tick to confirm that these pupils should leave the SEN register or lose the needs listed."
)
MESSAGE_LEFT_ON_REQUIRED = "Enter the date the pupils not in the file left."
MESSAGE_LEFT_ON_FUTURE = "The date they left must be today or earlier."


class ConfirmImportForm(forms.Form):
    """Confirming a checked file: explicitly, when it takes pupils off the register; optionally, recording leavers."""

    confirm_leaving = forms.BooleanField(
        required=False,
        label="I have checked these pupils in our MIS: they should leave the SEN register or lose the needs listed",
    )
    record_leavers = forms.BooleanField(
        required=False, label="Record the pupils on roll who are not in the file as having left the school"
    )
    left_on = forms.DateField(
        required=False,
        widget=DateInput(),
        label="Date they left",
        help_text="For example, 18 July 2026.",
        validators=[LEFT_THE_SCHOOL],
    )

    def __init__(self, *args, leaving: bool, missing: bool, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        if not leaving:
            del self.fields["confirm_leaving"]
        if not missing:
            del self.fields["record_leavers"]
            del self.fields["left_on"]

    def clean(self):
        data = super().clean()
        if "confirm_leaving" in self.fields and not data.get("confirm_leaving"):
            self.add_error("confirm_leaving", MESSAGE_CONFIRM_LEAVING)
        if data.get("record_leavers"):
            left_on = data.get("left_on")
            if left_on is None and "left_on" not in self.errors:
                self.add_error("left_on", MESSAGE_LEFT_ON_REQUIRED)
            elif left_on is not None and left_on > self.today:
                self.add_error("left_on", MESSAGE_LEFT_ON_FUTURE)
        return data
