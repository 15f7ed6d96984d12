"""sencohub settings: one file, read from the environment through strict helpers.

Production is the default: DEBUG is off unless set, and with DEBUG off a SECRET_KEY must be given.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from sencohub.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent

DEBUG = env_bool("DEBUG", False)
TESTING = env_bool("SENCOHUB_TESTING", False)

SECRET_KEY = env_str("SECRET_KEY")
if SECRET_KEY is None:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-for-debug-and-tests"  # noqa: S105 - never used in production

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if (DEBUG or TESTING) else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "auditlog",
    "csp",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "sencohub.accounts",
    "sencohub.schools",
    "sencohub.pupils",
    "sencohub.register",
    # reports sits above every domain; it is listed before support so that the document kinds keep their order.
    "sencohub.reports",
    "sencohub.support",
    "sencohub.provision",
    "sencohub.workforce",
    "sencohub.ehcp",
    "sencohub.documents",
    "sencohub.kernel",
    "sencohub.home",
    "sencohub.demo",
    "sencohub.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads the body (sessions, CSRF, forms): an oversized request answers 413 unread.
    "sencohub.kernel.middleware.RequestBodyLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "sencohub.kernel.middleware.OddInputMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "sencohub.accounts.reauth.ConfirmBeforeDownloadMiddleware",
    "sencohub.accounts.middleware.SessionIdleTimeoutMiddleware",
    # A one-time password is changed first (accounts.first_sign_in), then an authenticator is set up.
    "sencohub.accounts.first_sign_in.RequirePasswordChangeMiddleware",
    "sencohub.accounts.middleware.RequireTwoFactorMiddleware",
    "sencohub.kernel.clientip.AuditlogMiddleware",
    # Inside auditlog's, so that the reads it writes carry the client's address too.
    "sencohub.kernel.audit.PupilReadsMiddleware",
    # Axes last, as its documentation asks, so that it sees the final response of a failed sign-in.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sencohub.urls"
WSGI_APPLICATION = "sencohub.wsgi.application"

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
                "csp.context_processors.nonce",
                "sencohub.home.context_processors.navigation",
            ],
        },
    }
]

# SQLite is the embedded default so that one command runs the whole product on a laptop.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{PROJECT_DIR / 'var' / 'sencohub.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the register be read while an import writes; the web server and the worker both write,
    # so writers queue (IMMEDIATE, with a timeout) instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        transaction_mode="IMMEDIATE",
        timeout=20,
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Sign-in: email and password, then a TOTP code. Nobody signs themselves up: schools add their staff.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "sencohub.accounts.adapters.AccountAdapter"
ACCOUNT_FORMS = {"login": "sencohub.accounts.forms.SignInForm"}
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
# Lock-out after failed sign-ins is django-axes' (below: per account, then per address, shared by every process
# and cleared by `sencohub axes_reset`); allauth's own per-process count of failures would lock people out a
# second time, with another message, in a way no command clears. Its limit on sign-ins from one address is
# raised for a school whose staff all arrive at once behind one address.
ACCOUNT_RATE_LIMITS = False if TESTING else {"login_failed": None, "login": "300/m/ip"}
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "sencohub"
MFA_TOTP_TOLERANCE = 1
MFA_FORMS = {
    "authenticate": "sencohub.accounts.forms.CodeForm",
    "reauthenticate": "sencohub.accounts.forms.ReauthCodeForm",
}
# Confirm it's you (sencohub.accounts.reauth): a bulk export of pupil data, a new API token or a template upload
# asks for the password or a code again when the person has not signed in or confirmed for 15 minutes.
ACCOUNT_REAUTHENTICATION_TIMEOUT = 15 * 60
# Demo accounts may skip enrolling an authenticator, but only while DEBUG is on (see accounts.middleware).
SENCOHUB_DEMO_SKIP_MFA = DEBUG and env_bool("SENCOHUB_DEMO_SKIP_MFA", True)

# The client's address, behind this many proxies we run (each appends to X-Forwarded-For); 0 ignores the
# header. One number for sign-in lock-out, allauth's rate limits and the audit log (sencohub.kernel.clientip).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured(f"TRUSTED_PROXY_COUNT must be 0 or more; it is {TRUSTED_PROXY_COUNT}.")
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT

# Lock-out after repeated failures (sencohub.accounts.lockout). Per account: 5 failed sign-ins for one address,
# from anywhere, pause that account for 30 minutes; failures for other addresses never count against it, so
# colleagues behind a school's one public address are not locked out together. Per client address: 50 failures
# within the same 30 minutes, whatever the accounts, pause sign-in from that address (password spraying).
# Attempts are kept in the database, so every web process counts the same.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_IP_FAILURE_LIMIT = env_int("AXES_IP_FAILURE_LIMIT", 50)  # read by sencohub.accounts.lockout, not by axes
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_HANDLER = "sencohub.accounts.lockout.LockoutHandler"
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_CALLABLE = "sencohub.accounts.lockout.sign_in_name"
AXES_CLIENT_IP_CALLABLE = "sencohub.kernel.clientip.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "account/locked_out.html"
AXES_ENABLED = env_bool("AXES_ENABLED", True)

# Sessions end after inactivity (see accounts.middleware) and when the browser closes.
SESSION_IDLE_TIMEOUT = timedelta(minutes=env_int("SESSION_IDLE_MINUTES", 30))
SESSION_COOKIE_AGE = 60 * 60 * 10
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

SECURE = not DEBUG and not TESTING and env_bool("SECURE_COOKIES", True)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY", False) else None
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = PROJECT_DIR / "var" / "static"
STATICFILES_DIRS = [
    PROJECT_DIR / "node_modules" / "govuk-frontend" / "dist",
    ("htmx", PROJECT_DIR / "node_modules" / "htmx.org" / "dist"),
    PROJECT_DIR / "frontend",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not (DEBUG or TESTING)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = PROJECT_DIR / "var" / "media"
# Request bodies are bounded before they are parsed. The largest file a page accepts is 10 MB (a pupil import,
# evidence, a certificate); a request larger than MAX_REQUEST_BODY_BYTES answers 413 unread
# (kernel.middleware.RequestBodyLimitMiddleware). Form fields other than files may hold 2.5 MB in all, in at most
# 5,000 fields (every pupil of a 2,000-pupil school ticked, with room to spare). An upload larger than
# FILE_UPLOAD_MAX_MEMORY_SIZE is streamed to a temporary file rather than held in memory.
MAX_REQUEST_BODY_BYTES = env_int("MAX_REQUEST_BODY_MB", 12) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024 // 2
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5_000
DATA_UPLOAD_MAX_NUMBER_FILES = 10
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024 // 2

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "sencohub <no-reply@localhost>")
# SMTP, when EMAIL_BACKEND is django.core.mail.backends.smtp.EmailBackend.
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
# Where people reach this sencohub, for links in emails sent outside a request (the daily digest).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Background work started by a person (imports, document bundles) runs on the database-backed queue;
# `sencohub db_worker` runs it (`make demo` starts one). Tests run tasks at once, inside the request.
TASKS = {
    "default": {
        "BACKEND": env_str(
            "TASKS_BACKEND",
            "django_tasks.backends.immediate.ImmediateBackend"
            if TESTING
            else "django_tasks_db.DatabaseBackend",
        ),
        "QUEUES": ["default"],
    }
}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Pupil data is special category data: the audit log keeps who saw or changed it.
AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_DISABLE_REMOTE_ADDR = False
# Restoring a dump (loaddata saves rows raw) restores the dump's own entries and writes none of its own.
AUDITLOG_DISABLE_ON_RAW_SAVE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

SILENCED_SYSTEM_CHECKS = [
    # Axes uses the local-memory cache only for its own short-lived hints; attempts are kept in the database.
    "axes.W001",
    # Axes wants the address among the lock-out parameters; sign-in locks by account only so that a school's
    # shared address never locks out its staff together, and the per-address count (AXES_IP_FAILURE_LIMIT)
    # is kept by sencohub.accounts.lockout instead.
    "axes.W006",
]
