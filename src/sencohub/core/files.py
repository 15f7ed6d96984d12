"""Uploaded files handed back: as a download, or 404 if the record has none or the file has gone."""

from django.http import FileResponse, Http404


def download(field) -> FileResponse:
    """A FileField's file as an attachment named as it was uploaded."""
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing") from None
    return FileResponse(handle, as_attachment=True, filename=field.name.rsplit("/", 1)[-1])
