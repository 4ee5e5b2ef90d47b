"""``unlock_login USERNAME [USERNAME ...]``: lift a login lock before it runs out.

Forgets the user names' failed logins (see ``accounts.throttle``), whether or
not they were locked and whether or not such a user exists. Changes no account.
"""

from django.core.management.base import BaseCommand

from accounts import throttle


class Command(BaseCommand):
    help = "Unlock USERNAME(s) locked out of the admin by too many failed logins."

    def add_arguments(self, parser):
        parser.add_argument("usernames", nargs="+", metavar="USERNAME", help="A user name.")

    def handle(self, *args, usernames, **options):
        for username in usernames:
            if throttle.reset(username):
                self.stdout.write(self.style.SUCCESS(f"{username}: unlocked"))
            else:
                self.stdout.write(f"{username}: was not locked (its failure count is cleared)")
