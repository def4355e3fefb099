"""Django settings for the storefront project."""
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = ["shop.example.com"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.staticfiles",
    "storefront",
]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "storefront",
        "HOST": "db.internal",
        "PORT": "5432",
    }
}

SESSION_COOKIE_AGE = 1209600
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
FILE_UPLOAD_PERMISSIONS = 0o644
TIME_ZONE = "Europe/Paris"
USE_TZ = True
