"""The admin's upload form, and an upload handler that stops reading past the size limit."""

from django import forms
from django.core.files.uploadhandler import FileUploadHandler, StopUpload

from .uploads import UploadRejected, allowed_types, check_upload


class CappedUploadHandler(FileUploadHandler):
    """Counts the bytes of every file in the request; past ``max_bytes`` keeps none.

    It only counts: the next handlers store the data. Without it a huge upload
    would be written to a temporary file in full before any check could run.
    """

    def __init__(self, request, max_bytes):
        super().__init__(request)
        self.max_bytes = max_bytes
        self.received = 0
        self.exceeded = False

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.max_bytes:
            self.exceeded = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(file, initial) for file in files if file]


class ImportUploadForm(forms.Form):
    files = MultipleFileField(
        label="Seed files",
        required=False,
        help_text=f"A zip of seed files, or several files ({allowed_types()}).",
    )
    dry_run = forms.BooleanField(
        label="Check only",
        required=False,
        help_text="Read and validate everything and report what would change; write nothing.",
    )
    strict = forms.BooleanField(
        label="Stop at the first bad file",
        required=False,
        help_text="Then nothing at all is written.",
    )

    def __init__(self, *args, limits, upload_handler=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.limits = limits
        self.upload_handler = upload_handler
        self.fields["files"].widget.attrs["accept"] = allowed_types().replace(" or ", ", ")

    def clean_files(self):
        if self.upload_handler is not None and self.upload_handler.exceeded:
            raise forms.ValidationError(
                f"The upload is over the {self.limits.upload_bytes // (1024 * 1024)} MiB limit."
            )
        files = self.cleaned_data["files"]
        try:
            self.seed_files = check_upload([(file.name, file) for file in files], self.limits)
        except UploadRejected as error:
            raise forms.ValidationError(str(error)) from None
        return files

    def uploads(self):
        """``(name, bytes)`` of each uploaded file, for the job to keep."""
        result = []
        for file in self.cleaned_data["files"]:
            file.seek(0)
            result.append((file.name, file.read()))
        return result
