from django.conf import settings
from django.db import models

from sencohub.schools.models import School


class DocumentTemplate(models.Model):
    """A school's own Word template for one kind of document, replacing the standard one."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="document_templates")
    kind = models.CharField(max_length=50)
    filename = models.CharField(max_length=255)
    content = models.BinaryField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    uploaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school", "kind"], name="one_template_per_kind")]

    def __str__(self):
        return f"{self.kind} template of {self.school}"
