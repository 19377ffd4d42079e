"""Settings for the Kandidat:innenportal, read from the environment.

Defaults are safe and need no setup: SQLite, DEBUG off. `DATABASE_URL` switches to
PostgreSQL; everything specific to the portal is a `PORTAL_*` variable.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    """An on/off variable. Unset or empty (`PORTAL_SSL_REDIRECT=`, e.g. a template left
    half-filled) means the default; anything that is neither clearly on nor clearly off
    stops the start rather than guess."""
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no, on/off, or empty for the "
        f"default; got {os.environ[name]!r}."
    )


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("PORTAL_DEBUG")

SECRET_KEY = os.environ.get("PORTAL_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "PORTAL_SECRET_KEY must be set when PORTAL_DEBUG is off "
            "(for local use: PORTAL_DEBUG=1, see README.md)."
        )
    SECRET_KEY = "insecure-local-development-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("PORTAL_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("PORTAL_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Django
    # django.contrib.admin with the portal's admin site (portal/admin_site.py).
    "portal.admin_config.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sites",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # third party
    "crispy_forms",
    "crispy_bootstrap5",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "csp",
    "django_scopes",
    # local
    "portal",
    # Staff accounts, roles and the second factor (before the apps whose admins use them).
    "accounts",
    "districts",
    "candidates",
    "lists",
    "campaigns",
    "embed",
    "reports",
    "selfservice",
    "easyread",
    "notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Fail-closed district scope around every request (django-scopes); see the module.
    "portal.scoping.DistrictScopeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # After AccountMiddleware: staff reach the admin only with a second factor.
    "accounts.mfa.StaffMFAMiddleware",
    # Changing the second factor needs that factor, not the password alone.
    "accounts.mfa.SecondFactorChangeMiddleware",
    # A write by staff makes the cached public pages stale (portal.pagecache).
    "portal.pagecache.StaffWriteMiddleware",
    # django-csp's, with the site-wide policy built once (portal.middleware).
    "portal.middleware.CSPMiddleware",
    # Last, so that its 400 still gets every header above: NUL in a URL is refused.
    "portal.middleware.RejectNullCharactersMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
SITE_ID = 1

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.portal",
                "portal.context_processors.languages",
                # Last: the CSRF placeholder of pages rendered for portal.pagecache.
                "portal.pagecache.csrf_placeholder",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("PORTAL_DB_CONN_MAX_AGE", "0")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# SQLite (the zero-setup local default) builds the covering index of
# candidates.Application without its included columns, which is fine there: only
# PostgreSQL needs them (index-only scans at 100,000 applications).
SILENCED_SYSTEM_CHECKS = (
    ["models.W040"] if DATABASES["default"]["ENGINE"].endswith("sqlite3") else []
)

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Accounts are for staff only; citizens apply without one (see DESIGN.md).
ACCOUNT_ADAPTER = "accounts.adapters.StaffOnlyAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "admin:index"
ACCOUNT_LOGOUT_REDIRECT_URL = "districts:home"
# allauth's defaults, spelled out: the 6th wrong password for one address within five
# minutes is refused. Counters live in the cache (see CACHES).
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/300s/key"}
# No "remember me": a staff session ends with the browser (see SESSION_* below).
ACCOUNT_SESSION_REMEMBER = False
# A password reset never signs anyone in: the next login asks for the second factor.
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
# Behind a reverse proxy, set this to the number of proxies so that rate limits count
# the client's address instead of the proxy's.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("PORTAL_TRUSTED_PROXY_COUNT", "0"))

# Second factor: TOTP with recovery codes. accounts.mfa.StaffMFAMiddleware makes it
# mandatory for the admin; allauth alone does not.
MFA_ADAPTER = "accounts.mfa.EncryptingMFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# No "trust this browser": every staff login asks for a code (special-category data).
MFA_TRUST_ENABLED = False
# Mail the account owner when the second factor, the password or an e-mail address
# changes (allauth's notifications, German texts in templates/, sent through the outbox:
# accounts.adapters.StaffOnlyAccountAdapter).
ACCOUNT_EMAIL_NOTIFICATIONS = True
# Key for the TOTP secrets and recovery-code seeds in the database (Fernet, from
# `Fernet.generate_key()`; several keys separated by commas to rotate, newest first).
# Unset, a key is derived from SECRET_KEY (and SECRET_KEY_FALLBACKS): then changing
# SECRET_KEY makes every second factor unreadable. Set it in production.
PORTAL_MFA_ENCRYPTION_KEY = os.environ.get("PORTAL_MFA_ENCRYPTION_KEY", "")
# Staff sessions last one working day: the cookie ends with the browser, the server
# forgets the session after this long, and accounts.mfa signs staff out this long after
# they signed in, however active they were.
PORTAL_STAFF_SESSION_HOURS = int(os.environ.get("PORTAL_STAFF_SESSION_HOURS", "9"))
SESSION_COOKIE_AGE = PORTAL_STAFF_SESSION_HOURS * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

LANGUAGE_CODE = "de"
# The public pages' languages, each named in itself (the language switch shows these).
# German is the source and the default: the staff pages stay German.
LANGUAGES = [
    ("de", "Deutsch"),
    ("en", "English"),
    ("ar", "العربية"),
    ("ru", "Русский"),
    ("uk", "Українська"),
    ("pl", "Polski"),
]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail: SMTP in production, printed to the console when developing locally.
EMAIL_BACKEND = os.environ.get(
    "PORTAL_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("PORTAL_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("PORTAL_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("PORTAL_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("PORTAL_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("PORTAL_EMAIL_USE_TLS")
EMAIL_TIMEOUT = 15
DEFAULT_FROM_EMAIL = os.environ.get("PORTAL_FROM_EMAIL", "kandidatur@localhost")
# Who sends a mail the moment it is queued. On (the default): the request that queued it,
# right after its transaction commits. Off: only the mail worker
# (`manage.py send_pending_mail --follow`, a service of its own), within a second, many
# mails over one connection; the request then only stores the outbox row. Either way
# `send_pending_mail` retries what failed (notifications/README.md).
PORTAL_SEND_MAIL_ON_COMMIT = env_bool("PORTAL_SEND_MAIL_ON_COMMIT", default=True)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Cache: allauth's rate limits and its TOTP replay protection live here (the form's
# submission limits live in the database: candidates.abuse), so every worker process on
# every node must see the same cache. With PORTAL_REDIS_URL (e.g.
# redis://127.0.0.1:6379/0) that is Redis, which several app nodes share; otherwise
# production uses the database (create the table once with `manage.py
# createcachetable`; the test runner creates it itself); local development with DEBUG
# runs one process and keeps it in memory.
PORTAL_REDIS_URL = os.environ.get("PORTAL_REDIS_URL", "")
if PORTAL_REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": PORTAL_REDIS_URL,
            "KEY_PREFIX": "portal",
        }
    }
elif DEBUG:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "portal",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "portal_cache",
            # Django's default of 300 entries would let anyone who fills the cache (the
            # form counts every submission) cull the login-failure counters and the used
            # TOTP codes, whose keys sort first. Expired entries are culled anyway.
            "OPTIONS": {"MAX_ENTRIES": 1_000_000},
        }
    }

# Security. Browsers may only talk to us: no CDN, no fonts, no analytics.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        # Nobody frames the portal, not even itself (the same as X_FRAME_OPTIONS).
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Browser features the portal never uses, switched off for every page and any frame in
# it (django-permissions-policy; an empty list means "nobody").
PERMISSIONS_POLICY = dict.fromkeys(
    [
        "accelerometer",
        "ambient-light-sensor",
        "autoplay",
        "bluetooth",
        "browsing-topics",
        "camera",
        "captured-surface-control",
        "compute-pressure",
        "display-capture",
        "encrypted-media",
        "gamepad",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "interest-cohort",
        "local-fonts",
        "magnetometer",
        "microphone",
        "midi",
        "otp-credentials",
        "payment",
        "picture-in-picture",
        "screen-wake-lock",
        "serial",
        "speaker-selection",
        "usb",
        "window-management",
        "xr-spatial-tracking",
    ],
    (),
)
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("PORTAL_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("PORTAL_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Preloading commits the whole domain to https for years: an operator decision.
    SECURE_HSTS_PRELOAD = env_bool("PORTAL_HSTS_PRELOAD")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("PORTAL_LOG_LEVEL", "INFO")},
}

# --- The portal's own settings: party, colours, texts -------------------------------
PORTAL_PARTY_NAME = os.environ.get("PORTAL_PARTY_NAME", "DIE LINKE")
PORTAL_ASSOCIATION_NAME = os.environ.get("PORTAL_ASSOCIATION_NAME", "DIE LINKE Sachsen-Anhalt")
PORTAL_SITE_TITLE = os.environ.get("PORTAL_SITE_TITLE", "Kandidier mit uns!")
# The name staff see for our entry in their authenticator app.
MFA_TOTP_ISSUER = PORTAL_SITE_TITLE or "Kandidat:innenportal"
PORTAL_TAGLINE = os.environ.get(
    "PORTAL_TAGLINE",
    "Bei der Kommunalwahl entscheidet sich, was vor deiner Haustür passiert. "
    "Mach mit – als Kandidat:in für deinen Gemeinderat, Stadtrat oder Kreistag.",
)
# Colours are validated in portal.views.theme_css before they reach the stylesheet.
PORTAL_PRIMARY_COLOR = os.environ.get("PORTAL_PRIMARY_COLOR", "#e3000f")
PORTAL_PRIMARY_TEXT_COLOR = os.environ.get("PORTAL_PRIMARY_TEXT_COLOR", "#ffffff")
PORTAL_STATE_OFFICE_EMAIL = os.environ.get("PORTAL_STATE_OFFICE_EMAIL", "")
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "http://localhost:8000")
# Public pages are kept at most this long in each worker's memory (portal.pagecache): a
# change made by staff shows within a second (a new content version), what changes with
# time alone within this time. 0 turns the cache off.
PORTAL_PAGE_CACHE_SECONDS = int(os.environ.get("PORTAL_PAGE_CACHE_SECONDS", "60"))
PORTAL_PAGE_CACHE_MAX_BYTES = int(os.environ.get("PORTAL_PAGE_CACHE_MAX_BYTES", str(32 << 20)))
# How long the e-mail confirmation link of an application stays valid.
PORTAL_CONFIRMATION_MAX_AGE_DAYS = int(os.environ.get("PORTAL_CONFIRMATION_MAX_AGE_DAYS", "7"))
# How long a personal link to "Meine Bewerbung" (selfservice) stays valid; every mail to
# an applicant carries a new one.
PORTAL_SELF_SERVICE_LINK_DAYS = int(os.environ.get("PORTAL_SELF_SERVICE_LINK_DAYS", "180"))
# Retention (command apply_retention): applications not nominated are erased this many
# days after their election's election day, withdrawn ones this many days after the
# withdrawal, whichever comes first. The privacy text states both.
PORTAL_RETENTION_DAYS_AFTER_ELECTION = int(
    os.environ.get("PORTAL_RETENTION_DAYS_AFTER_ELECTION", "90")
)
PORTAL_RETENTION_DAYS_AFTER_WITHDRAWAL = int(
    os.environ.get("PORTAL_RETENTION_DAYS_AFTER_WITHDRAWAL", "30")
)
# Form submissions (with errors or without) allowed per client address per hour, and
# mails the form sends to one inbox per day (candidates.abuse). A family or a party office
# behind one address may apply a few times; a script may not.
PORTAL_APPLICATIONS_PER_IP_PER_HOUR = int(
    os.environ.get("PORTAL_APPLICATIONS_PER_IP_PER_HOUR", "20")
)
PORTAL_APPLICATIONS_PER_EMAIL_PER_DAY = int(
    os.environ.get("PORTAL_APPLICATIONS_PER_EMAIL_PER_DAY", "5")
)
