"""``add_editor USERNAME``: make a user an editor (staff, member of the Editors group).

Creates the user when missing, with no usable password: set one with
``manage.py changepassword USERNAME`` (never on the command line, where shell
history keeps it). Safe to run again; it never makes anyone a superuser.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

EDITORS = "Editors"


class Command(BaseCommand):
    help = "Make USERNAME an editor: staff and a member of the Editors group (created if missing)."

    def add_arguments(self, parser):
        parser.add_argument("username", help="The editor's user name.")
        parser.add_argument("--email", default="", help="E-mail address for a new user.")

    @transaction.atomic
    def handle(self, *args, username, email, **options):
        try:
            group = Group.objects.get(name=EDITORS)
        except Group.DoesNotExist:
            raise CommandError(f"No {EDITORS!r} group: run `manage.py migrate` first.") from None
        User = get_user_model()
        user, created = User.objects.get_or_create(username=username, defaults={"email": email})
        if created:
            user.set_unusable_password()
        user.is_staff = True
        user.save()
        user.groups.add(group)
        if created:
            self.stdout.write(
                self.style.SUCCESS(f"Created editor {username!r}.")
                + f" Set a password with: manage.py changepassword {username}"
            )
        else:
            self.stdout.write(self.style.SUCCESS(f"{username!r} is an editor."))
