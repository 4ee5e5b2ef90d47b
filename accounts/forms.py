"""The admin's login form, throttled (see ``accounts.throttle``)."""

from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError

from . import throttle


class ThrottledAdminAuthenticationForm(AdminAuthenticationForm):
    """Refuses a locked user name before any password is checked; counts every refusal."""

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "locked": (
            "Too many failed logins for this account: it is locked for %(duration)s. "
            "Try again later, or ask an administrator to unlock it."
        ),
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        if not username:
            return super().clean()
        if throttle.is_locked(username):
            raise self._locked()
        try:
            cleaned_data = super().clean()
        except ValidationError:
            if throttle.record_failure(username):
                raise self._locked() from None
            raise
        throttle.reset(username)
        return cleaned_data

    def _locked(self):
        return ValidationError(
            self.error_messages["locked"],
            code="locked",
            params={"duration": throttle.lockout_duration()},
        )
