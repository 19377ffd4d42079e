"""Print the current TOTP code of a demo account, for signing in locally."""

import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from portal.demo import DEMO_EMAIL_DOMAIN, current_totp_code, is_demo_email, totp_secret

MIN_SECONDS_LEFT = 5


class Command(BaseCommand):
    help = (
        "Zeigt den aktuellen Code der Authenticator-App eines Demo-Kontos "
        f"(…@{DEMO_EMAIL_DOMAIN}) an. Nur für die lokale Entwicklung mit PORTAL_DEBUG=1."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="E-Mail-Adresse des Demo-Kontos")

    def handle(self, *args, email, **options):
        if not settings.DEBUG:
            raise CommandError(
                "demo_totp läuft nur in der lokalen Entwicklung (PORTAL_DEBUG=1). In "
                "Produktion gibt es keine Abkürzung am zweiten Faktor vorbei. / demo_totp "
                "only runs with DEBUG on; production has no shortcut around the second factor."
            )
        if not is_demo_email(email):
            raise CommandError(
                f"{email} ist kein Demo-Konto: demo_totp zeigt Codes nur für Adressen unter "
                f"@{DEMO_EMAIL_DOMAIN} an (die seed_demo anlegt)."
            )
        user = get_user_model().objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(
                f"Kein Konto mit der Adresse {email}. Demo-Konten legt `manage.py seed_demo` an."
            )
        secret = totp_secret(user)
        if secret is None:
            raise CommandError(
                f"{email} hat keine Authenticator-App eingerichtet; `manage.py seed_demo` "
                "richtet sie für die Demo-Konten neu ein."
            )
        code, seconds_left = current_totp_code(secret)
        if seconds_left < MIN_SECONDS_LEFT:
            # Too little time to type it: wait for the next code.
            time.sleep(seconds_left)
            code, seconds_left = current_totp_code(secret)
        self.stdout.write(code)
        self.stderr.write(f"(gültig noch {seconds_left} s; jeder Code gilt nur für eine Anmeldung)")
