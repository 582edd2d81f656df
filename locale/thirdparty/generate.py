# ruff: noqa: E501
"""Generate locale/thirdparty/kk/LC_MESSAGES/django.po (and .mo).

django-allauth and django-countries ship no Kazakh catalogue, and Django's own
kk catalogues are incomplete.  This script writes one Kazakh catalogue in the
"django" domain that covers all three; the project puts
``BASE_DIR / "locale" / "thirdparty"`` in LOCALE_PATHS (after its own
``locale/``), and Django merges catalogues by msgid, LOCALE_PATHS winning over
Django's and the apps' own catalogues.

Sources (all read from the installed packages, no network needed):

* django-allauth: the msgids (and python-format flags) of
  ``allauth/locale/ru/LC_MESSAGES/django.po``; the Kazakh texts are the
  ``ALLAUTH_KK`` table below (hand-written, the Russian catalogue was the
  reference for meaning).
* django-countries: every ``_("...")`` in ``django_countries/data.py``
  (COUNTRIES) and ``django_countries/base.py`` (COMMON_NAMES, OLD_NAMES),
  read with ``ast``.  Kazakh names are the Unicode CLDR territory names taken
  from Babel (``babel.Locale("kk").territories[code]``), mapped by ISO
  alpha-2 code, with the few documented overrides in ``CODE_OVERRIDES`` and
  ``MSGID_OVERRIDES``.  Babel is a dev-time tool only and is not a project
  requirement: without it, country names are taken from the already
  committed .po, so the script still runs offline.
* Django: for each area of ``DJANGO_AREAS`` (django/conf/locale,
  django/contrib/auth/locale, django/contrib/humanize/locale) the msgids,
  contexts and plurals of Django's ru catalogue; those that Django's kk
  catalogue lacks, leaves empty or marks fuzzy get the Kazakh of the
  ``DJANGO_KK`` table (hand-written).  ``DJANGO_KK_CORRECTIONS`` replaces a few
  of Django's kk texts that are wrong.  Needs no babel.

Usage (from the repository root)::

    python3 -m venv .babelvenv && .babelvenv/bin/pip install babel
    .babelvenv/bin/python locale/thirdparty/generate.py          # write .po + .mo
    .venv/bin/python locale/thirdparty/generate.py --check           # exit 1 if stale

The packages are looked up in the running interpreter first, then in
``.venv/lib/python*/site-packages``; ``--site-packages DIR`` overrides both.
"""

from __future__ import annotations

import argparse
import ast
import importlib.util
import re
import shutil
import subprocess
import sys
from collections import Counter
from importlib import metadata
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
OUT_DIR = BASE_DIR / "locale" / "thirdparty" / "kk" / "LC_MESSAGES"
OUT_PO = OUT_DIR / "django.po"
OUT_MO = OUT_DIR / "django.mo"

# Bump by hand when the translations change (kept fixed so reruns are byte-identical).
REVISION_DATE = "2026-11-23 00:00+0500"
# Same as Django's own kk catalogue (django/conf/locale/kk/LC_MESSAGES/django.po).
PLURAL_FORMS = "nplurals=2; plural=(n!=1);"

# allauth source areas the project does not use (the strings are translated
# anyway; this only decides what the report counts as "in scope").
OUT_OF_SCOPE_PREFIXES = (
    "socialaccount/",
    "usersessions/",
    "headless/",
    "idp/",
    "mfa/webauthn/",
    "templates/socialaccount/",
    "templates/usersessions/",
    "templates/idp/",
    "templates/openid/",
    "templates/mfa/webauthn/",
    "templates/mfa/email/webauthn_",
    "templates/mfa/messages/webauthn_",
)

# ---------------------------------------------------------------------------
# django-allauth: msgid (or (msgctxt, msgid)) -> Kazakh.  Plural entries map
# to a (form0, form1) tuple.  Glossary: Sign In = Кіру, Sign Up = Тіркелу,
# Sign Out = Шығу, password = құпиясөз, e-mail = электрондық пошта,
# account = есептік жазба, verify/confirm = растау, third-party = сыртқы сервис,
# security key = қауіпсіздік кілті, passkey = кіру кілті (passkey),
# recovery codes = қалпына келтіру кодтары.
# ---------------------------------------------------------------------------
ALLAUTH_KK: dict[str | tuple[str, str], str | tuple[str, str]] = {
    # allauth/account (Python)
    "This account is currently inactive.": "Бұл есептік жазба қазір белсенді емес.",
    "You cannot remove your primary email address.": "Негізгі электрондық пошта мекенжайыңызды жою мүмкін емес.",
    "This email address is already associated with this account.": "Бұл электрондық пошта мекенжайы осы есептік жазбаға бұрыннан байланыстырылған.",
    "The email address and/or password you specified are not correct.": "Көрсетілген электрондық пошта мекенжайы және/немесе құпиясөз қате.",
    "The phone number and/or password you specified are not correct.": "Көрсетілген телефон нөмірі және/немесе құпиясөз қате.",
    "A user is already registered with this email address.": "Бұл электрондық пошта мекенжайымен пайдаланушы бұрыннан тіркелген.",
    "Please type your current password.": "Ағымдағы құпиясөзіңізді енгізіңіз.",
    "Incorrect code.": "Код қате.",
    "Incorrect password.": "Құпиясөз қате.",
    "Invalid or expired key.": "Кілт жарамсыз немесе оның мерзімі өтіп кеткен.",
    "Invalid login.": "Кіру деректері жарамсыз.",
    "The password reset token was invalid.": "Құпиясөзді қалпына келтіру токені жарамсыз.",
    "You cannot add more than %d email addresses.": "Ең көбі %d электрондық пошта мекенжайын қосуға болады.",
    "A user is already registered with this phone number.": "Бұл телефон нөмірімен пайдаланушы бұрыннан тіркелген.",
    "Too many failed login attempts. Try again later.": "Жүйеге кірудің сәтсіз әрекеттері тым көп. Кейінірек қайталап көріңіз.",
    "The email address is not assigned to any user account.": "Бұл электрондық пошта мекенжайы ешбір пайдаланушының есептік жазбасына тіркелмеген.",
    "The phone number is not assigned to any user account.": "Бұл телефон нөмірі ешбір пайдаланушының есептік жазбасына тіркелмеген.",
    "Your primary email address must be verified.": "Негізгі электрондық пошта мекенжайыңыз расталуы тиіс.",
    "Username can not be used. Please use other username.": "Бұл пайдаланушы атын қолдануға болмайды. Басқа пайдаланушы атын таңдаңыз.",
    "The username and/or password you specified are not correct.": "Көрсетілген пайдаланушы аты және/немесе құпиясөз қате.",
    "Please select only one.": "Тек біреуін таңдаңыз.",
    "The new value must be different from the current one.": "Жаңа мән ағымдағы мәннен өзгеше болуы тиіс.",
    "Be patient, you are sending too many requests.": "Сұраулар тым жиі жіберілуде, біраз күте тұрыңыз.",
    "Use your password": "Құпиясөзді пайдалану",
    "Use authenticator app or code": "Аутентификатор қолданбасын немесе кодты пайдалану",
    "Use a security key": "Қауіпсіздік кілтін пайдалану",
    "Marked {email} as verified.": "{email} расталған деп белгіленді.",
    "Failed to mark {email} as verified.": "{email} мекенжайын расталған деп белгілеу мүмкін болмады.",
    "Mark selected email addresses as verified": "Таңдалған электрондық пошта мекенжайларын расталған деп белгілеу",
    "Accounts": "Есептік жазбалар",
    "Email": "Электрондық пошта",
    "Email address": "Электрондық пошта мекенжайы",
    "Enter a phone number including country code (e.g. +1 for the US).": "Телефон нөмірін ел кодымен бірге енгізіңіз (мысалы, Қазақстан үшін +7).",
    "Phone": "Телефон",
    "You must type the same password each time.": "Екі жолы да бірдей құпиясөз енгізуіңіз керек.",
    "Password": "Құпиясөз",
    "Remember Me": "Мені есте сақтау",
    "Username": "Пайдаланушы аты",
    ("field label", "Login"): "Логин",
    "Username, email or phone": "Пайдаланушы аты, электрондық пошта немесе телефон",
    "Username or email": "Пайдаланушы аты немесе электрондық пошта",
    "Username or phone": "Пайдаланушы аты немесе телефон",
    "Email or phone": "Электрондық пошта немесе телефон",
    "Forgot your password?": "Құпиясөзді ұмыттыңыз ба?",
    "Email (again)": "Электрондық пошта (қайталаңыз)",
    "Email address confirmation": "Электрондық пошта мекенжайын растау",
    "Email (optional)": "Электрондық пошта (міндетті емес)",
    "Username (optional)": "Пайдаланушы аты (міндетті емес)",
    "You must type the same email each time.": "Екі жолы да бірдей электрондық пошта мекенжайын енгізуіңіз керек.",
    "Password (again)": "Құпиясөз (қайталаңыз)",
    "Current Password": "Ағымдағы құпиясөз",
    "New Password": "Жаңа құпиясөз",
    "New Password (again)": "Жаңа құпиясөз (қайталаңыз)",
    "Code": "Код",
    "user": "пайдаланушы",
    "email address": "электрондық пошта мекенжайы",
    "verified": "расталған",
    "primary": "негізгі",
    "email addresses": "электрондық пошта мекенжайлары",
    "created": "құрылған",
    "sent": "жіберілген",
    "key": "кілт",
    "email confirmation": "электрондық поштаны растау",
    "email confirmations": "электрондық поштаны растаулар",
    # allauth/headless, allauth/idp (not used by the project)
    "Headless": "Headless",
    "View your user ID": "Пайдаланушы идентификаторыңызды көру",
    "View your email address": "Электрондық пошта мекенжайыңызды көру",
    "View your basic profile information": "Профиліңіздің негізгі ақпаратын көру",
    "Grant permissions": "Рұқсат беру",
    "Wildcards are not allowed unless 'Allow URI wildcards' is enabled.": "'Allow URI wildcards' параметрі қосылмаса, қойылмалы таңбаларға (*) рұқсат етілмейді.",
    "URI '{}' contains more than one wildcard (*). Only one wildcard per URI is allowed.": "'{}' URI-інде бірден көп қойылмалы таңба (*) бар. Әр URI-де тек бір қойылмалы таңбаға рұқсат етіледі.",
    "Wildcards are only allowed in the hostname portion of the URI.": "Қойылмалы таңбаларға (*) тек URI-дің хост атауы бөлігінде рұқсат етіледі.",
    "Authorization code": "Авторизация коды",
    "Device code": "Құрылғы коды",
    "Client credentials": "Клиенттің тіркелгі деректері",
    "Refresh token": "Жаңарту токені",
    "Confidential": "Құпия",
    "Public": "Ашық",
    "The scope(s) the client is allowed to request. Provide one value per line, e.g.: openid(ENTER)profile(ENTER)email(ENTER)": "Клиент сұрай алатын рұқсат аумақтары (scopes). Әр жолға бір мән енгізіңіз, мысалы: openid(ENTER)profile(ENTER)email(ENTER)",
    "In case the client does not specify any scope, these default scopes are used. Provide one value per line, e.g.: openid(ENTER)profile(ENTER)email(ENTER)": "Клиент ешбір аумақ көрсетпесе, осы әдепкі аумақтар қолданылады. Әр жолға бір мән енгізіңіз, мысалы: openid(ENTER)profile(ENTER)email(ENTER)",
    "A list of allowed grant types. Provide one value per line, e.g.: authorization_code(ENTER)client_credentials(ENTER)refresh_token(ENTER)": "Рұқсат етілген авторизация түрлерінің (grant types) тізімі. Әр жолға бір мән енгізіңіз, мысалы: authorization_code(ENTER)client_credentials(ENTER)refresh_token(ENTER)",
    "A list of allowed origins for cross-origin requests, one per line.": "Кросс-домендік сұраулар үшін рұқсат етілген көздер тізімі, әр жолға біреуден.",
    "Allow wildcards (*) in redirect URIs and CORS origins. When enabled, URIs can contain a single asterisk to match subdomains.": "Қайта бағыттау URI-лерінде және CORS көздерінде қойылмалы таңбаларға (*) рұқсат беру. Қосулы болса, URI ішкі домендерге сәйкестендіру үшін бір жұлдызшаны қамти алады.",
    "A list of allowed response types. Provide one value per line, e.g.: code(ENTER)id_token token(ENTER)": "Рұқсат етілген жауап түрлерінің тізімі. Әр жолға бір мән енгізіңіз, мысалы: code(ENTER)id_token token(ENTER)",
    "client": "клиент",
    "clients": "клиенттер",
    # allauth/mfa (Python)
    "You cannot add an email address to an account protected by two-factor authentication.": "Екі факторлы аутентификациямен қорғалған есептік жазбаға электрондық пошта мекенжайын қосу мүмкін емес.",
    "You cannot deactivate two-factor authentication.": "Екі факторлы аутентификацияны өшіру мүмкін емес.",
    "You cannot generate recovery codes without having two-factor authentication enabled.": "Екі факторлы аутентификация қосылмайынша қалпына келтіру кодтарын жасау мүмкін емес.",
    "You cannot activate two-factor authentication until you have verified your email address.": "Электрондық пошта мекенжайыңызды растамайынша екі факторлы аутентификацияны қосу мүмкін емес.",
    "Master key": "Негізгі кілт",
    "Backup key": "Резервтік кілт",
    "Key nr. {number}": "№{number} кілт",
    "MFA": "Көп факторлы аутентификация (MFA)",
    "Recovery codes": "Қалпына келтіру кодтары",
    "TOTP Authenticator": "TOTP аутентификаторы",
    "WebAuthn": "WebAuthn",
    "Authenticator code": "Аутентификатор коды",
    "Passwordless": "Құпиясөзсіз",
    "Enabling passwordless operation allows you to sign in using just this key, but imposes additional requirements such as biometrics or PIN protection.": "Құпиясөзсіз режимді қоссаңыз, жүйеге тек осы кілтпен кіре аласыз, бірақ бұл биометрия немесе PIN-кодпен қорғау сияқты қосымша талаптар қояды.",
    # allauth/socialaccount (not used by the project)
    "An account already exists with this email address. Please sign in to that account first, then connect your %s account.": "Бұл электрондық пошта мекенжайымен есептік жазба бұрыннан бар. Алдымен сол есептік жазбаға кіріп, содан кейін %s есептік жазбаңызды қосыңыз.",
    "Invalid token.": "Токен жарамсыз.",
    "Your account has no password set up.": "Есептік жазбаңыз үшін құпиясөз орнатылмаған.",
    "Your account has no verified email address.": "Есептік жазбаңызда расталған электрондық пошта мекенжайы жоқ.",
    "You cannot disconnect your last remaining third-party account.": "Сыртқы сервистің соңғы қалған есептік жазбасын ажырату мүмкін емес.",
    "The third-party account is already connected to a different account.": "Сыртқы сервистің бұл есептік жазбасы басқа есептік жазбаға бұрыннан қосылған.",
    "Social Accounts": "Әлеуметтік желі есептік жазбалары",
    "provider": "провайдер",
    "provider ID": "провайдер ID",
    "name": "атауы",
    "client id": "клиент ID",
    "App ID, or consumer key": "Қолданба ID немесе тұтынушы кілті",
    "secret key": "құпия кілт",
    "API secret, client secret, or consumer secret": "API құпия кілті, клиенттің құпия кілті немесе тұтынушының құпия кілті",
    "Key": "Кілт",
    "social application": "әлеуметтік қолданба",
    "social applications": "әлеуметтік қолданбалар",
    "uid": "UID",
    "last login": "соңғы кіру",
    "date joined": "тіркелген күні",
    "extra data": "қосымша деректер",
    "social account": "әлеуметтік желі есептік жазбасы",
    "social accounts": "әлеуметтік желі есептік жазбалары",
    "token": "токен",
    '"oauth_token" (OAuth1) or access token (OAuth2)': '"oauth_token" (OAuth1) немесе қолжетімділік токені (OAuth2)',
    "token secret": "токеннің құпия кілті",
    '"oauth_token_secret" (OAuth1) or refresh token (OAuth2)': '"oauth_token_secret" (OAuth1) немесе жаңарту токені (OAuth2)',
    "expires at": "жарамдылық мерзімі",
    "social application token": "әлеуметтік қолданба токені",
    "social application tokens": "әлеуметтік қолданба токендері",
    "Invalid profile data": "Профиль деректері жарамсыз",
    "Login": "Кіру",
    "Cancel": "Бас тарту",
    'Invalid response while obtaining request token from "%s". Response was: %s.': '"%s" қызметінен сұрау токенін алу кезінде жарамсыз жауап келді. Жауап: %s.',
    'Invalid response while obtaining access token from "%s".': '"%s" қызметінен қолжетімділік токенін алу кезінде жарамсыз жауап келді.',
    'No request token saved for "%s".': '"%s" үшін сақталған сұрау токені жоқ.',
    'No access token saved for "%s".': '"%s" үшін сақталған қолжетімділік токені жоқ.',
    'No access to private resources at "%s".': '"%s" жабық ресурстарына қолжетімділік жоқ.',
    'Invalid response while obtaining request token from "%s".': '"%s" қызметінен сұрау токенін алу кезінде жарамсыз жауап келді.',
    # templates/account
    "Account Inactive": "Есептік жазба белсенді емес",
    "This account is inactive.": "Бұл есептік жазба белсенді емес.",
    "We've sent a code to %(recipient)s. The code expires shortly, so please enter it soon.": "Код жіберілді: %(recipient)s. Кодтың жарамдылық мерзімі қысқа, сондықтан оны мүмкіндігінше тез енгізіңіз.",
    "Confirm": "Растау",
    "Request new code": "Жаңа код сұрау",
    "Confirm Access": "Қолжетімділікті растау",
    "Please reauthenticate to safeguard your account.": "Есептік жазбаңыздың қауіпсіздігі үшін қайта аутентификациядан өтіңіз.",
    "Alternative options": "Балама нұсқалар",
    "Email Verification": "Электрондық поштаны растау",
    "Enter Email Verification Code": "Электрондық поштаны растау кодын енгізіңіз",
    "Use a different email address": "Басқа электрондық пошта мекенжайын пайдалану",
    "Sign In": "Кіру",
    "Enter Sign-In Code": "Кіру кодын енгізіңіз",
    "Password Reset": "Құпиясөзді қалпына келтіру",
    "Enter Password Reset Code": "Құпиясөзді қалпына келтіру кодын енгізіңіз",
    "Phone Verification": "Телефон нөмірін растау",
    "Enter Phone Verification Code": "Телефон нөмірін растау кодын енгізіңіз",
    "Use a different phone number": "Басқа телефон нөмірін пайдалану",
    "Email Addresses": "Электрондық пошта мекенжайлары",
    "The following email addresses are associated with your account:": "Есептік жазбаңызбен келесі электрондық пошта мекенжайлары байланыстырылған:",
    "Verified": "Расталған",
    "Unverified": "Расталмаған",
    "Primary": "Негізгі",
    "Make Primary": "Негізгі ету",
    "Re-send Verification": "Растауды қайта жіберу",
    "Remove": "Жою",
    "Add Email Address": "Электрондық пошта мекенжайын қосу",
    "Add Email": "Электрондық поштаны қосу",
    "Do you really want to remove the selected email address?": "Таңдалған электрондық пошта мекенжайын шынымен жойғыңыз келе ме?",
    # templates/account/email (subjects and bodies)
    "You are receiving this email because you or someone else tried to signup for an\naccount using email address:\n\n%(email)s\n\nHowever, an account using that email address already exists.  In case you have\nforgotten about this, please use the password forgotten procedure to recover\nyour account:\n\n%(password_reset_url)s": (
        "Бұл хат сізге келесі электрондық пошта мекенжайы арқылы сіз немесе басқа\n"
        "біреу есептік жазба тіркеуге әрекет жасағандықтан жіберілді:\n\n%(email)s\n\n"
        "Алайда бұл электрондық пошта мекенжайымен есептік жазба бұрыннан бар. Егер\n"
        "бұл туралы ұмытып қалсаңыз, есептік жазбаңызға қайта кіру үшін құпиясөзді\n"
        "қалпына келтіру рәсімін пайдаланыңыз:\n\n%(password_reset_url)s"
    ),
    "Account Already Exists": "Есептік жазба бұрыннан бар",
    "Hello from %(site_name)s!": "Сәлеметсіз бе! Сізге %(site_name)s жүйесінен хат келді.",
    "Thank you for using %(site_name)s!\n%(site_domain)s": "%(site_name)s қызметін пайдаланғаныңыз үшін рақмет!\n%(site_domain)s",
    "You are receiving this mail because the following change was made to your account:": "Бұл хат сізге есептік жазбаңызға келесі өзгеріс енгізілгендіктен жіберілді:",
    "If you do not recognize this change then please take proper security precautions immediately. The change to your account originates from:\n\n- IP address: %(ip)s\n- Browser: %(user_agent)s\n- Date: %(timestamp)s": (
        "Егер бұл өзгерісті сіз жасамаған болсаңыз, дереу тиісті қауіпсіздік шараларын "
        "қолданыңыз. Есептік жазбаңызға өзгеріс мына жерден енгізілді:\n\n"
        "- IP мекенжайы: %(ip)s\n- Браузер: %(user_agent)s\n- Күні: %(timestamp)s"
    ),
    "Your email has been changed from %(from_email)s to %(to_email)s.": "Электрондық пошта мекенжайыңыз %(from_email)s мекенжайынан %(to_email)s мекенжайына өзгертілді.",
    "Email Changed": "Электрондық пошта өзгертілді",
    "Your email has been confirmed.": "Электрондық поштаңыз расталды.",
    "Email Confirmation": "Электрондық поштаны растау",
    "You're receiving this email because user %(user_display)s has given your email address to register an account on %(site_domain)s.": "Бұл хат сізге %(user_display)s пайдаланушысы %(site_domain)s сайтында есептік жазба тіркеу үшін сіздің электрондық пошта мекенжайыңызды көрсеткендіктен жіберілді.",
    "Your email verification code is listed below. Please enter it in your open browser window.": "Электрондық поштаны растау кодыңыз төменде берілген. Оны браузердің ашық терезесіне енгізіңіз.",
    "To confirm this is correct, go to %(activate_url)s": "Мұны растау үшін мына сілтемеге өтіңіз: %(activate_url)s",
    "Please Confirm Your Email Address": "Электрондық пошта мекенжайыңызды растаңыз",
    "Email address %(deleted_email)s has been removed from your account.": "%(deleted_email)s электрондық пошта мекенжайы есептік жазбаңыздан жойылды.",
    "Email Removed": "Электрондық пошта жойылды",
    "Your sign-in code is listed below. Please enter it in your open browser window.": "Кіру кодыңыз төменде берілген. Оны браузердің ашық терезесіне енгізіңіз.",
    "This mail can be safely ignored if you did not initiate this action.": "Егер бұл әрекетті сіз бастамаған болсаңыз, бұл хатты елемеуге болады.",
    "Sign-In Code": "Кіру коды",
    "Your password has been changed.": "Құпиясөзіңіз өзгертілді.",
    "Password Changed": "Құпиясөз өзгертілді",
    "Your password reset code is listed below. Please enter it in your open browser window.": "Құпиясөзді қалпына келтіру кодыңыз төменде берілген. Оны браузердің ашық терезесіне енгізіңіз.",
    "Password Reset Code": "Құпиясөзді қалпына келтіру коды",
    "You're receiving this email because you or someone else has requested a password reset for your user account.\nIt can be safely ignored if you did not request a password reset. Click the link below to reset your password.": (
        "Бұл хат сізге сіз немесе басқа біреу есептік жазбаңыздың құпиясөзін қалпына "
        "келтіруді сұрағандықтан жіберілді.\nЕгер құпиясөзді қалпына келтіруді сұрамаған "
        "болсаңыз, бұл хатты елемеуге болады. Құпиясөзді қалпына келтіру үшін төмендегі "
        "сілтемені басыңыз."
    ),
    "In case you forgot, your username is %(username)s.": "Егер ұмытып қалсаңыз, пайдаланушы атыңыз: %(username)s.",
    "Password Reset Email": "Құпиясөзді қалпына келтіру хаты",
    "Your password has been reset.": "Құпиясөзіңіз қалпына келтірілді.",
    "Your password has been set.": "Құпиясөзіңіз орнатылды.",
    "Password Set": "Құпиясөз орнатылды",
    "You are receiving this email because you, or someone else, tried to access an account with email %(email)s. However, we do not have any record of such an account in our database.": "Бұл хат сізге сіз немесе басқа біреу %(email)s электрондық поштасымен тіркелген есептік жазбаға кіруге әрекет жасағандықтан жіберілді. Алайда біздің дерекқорымызда мұндай есептік жазба жоқ.",
    "If it was you, you can sign up for an account using the link below.": "Егер бұл сіз болсаңыз, төмендегі сілтеме арқылы тіркеле аласыз.",
    "Unknown Account": "Белгісіз есептік жазба",
    # templates/account (continued)
    "Email Address": "Электрондық пошта мекенжайы",
    "Current email": "Ағымдағы электрондық пошта",
    "Changing to": "Жаңа мекенжай",
    "Your email address is still pending verification.": "Электрондық пошта мекенжайыңыз әлі расталмаған.",
    "Cancel Change": "Өзгертуден бас тарту",
    "Change to": "Жаңа мән",
    "Change Email": "Электрондық поштаны өзгерту",
    "Confirm Email Address": "Электрондық пошта мекенжайын растау",
    'Please confirm that <a href="mailto:%(email)s">%(email)s</a> is an email address for user %(user_display)s.': '<a href="mailto:%(email)s">%(email)s</a> мекенжайы %(user_display)s пайдаланушысының электрондық пошта мекенжайы екенін растаңыз.',
    "Unable to confirm %(email)s because it is already confirmed by a different account.": "%(email)s мекенжайын растау мүмкін емес, себебі ол басқа есептік жазбада бұрыннан расталған.",
    'This email confirmation link expired or is invalid. Please <a href="%(email_url)s">issue a new email confirmation request</a>.': 'Электрондық поштаны растау сілтемесінің мерзімі өтіп кеткен немесе ол жарамсыз. <a href="%(email_url)s">Электрондық поштаны растауға жаңа сұрау жіберіңіз</a>.',
    "If you have not created an account yet, then please %(link)ssign up%(end_link)s first.": "Егер әлі есептік жазбаңыз болмаса, алдымен %(link)sтіркеліңіз%(end_link)s.",
    "Sign in with a passkey": "Кіру кілтімен (passkey) кіру",
    "Send me a sign-in code": "Маған кіру кодын жіберу",
    "Sign Out": "Шығу",
    "Are you sure you want to sign out?": "Жүйеден шыққыңыз келетініне сенімдісіз бе?",
    "You cannot remove your primary email address (%(email)s).": "Негізгі электрондық пошта мекенжайыңызды (%(email)s) жою мүмкін емес.",
    "Confirmation email sent to %(email)s.": "Растау хаты %(email)s мекенжайына жіберілді.",
    "You have confirmed %(email)s.": "%(email)s мекенжайы расталды.",
    "Removed email address %(email)s.": "%(email)s электрондық пошта мекенжайы жойылды.",
    "Successfully signed in as %(name)s.": "Сіз жүйеге %(name)s ретінде сәтті кірдіңіз.",
    "You have signed out.": "Сіз жүйеден шықтыңыз.",
    "A sign-in code has been sent to %(recipient)s.": "Кіру коды жіберілді: %(recipient)s.",
    "Password successfully changed.": "Құпиясөз сәтті өзгертілді.",
    "Password successfully set.": "Құпиясөз сәтті орнатылды.",
    "A verification code has been sent to %(phone)s.": "Растау коды %(phone)s нөміріне жіберілді.",
    "You have verified phone number %(phone)s.": "%(phone)s телефон нөмірі расталды.",
    "Primary email address set.": "Негізгі электрондық пошта мекенжайы орнатылды.",
    "Change Password": "Құпиясөзді өзгерту",
    "Forgot Password?": "Құпиясөзді ұмыттыңыз ба?",
    "Forgotten your password? Enter your email address below, and we'll send you an email allowing you to reset it.": "Құпиясөзіңізді ұмыттыңыз ба? Төменде электрондық пошта мекенжайыңызды енгізіңіз, біз сізге құпиясөзді қалпына келтіруге арналған хат жібереміз.",
    "Reset My Password": "Құпиясөзді қалпына келтіру",
    "Please contact us if you have any trouble resetting your password.": "Құпиясөзді қалпына келтіру кезінде қиындық туындаса, бізге хабарласыңыз.",
    "We have sent you an email. If you have not received it please check your spam folder. Otherwise contact us if you do not receive it in a few minutes.": "Біз сізге хат жібердік. Егер оны алмаған болсаңыз, «Спам» қалтасын тексеріңіз. Бірнеше минут ішінде хат келмесе, бізге хабарласыңыз.",
    "Bad Token": "Жарамсыз токен",
    'The password reset link was invalid, possibly because it has already been used.  Please request a <a href="%(passwd_reset_url)s">new password reset</a>.': 'Құпиясөзді қалпына келтіру сілтемесі жарамсыз, ол бұрын пайдаланылған болуы мүмкін. <a href="%(passwd_reset_url)s">Құпиясөзді қалпына келтіруді қайта сұраңыз</a>.',
    "Your password is now changed.": "Құпиясөзіңіз өзгертілді.",
    "Set Password": "Құпиясөз орнату",
    "Change Phone": "Телефон нөмірін өзгерту",
    "Current phone": "Ағымдағы телефон нөмірі",
    "Your phone number is still pending verification.": "Телефон нөміріңіз әлі расталмаған.",
    ("action", "Change Phone"): "Телефон нөмірін өзгерту",
    "Enter your password:": "Құпиясөзіңізді енгізіңіз:",
    "You will receive a special code for a password-free sign-in.": "Сіз құпиясөзсіз кіруге арналған арнайы код аласыз.",
    "Request Code": "Код сұрау",
    "Other sign-in options": "Кірудің басқа тәсілдері",
    "Signup": "Тіркелу",
    "Sign Up": "Тіркелу",
    "Already have an account? Then please %(link)ssign in%(end_link)s.": "Есептік жазбаңыз бар ма? Онда %(link)sжүйеге кіріңіз%(end_link)s.",
    "Sign up using a passkey": "Кіру кілтімен (passkey) тіркелу",
    "Passkey Sign Up": "Кіру кілтімен (passkey) тіркелу",
    "Other options": "Басқа нұсқалар",
    "Sign Up Closed": "Тіркелу жабық",
    "We are sorry, but the sign up is currently closed.": "Кешіріңіз, қазіргі уақытта тіркелу жабық.",
    "Note": "Ескертпе",
    "You are already logged in as %(user_display)s.": "Сіз жүйеге %(user_display)s ретінде кіріп тұрсыз.",
    "Warning:": "Назар аударыңыз:",
    "You currently do not have any email address set up. You should really add an email address so you can receive notifications, reset your password, etc.": "Қазір сізде ешбір электрондық пошта мекенжайы жоқ. Хабарламалар алу, құпиясөзді қалпына келтіру және т.б. үшін электрондық пошта мекенжайын қосқаныңыз жөн.",
    "Verify Your Email Address": "Электрондық пошта мекенжайыңызды растаңыз",
    "We have sent an email to you for verification. Follow the link provided to finalize the signup process. If you do not see the verification email in your main inbox, check your spam folder. Please contact us if you do not receive the verification email within a few minutes.": "Растау үшін сізге хат жібердік. Тіркелуді аяқтау үшін хаттағы сілтемеге өтіңіз. Егер растау хаты негізгі кіріс жәшігінде болмаса, «Спам» қалтасын тексеріңіз. Бірнеше минут ішінде растау хаты келмесе, бізге хабарласыңыз.",
    "This part of the site requires us to verify that\nyou are who you claim to be. For this purpose, we require that you\nverify ownership of your email address. ": (
        "Сайттың бұл бөлімі сіздің жеке басыңызды\nрастауды талап етеді. Ол үшін "
        "электрондық пошта мекенжайыңыз\nсізге тиесілі екенін растауыңыз қажет. "
    ),
    "We have sent an email to you for\nverification. Please click on the link inside that email. If you do not see the verification email in your main inbox, check your spam folder. Otherwise\ncontact us if you do not receive it within a few minutes.": (
        "Растау үшін сізге\nхат жібердік. Хаттағы сілтемені басыңыз. Егер растау хаты "
        "негізгі кіріс жәшігінде болмаса, «Спам» қалтасын тексеріңіз. Бірнеше\nминут "
        "ішінде хат келмесе, бізге хабарласыңыз."
    ),
    '<strong>Note:</strong> you can still <a href="%(email_url)s">change your email address</a>.': '<strong>Ескертпе:</strong> сіз әлі де <a href="%(email_url)s">электрондық пошта мекенжайыңызды өзгерте аласыз</a>.',
    # templates/allauth/layouts
    "Messages:": "Хабарламалар:",
    "Menu:": "Мәзір:",
    "Account Connections": "Байланыстырылған есептік жазбалар",
    "Two-Factor Authentication": "Екі факторлы аутентификация",
    "Sessions": "Сеанстар",
    # templates/idp (not used by the project)
    "Authorize": "Рұқсат беру",
    "%(client_name)s wants to access your %(site_name)s account.": "%(client_name)s сіздің %(site_name)s есептік жазбаңызға қол жеткізуді сұрайды.",
    "Enter Device Code": "Құрылғы кодын енгізіңіз",
    "Enter the code displayed on your device.": "Құрылғыңызда көрсетілген кодты енгізіңіз.",
    "Continue": "Жалғастыру",
    "Confirm Device": "Құрылғыны растау",
    "Please confirm the code shown on your %(client_name)s to authorize this device.": "Осы құрылғыға рұқсат беру үшін %(client_name)s құрылғысында көрсетілген кодты растаңыз.",
    "Deny": "Қабылдамау",
    "Device Authorized": "Құрылғыға рұқсат берілді",
    "You successfully authorized your %(client_name)s device.": "%(client_name)s құрылғыңызға сәтті рұқсат бердіңіз.",
    "Device Denied": "Құрылғы қабылданбады",
    "Authorization for your %(client_name)s device has been denied.": "%(client_name)s құрылғыңызға рұқсат берілмеді.",
    "Error": "Қате",
    "Stay Signed In": "Жүйеде қалу",
    # templates/mfa
    "Your account is protected by two-factor authentication. Please enter an authenticator code:": "Есептік жазбаңыз екі факторлы аутентификациямен қорғалған. Аутентификатор кодын енгізіңіз:",
    "A new set of Two-Factor Authentication recovery codes has been generated.": "Екі факторлы аутентификацияның қалпына келтіру кодтарының жаңа жинағы жасалды.",
    "New Recovery Codes Generated": "Жаңа қалпына келтіру кодтары жасалды",
    "Authenticator app activated.": "Аутентификатор қолданбасы іске қосылды.",
    "Authenticator App Activated": "Аутентификатор қолданбасы іске қосылды",
    "Authenticator app deactivated.": "Аутентификатор қолданбасы өшірілді.",
    "Authenticator App Deactivated": "Аутентификатор қолданбасы өшірілді",
    "A new security key has been added.": "Жаңа қауіпсіздік кілті қосылды.",
    "Security Key Added": "Қауіпсіздік кілті қосылды",
    "A security key has been removed.": "Қауіпсіздік кілті жойылды.",
    "Security Key Removed": "Қауіпсіздік кілті жойылды",
    "Authenticator App": "Аутентификатор қолданбасы",
    "Authentication using an authenticator app is active.": "Аутентификатор қолданбасы арқылы аутентификация қосулы.",
    "An authenticator app is not active.": "Аутентификатор қолданбасы қосылмаған.",
    "Deactivate": "Өшіру",
    "Activate": "Іске қосу",
    "Security Keys": "Қауіпсіздік кілттері",
    "You have added %(count)s security key.": (
        "Сіз %(count)s қауіпсіздік кілтін қостыңыз.",
        "Сіз %(count)s қауіпсіздік кілтін қостыңыз.",
    ),
    "No security keys have been added.": "Қауіпсіздік кілттері қосылмаған.",
    "Manage": "Басқару",
    "Add": "Қосу",
    "Recovery Codes": "Қалпына келтіру кодтары",
    "There is %(unused_count)s out of %(total_count)s recovery codes available.": (
        "Қолжетімді қалпына келтіру кодтары: %(unused_count)s / %(total_count)s.",
        "Қолжетімді қалпына келтіру кодтары: %(unused_count)s / %(total_count)s.",
    ),
    "No recovery codes set up.": "Қалпына келтіру кодтары жасалмаған.",
    "View": "Қарау",
    "Download": "Жүктеп алу",
    "Generate": "Жасау",
    "A new set of recovery codes has been generated.": "Қалпына келтіру кодтарының жаңа жинағы жасалды.",
    "Save them  in a secure location now — they won't be shown again.": "Оларды қазір қауіпсіз жерге сақтаңыз — олар қайта көрсетілмейді.",
    "Security key added.": "Қауіпсіздік кілті қосылды.",
    "Security key removed.": "Қауіпсіздік кілті жойылды.",
    "Enter an authenticator code:": "Аутентификатор кодын енгізіңіз:",
    "You are about to generate a new set of recovery codes for your account.": "Сіз есептік жазбаңыз үшін қалпына келтіру кодтарының жаңа жинағын жасағалы отырсыз.",
    "This action will invalidate your existing codes.": "Бұл әрекеттен кейін қазіргі кодтарыңыз жарамсыз болады.",
    "Are you sure?": "Сенімдісіз бе?",
    "Unused codes": "Пайдаланылмаған кодтар",
    "Download codes": "Кодтарды жүктеп алу",
    "Generate new codes": "Жаңа кодтар жасау",
    "I have saved my recovery codes": "Қалпына келтіру кодтарымды сақтадым",
    "Activate Authenticator App": "Аутентификатор қолданбасын іске қосу",
    "To protect your account with two-factor authentication, scan the QR code below with your authenticator app. Then, input the verification code generated by the app below.": "Есептік жазбаңызды екі факторлы аутентификациямен қорғау үшін төмендегі QR-кодты аутентификатор қолданбасымен сканерлеңіз. Содан кейін қолданба жасаған растау кодын төменге енгізіңіз.",
    "Authenticator secret": "Аутентификатордың құпия кілті",
    "You can store this secret and use it to reinstall your authenticator app at a later time.": "Бұл құпия кілтті сақтап, кейін аутентификатор қолданбасын қайта орнату үшін пайдалана аласыз.",
    "Deactivate Authenticator App": "Аутентификатор қолданбасын өшіру",
    "You are about to deactivate authenticator app based authentication. Are you sure?": "Сіз аутентификатор қолданбасы арқылы аутентификацияны өшіргелі отырсыз. Сенімдісіз бе?",
    "Trust this Browser?": "Бұл браузерге сенесіз бе?",
    "If you choose to trust this browser, you will not be asked for a verification code the next time you sign in.": "Егер бұл браузерге сенім білдірсеңіз, келесі жолы жүйеге кіргенде сізден растау коды сұралмайды.",
    "Trust for %(period)s": "%(period)s бойы сену",
    "Don't Trust": "Сенбеу",
    # templates/mfa/webauthn (not used by the project)
    "Add Security Key": "Қауіпсіздік кілтін қосу",
    "Remove Security Key": "Қауіпсіздік кілтін жою",
    "Are you sure you want to remove this security key?": "Бұл қауіпсіздік кілтін шынымен жойғыңыз келе ме?",
    "Usage": "Қолданылуы",
    "Passkey": "Кіру кілті (passkey)",
    "Security key": "Қауіпсіздік кілті",
    "This key does not indicate whether it is a passkey.": "Бұл кілт оның кіру кілті (passkey) екенін көрсетпейді.",
    "Unspecified": "Көрсетілмеген",
    "Added on %(created_at)s": "Қосылған күні: %(created_at)s",
    "Last used %(last_used)s": "Соңғы рет пайдаланылған: %(last_used)s",
    "Edit": "Өңдеу",
    "Edit Security Key": "Қауіпсіздік кілтін өңдеу",
    "Save": "Сақтау",
    "Create Passkey": "Кіру кілтін (passkey) жасау",
    "You are about to create a passkey for your account. As you can add additional keys later on, you can use a descriptive name to tell the keys apart.": "Сіз есептік жазбаңыз үшін кіру кілтін (passkey) жасағалы отырсыз. Кейін қосымша кілттер қоса алатындықтан, оларды ажырату үшін түсінікті атау беруге болады.",
    "Create": "Жасау",
    "This functionality requires JavaScript.": "Бұл функция үшін JavaScript қажет.",
    # templates/socialaccount, templates/usersessions (not used by the project)
    "Third-Party Login Failure": "Сыртқы сервис арқылы кіру қатесі",
    "An error occurred while attempting to login via your third-party account.": "Сыртқы сервистегі есептік жазбаңыз арқылы кіру кезінде қате орын алды.",
    "You can sign in to your account using any of the following third-party accounts:": "Есептік жазбаңызға келесі сыртқы сервистердің кез келген есептік жазбасы арқылы кіре аласыз:",
    "You currently have no third-party accounts connected to this account.": "Қазір бұл есептік жазбаға сыртқы сервистердің ешбір есептік жазбасы қосылмаған.",
    "Add a Third-Party Account": "Сыртқы сервистің есептік жазбасын қосу",
    "A third-party account from %(provider)s has been connected to your account.": "Есептік жазбаңызға %(provider)s сервисінің есептік жазбасы қосылды.",
    "Third-Party Account Connected": "Сыртқы сервистің есептік жазбасы қосылды",
    "A third-party account from %(provider)s has been disconnected from your account.": "%(provider)s сервисінің есептік жазбасы есептік жазбаңыздан ажыратылды.",
    "Third-Party Account Disconnected": "Сыртқы сервистің есептік жазбасы ажыратылды",
    "Connect %(provider)s": "%(provider)s қосу",
    "You are about to connect a new third-party account from %(provider)s.": "Сіз %(provider)s сервисінің жаңа есептік жазбасын қосқалы отырсыз.",
    "Sign In Via %(provider)s": "%(provider)s арқылы кіру",
    "You are about to sign in using a third-party account from %(provider)s.": "Сіз %(provider)s сервисінің есептік жазбасы арқылы жүйеге кіргелі отырсыз.",
    "Login Cancelled": "Кіру тоқтатылды",
    'You decided to cancel logging in to our site using one of your existing accounts. If this was a mistake, please proceed to <a href="%(login_url)s">sign in</a>.': 'Сіз бар есептік жазбаларыңыздың бірі арқылы сайтқа кіруден бас тарттыңыз. Егер бұл қателік болса, <a href="%(login_url)s">жүйеге кіріңіз</a>.',
    "The third-party account has been connected.": "Сыртқы сервистің есептік жазбасы қосылды.",
    "The third-party account has been disconnected.": "Сыртқы сервистің есептік жазбасы ажыратылды.",
    "You are about to use your %(provider_name)s account to login to\n%(site_name)s. As a final step, please complete the following form:": "Сіз %(site_name)s сайтына кіру үшін %(provider_name)s есептік\nжазбаңызды пайдаланғалы отырсыз. Соңғы қадам ретінде келесі форманы толтырыңыз:",
    "Or use a third-party": "Немесе сыртқы сервисті пайдаланыңыз",
    "Signed out of all other sessions.": "Барлық басқа сеанстар аяқталды.",
    "Started At": "Басталған уақыты",
    "IP Address": "IP мекенжайы",
    "Browser": "Браузер",
    "Last seen at": "Соңғы белсенділік",
    "Current": "Ағымдағы",
    "Sign Out Other Sessions": "Басқа сеанстардан шығу",
    "User Sessions": "Пайдаланушы сеанстары",
    "session key": "сеанс кілті",
}

# ---------------------------------------------------------------------------
# django-countries: deviations from CLDR (babel.Locale("kk").territories).
# ---------------------------------------------------------------------------
CODE_OVERRIDES = {
    # CLDR kk spells these "Аустралия"/"Аустрия"; the current official Kazakh
    # orthography (and egov.kz, the MFA) use "Австралия"/"Австрия".
    "AU": "Австралия",
    "AT": "Австрия",
    # CLDR kk gives plain "Конго" for CD, which is indistinguishable from CG.
    "CD": "Конго Демократиялық Республикасы",
    # CLDR kk "Палестина аймақтары" means "Palestinian Territories"; the
    # msgids are "Palestine, State of" / "Palestine".
    "PS": "Палестина",
}
# Historic names (django_countries.base.OLD_NAMES) translated as such rather
# than mapped to the current CLDR name of the code.
MSGID_OVERRIDES = {
    "Macedonia": "Македония",
    "Macedonia (the former Yugoslav Republic of)": "Македония (бұрынғы Югославия Республикасы)",
    "Swaziland": "Свазиленд",
    "Czech Republic": "Чех Республикасы",
    "Falkland Islands  [Malvinas]": "Фолкленд (Мальвин) аралдары",
}


# ---------------------------------------------------------------------------
# Django itself: Kazakh for the msgids that Django's own kk catalogues lack
# (missing, empty or fuzzy), in the areas listed in DJANGO_AREAS.  The msgids,
# contexts and plural pairs are those of Django's ru catalogue of each area
# (ru is complete and was the reference for meaning).  Keys and values as in
# ALLAUTH_KK; plural entries map to (form0, form1), form0 being n == 1.
# Same glossary as above, plus: field = өріс, value = мән, valid = дұрыс /
# жарамды, character = таңба, "Ensure ..." = "... болуы тиіс".  Placeholders
# never take a case suffix (the suffix would depend on the value), hence
# "«%(field_label)s» өрісі", "%(value)s мәні", "… және …" rather than "мен/бен".
# ---------------------------------------------------------------------------
DJANGO_AREAS = (
    # (label, locale directory inside the django package)
    ("django core", "conf/locale"),
    ("django.contrib.auth", "contrib/auth/locale"),
    ("django.contrib.humanize", "contrib/humanize/locale"),
)
# Not covered on purpose (not user-facing in this project): contrib/admin,
# admindocs, gis, postgres, flatpages, redirects, and the rest of contrib.

NBSP = "\u00a0"  # humanize keeps a no-break space between count and unit

DJANGO_KK: dict[str | tuple[str, str], str | tuple[str, str]] = {
    # --- django/conf/locale: language names (settings.LANGUAGES) ---
    "Afrikaans": "Африкаанс",
    "Algerian Arabic": "Алжирлік араб",
    "Asturian": "Астурия",
    "Belarusian": "Беларусь",
    "Breton": "Бретон",
    "Central Kurdish (Sorani)": "Орталық күрд (сорани)",
    "Lower Sorbian": "Төменгі лужица",
    "Australian English": "Австралиялық ағылшын",
    "Esperanto": "Эсперанто",
    "Colombian Spanish": "Колумбиялық испан",
    "Venezuelan Spanish": "Венесуэлалық испан",
    "Scottish Gaelic": "Шотландиялық гэль",
    "Upper Sorbian": "Жоғарғы лужица",
    "Armenian": "Армян",
    "Interlingua": "Интерлингва",
    "Igbo": "Игбо",
    "Ido": "Идо",
    "Kabyle": "Кабил",
    "Kyrgyz": "Қырғыз",
    "Luxembourgish": "Люксембург",
    "Marathi": "Маратхи",
    "Malay": "Малай",
    "Burmese": "Бирма",
    "Norwegian Bokmål": "Норвегиялық букмол",
    "Nepali": "Непал",
    "Ossetic": "Осетин",
    "Swahili": "Суахили",
    "Tajik": "Тәжік",
    "Turkmen": "Түрікмен",
    "Tatar": "Татар",
    "Udmurt": "Удмурт",
    "Uyghur": "Ұйғыр",
    "Uzbek": "Өзбек",
    # contrib app names
    "Messages": "Хабарламалар",
    "Site Maps": "Сайт картасы",
    "Static Files": "Статикалық файлдар",
    "Syndication": "Жаңалықтар арналары",
    # utils/text.py (Truncator), pagination
    "…": "…",
    ("String to return when truncating text", "%(truncated_text)s…"): "%(truncated_text)s…",
    "That page number is not an integer": "Бет нөмірі бүтін сан емес",
    "That page number is less than 1": "Бет нөмірі 1-ден кіші",
    "That page contains no results": "Бұл бетте нәтиже жоқ",
    # core/validators.py
    "Enter a valid domain name.": "Дұрыс домен атауын енгізіңіз.",
    "Enter a valid integer.": "Дұрыс бүтін сан енгізіңіз.",
    "Enter a valid email address.": "Дұрыс электрондық пошта мекенжайын енгізіңіз.",
    "Enter a valid “slug” consisting of letters, numbers, underscores or hyphens.": "Тек латын әріптерінен, цифрлардан, астын сызу белгілерінен немесе дефистерден тұратын дұрыс «slug» мәнін енгізіңіз.",
    "Enter a valid “slug” consisting of Unicode letters, numbers, underscores, or hyphens.": "Тек Юникод әріптерінен, цифрлардан, астын сызу белгілерінен немесе дефистерден тұратын дұрыс «slug» мәнін енгізіңіз.",
    "Enter a valid %(protocol)s address.": "Дұрыс %(protocol)s мекенжайын енгізіңіз.",
    "IPv4": "IPv4",
    "IPv6": "IPv6",
    "IPv4 or IPv6": "IPv4 немесе IPv6",
    "Ensure this value is a multiple of step size %(limit_value)s.": "Бұл мән %(limit_value)s қадамына еселі болуы тиіс.",
    "Ensure this value is a multiple of step size %(limit_value)s, starting from %(offset)s, e.g. %(offset)s, %(valid_value1)s, %(valid_value2)s, and so on.": "Бұл мән %(offset)s мәнінен бастап %(limit_value)s қадамымен алынуы тиіс, мысалы: %(offset)s, %(valid_value1)s, %(valid_value2)s және т.с.с.",
    "Ensure this value has at least %(limit_value)d character (it has %(show_value)d).": (
        "Бұл мәнде кемінде %(limit_value)d таңба болуы тиіс (қазір %(show_value)d).",
        "Бұл мәнде кемінде %(limit_value)d таңба болуы тиіс (қазір %(show_value)d).",
    ),
    "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).": (
        "Бұл мәнде ең көбі %(limit_value)d таңба болуы тиіс (қазір %(show_value)d).",
        "Бұл мәнде ең көбі %(limit_value)d таңба болуы тиіс (қазір %(show_value)d).",
    ),
    "Ensure that there are no more than %(max)s digit in total.": (
        "Цифрлардың жалпы саны ең көбі %(max)s болуы тиіс.",
        "Цифрлардың жалпы саны ең көбі %(max)s болуы тиіс.",
    ),
    "Ensure that there are no more than %(max)s decimal place.": (
        "Үтірден кейін ең көбі %(max)s цифр болуы тиіс.",
        "Үтірден кейін ең көбі %(max)s цифр болуы тиіс.",
    ),
    "Ensure that there are no more than %(max)s digit before the decimal point.": (
        "Үтірге дейін ең көбі %(max)s цифр болуы тиіс.",
        "Үтірге дейін ең көбі %(max)s цифр болуы тиіс.",
    ),
    "File extension “%(extension)s” is not allowed. Allowed extensions are: %(allowed_extensions)s.": "«%(extension)s» файл кеңейтіміне рұқсат етілмейді. Рұқсат етілген кеңейтімдер: %(allowed_extensions)s.",
    "Null characters are not allowed.": "Нөлдік таңбаларға рұқсат етілмейді.",
    # db/models
    "%(model_name)s with this %(field_labels)s already exists.": "%(field_labels)s мәндері осындай %(model_name)s бұрыннан бар.",
    "Constraint “%(name)s” is violated.": "«%(name)s» шектеуі бұзылды.",
    "Value %(value)r is not a valid choice.": "%(value)r мәні жарамды нұсқалардың қатарында жоқ.",
    "%(field_label)s must be unique for %(date_field_label)s %(lookup_type)s.": "«%(field_label)s» мәні «%(date_field_label)s» өрісінің %(lookup_type)s бөлігі бойынша бірегей болуы тиіс.",
    "“%(value)s” value must be either True or False.": "«%(value)s» мәні True немесе False болуы тиіс.",
    "“%(value)s” value must be either True, False, or None.": "«%(value)s» мәні True, False немесе None болуы тиіс.",
    "String (unlimited)": "Жол (шектеусіз)",
    "“%(value)s” value has an invalid date format. It must be in YYYY-MM-DD format.": "«%(value)s» мәнінің күн пішімі жарамсыз. Ол YYYY-MM-DD пішімінде болуы тиіс.",
    "“%(value)s” value has the correct format (YYYY-MM-DD) but it is an invalid date.": "«%(value)s» мәнінің пішімі дұрыс (YYYY-MM-DD), бірақ мұндай күн жоқ.",
    "“%(value)s” value has an invalid format. It must be in YYYY-MM-DD HH:MM[:ss[.uuuuuu]][TZ] format.": "«%(value)s» мәнінің пішімі жарамсыз. Ол YYYY-MM-DD HH:MM[:ss[.uuuuuu]][TZ] пішімінде болуы тиіс.",
    "“%(value)s” value has the correct format (YYYY-MM-DD HH:MM[:ss[.uuuuuu]][TZ]) but it is an invalid date/time.": "«%(value)s» мәнінің пішімі дұрыс (YYYY-MM-DD HH:MM[:ss[.uuuuuu]][TZ]), бірақ мұндай күн/уақыт жоқ.",
    "“%(value)s” value must be a decimal number.": "«%(value)s» мәні ондық сан болуы тиіс.",
    "“%(value)s” value has an invalid format. It must be in [DD] [[HH:]MM:]ss[.uuuuuu] format.": "«%(value)s» мәнінің пішімі жарамсыз. Ол [DD] [[HH:]MM:]ss[.uuuuuu] пішімінде болуы тиіс.",
    "Duration": "Ұзақтық",
    "“%(value)s” value must be a float.": "«%(value)s» мәні жылжымалы үтірлі сан болуы тиіс.",
    "“%(value)s” value must be an integer.": "«%(value)s» мәні бүтін сан болуы тиіс.",
    "Small integer": "Кіші бүтін сан",
    "IPv4 address": "IPv4 мекенжайы",
    "“%(value)s” value must be either None, True or False.": "«%(value)s» мәні None, True немесе False болуы тиіс.",
    "Positive big integer": "Оң үлкен бүтін сан",
    "Positive integer": "Оң бүтін сан",
    "Positive small integer": "Оң кіші бүтін сан",
    "Slug (up to %(max_length)s)": "Slug (%(max_length)s таңбаға дейін)",
    "“%(value)s” value has an invalid format. It must be in HH:MM[:ss[.uuuuuu]] format.": "«%(value)s» мәнінің пішімі жарамсыз. Ол HH:MM[:ss[.uuuuuu]] пішімінде болуы тиіс.",
    "“%(value)s” value has the correct format (HH:MM[:ss[.uuuuuu]]) but it is an invalid time.": "«%(value)s» мәнінің пішімі дұрыс (HH:MM[:ss[.uuuuuu]]), бірақ мұндай уақыт жоқ.",
    "Raw binary data": "Өңделмеген екілік деректер",
    "“%(value)s” is not a valid UUID.": "«%(value)s» жарамды UUID емес.",
    "Universally unique identifier": "Әмбебап бірегей идентификатор",
    "File": "Файл",
    "Image": "Сурет",
    "A JSON object": "JSON нысаны",
    "Value must be valid JSON.": "Мән жарамды JSON болуы тиіс.",
    "%(model)s instance with %(field)s %(value)r is not a valid choice.": "%(field)s мәні %(value)r болатын %(model)s нысаны жарамды нұсқа емес.",
    "%(from)s-%(to)s relationship": "%(from)s-%(to)s байланысы",
    "%(from)s-%(to)s relationships": "%(from)s-%(to)s байланыстары",
    # forms
    ":?.!": ":?.!",
    "Enter a valid duration.": "Дұрыс ұзақтықты енгізіңіз.",
    "The number of days must be between {min_days} and {max_days}.": "Күндер саны {min_days} және {max_days} аралығында болуы тиіс.",
    "Ensure this filename has at most %(max)d character (it has %(length)d).": (
        "Файл атауында ең көбі %(max)d таңба болуы тиіс (қазір %(length)d).",
        "Файл атауында ең көбі %(max)d таңба болуы тиіс (қазір %(length)d).",
    ),
    "Enter a complete value.": "Мәнді толық енгізіңіз.",
    "Enter a valid UUID.": "Дұрыс UUID енгізіңіз.",
    "Enter a valid JSON.": "Дұрыс JSON енгізіңіз.",
    ":": ":",
    "(Hidden field %(name)s) %(error)s": "(%(name)s жасырын өрісі) %(error)s",
    "ManagementForm data is missing or has been tampered with. Missing fields: %(field_names)s. You may need to file a bug report if the issue persists.": "ManagementForm деректері жоқ немесе бұрмаланған. Жетіспейтін өрістер: %(field_names)s. Мәселе қайталана берсе, қате туралы хабарлау қажет болуы мүмкін.",
    "Please submit at most %(num)d form.": (
        "Ең көбі %(num)d форма жіберіңіз.",
        "Ең көбі %(num)d форма жіберіңіз.",
    ),
    "Please submit at least %(num)d form.": (
        "Кемінде %(num)d форма жіберіңіз.",
        "Кемінде %(num)d форма жіберіңіз.",
    ),
    "The inline value did not match the parent instance.": "Кірістірілген формадағы мән негізгі нысанның мәніне сәйкес келмейді.",
    "“%(pk)s” is not a valid value.": "«%(pk)s» жарамды мән емес.",
    "%(datetime)s couldn’t be interpreted in time zone %(current_timezone)s; it may be ambiguous or it may not exist.": "%(datetime)s уақытын %(current_timezone)s уақыт белдеуінде түсіндіру мүмкін болмады: ол екіұшты болуы немесе мүлде болмауы мүмкін.",
    # utils/ipv6.py
    "This is not a valid IPv6 address.": "Бұл жарамды IPv6 мекенжайы емес.",
    # utils/timesince.py (the |timesince and |timeuntil filters)
    "%(num)d year": ("%(num)d жыл", "%(num)d жыл"),
    "%(num)d month": ("%(num)d ай", "%(num)d ай"),
    "%(num)d week": ("%(num)d апта", "%(num)d апта"),
    "%(num)d day": ("%(num)d күн", "%(num)d күн"),
    "%(num)d hour": ("%(num)d сағат", "%(num)d сағат"),
    "%(num)d minute": ("%(num)d минут", "%(num)d минут"),
    # views/csrf.py (403 page)
    "Forbidden": "Қол жеткізуге тыйым салынған",
    "CSRF verification failed. Request aborted.": "CSRF тексеруі сәтсіз аяқталды. Сұрау тоқтатылды.",
    "You are seeing this message because this HTTPS site requires a “Referer header” to be sent by your web browser, but none was sent. This header is required for security reasons, to ensure that your browser is not being hijacked by third parties.": "Бұл хабарлама көрсетілді, себебі бұл HTTPS сайты браузеріңізден «Referer» тақырыбын жіберуді талап етеді, бірақ ол жіберілмеді. Бұл тақырып браузеріңізді бөгде тұлғалар басып алмағанына көз жеткізу үшін, қауіпсіздік мақсатында қажет.",
    "If you have configured your browser to disable “Referer” headers, please re-enable them, at least for this site, or for HTTPS connections, or for “same-origin” requests.": "Егер браузеріңізде «Referer» тақырыптарын өшіріп қойған болсаңыз, оларды кемінде осы сайт үшін, HTTPS қосылымдары үшін немесе «same-origin» сұраулары үшін қайта қосыңыз.",
    'If you are using the <meta name="referrer" content="no-referrer"> tag or including the “Referrer-Policy: no-referrer” header, please remove them. The CSRF protection requires the “Referer” header to do strict referer checking. If you’re concerned about privacy, use alternatives like <a rel="noreferrer" …> for links to third-party sites.': 'Егер <meta name="referrer" content="no-referrer"> тегін немесе «Referrer-Policy: no-referrer» тақырыбын пайдалансаңыз, оларды алып тастаңыз. CSRF қорғанысы сілтеме жасаған бетті қатаң тексеру үшін «Referer» тақырыбын қажет етеді. Егер құпиялылық сізді алаңдатса, бөгде сайттарға сілтемелер үшін <a rel="noreferrer" …> сияқты баламаларды пайдаланыңыз.',
    "You are seeing this message because this site requires a CSRF cookie when submitting forms. This cookie is required for security reasons, to ensure that your browser is not being hijacked by third parties.": "Бұл хабарлама көрсетілді, себебі бұл сайт формаларды жіберу кезінде CSRF cookie файлын талап етеді. Бұл cookie файлы браузеріңізді бөгде тұлғалар басып алмағанына көз жеткізу үшін, қауіпсіздік мақсатында қажет.",
    "If you have configured your browser to disable cookies, please re-enable them, at least for this site, or for “same-origin” requests.": "Егер браузеріңізде cookie файлдарын өшіріп қойған болсаңыз, оларды кемінде осы сайт үшін немесе «same-origin» сұраулары үшін қайта қосыңыз.",
    "More information is available with DEBUG=True.": "Толығырақ ақпаратты DEBUG=True режимінде көруге болады.",
    # views/generic
    "Date out of range": "Күн рұқсат етілген ауқымнан тыс",
    "Invalid date string “%(datestr)s” given format “%(format)s”": "«%(datestr)s» күн жолы «%(format)s» пішіміне сәйкес келмейді",
    "Page is not “last”, nor can it be converted to an int.": "Бет нөмірі «last» емес және оны бүтін санға түрлендіру мүмкін емес.",
    "Invalid page (%(page_number)s): %(message)s": "Жарамсыз бет (%(page_number)s): %(message)s",
    "Empty list and “%(class_name)s.allow_empty” is False.": "Тізім бос, ал «%(class_name)s.allow_empty» мәні False.",
    # views/static.py
    "Directory indexes are not allowed here.": "Бұл жерде каталог мазмұнын көрсетуге рұқсат етілмейді.",
    "“%(path)s” does not exist": "«%(path)s» табылмады",
    "Index of %(directory)s": "%(directory)s каталогының мазмұны",
    # views/templates/default_urlconf.html (DEBUG only)
    "The install worked successfully! Congratulations!": "Орнату сәтті аяқталды! Құттықтаймыз!",
    'View <a href="https://docs.djangoproject.com/en/%(version)s/releases/" target="_blank" rel="noopener">release notes</a> for Django %(version)s': 'Django %(version)s нұсқасының <a href="https://docs.djangoproject.com/en/%(version)s/releases/" target="_blank" rel="noopener">шығарылым жазбаларын</a> қараңыз',
    'You are seeing this page because <a href="https://docs.djangoproject.com/en/%(version)s/ref/settings/#debug" target="_blank" rel="noopener">DEBUG=True</a> is in your settings file and you have not configured any URLs.': 'Бұл бет көрсетілді, себебі баптаулар файлында <a href="https://docs.djangoproject.com/en/%(version)s/ref/settings/#debug" target="_blank" rel="noopener">DEBUG=True</a> орнатылған және ешбір URL бапталмаған.',
    "Django Documentation": "Django құжаттамасы",
    "Topics, references, &amp; how-to’s": "Тақырыптар, анықтамалар &amp; нұсқаулықтар",
    "Tutorial: A Polling App": "Оқу құралы: сауалнама қолданбасы",
    "Get started with Django": "Django-мен жұмысты бастау",
    "Django Community": "Django қауымдастығы",
    "Connect, get help, or contribute": "Байланысыңыз, көмек алыңыз немесе үлес қосыңыз",
    # --- django/contrib/auth ---
    "%(name)s object with primary key %(key)r does not exist.": "Бастапқы кілті %(key)r болатын %(name)s нысаны жоқ.",
    "Conflicting form data submitted. Please try again.": "Бір-біріне қайшы форма деректері жіберілді. Қайталап көріңіз.",
    "Password-based authentication was disabled.": "Құпиясөз арқылы аутентификация өшірілді.",
    "Set password: %s": "Құпиясөз орнату: %s",
    "Authentication and Authorization": "Аутентификация және авторизация",
    "Invalid password format or unknown hashing algorithm.": "Құпиясөз пішімі жарамсыз немесе хэштеу алгоритмі белгісіз.",
    "No password set.": "Құпиясөз орнатылмаған.",
    "Reset password": "Құпиясөзді қалпына келтіру",
    "Set password": "Құпиясөз орнату",
    "The two password fields didn’t match.": "Екі өрісте енгізілген құпиясөздер сәйкес келмейді.",
    "Enter the same password as before, for verification.": "Растау үшін жоғарыдағы құпиясөзді қайта енгізіңіз.",
    "Whether the user will be able to authenticate using a password or not. If disabled, they may still be able to authenticate using other backends, such as Single Sign-On or LDAP.": "Пайдаланушының құпиясөз арқылы аутентификациядан өте алатын-алмайтынын білдіреді. Өшірулі болса да, пайдаланушы басқа тәсілдермен, мысалы, бірыңғай кіру (Single Sign-On) немесе LDAP арқылы аутентификациядан өте алуы мүмкін.",
    "Password-based authentication": "Құпиясөз арқылы аутентификация",
    "Enabled": "Қосулы",
    "Disabled": "Өшірулі",
    "Raw passwords are not stored, so there is no way to see the user’s password.": "Құпиясөздер ашық түрде сақталмайды, сондықтан пайдаланушының құпиясөзін көру мүмкін емес.",
    "Enable password-based authentication for this user by setting a password.": "Құпиясөз орнатып, осы пайдаланушы үшін құпиясөз арқылы аутентификацияны қосыңыз.",
    "Please enter a correct %(username)s and password. Note that both fields may be case-sensitive.": "Дұрыс %(username)s және құпиясөз енгізіңіз. Екі өрісте де бас және кіші әріптер ажыратылуы мүмкін екенін ескеріңіз.",
    # "Email" and "email address" come from ALLAUTH_KK.
    "algorithm": "алгоритм",
    "iterations": "итерациялар",
    "salt": "тұз (salt)",
    "hash": "хэш",
    "variety": "түрі",
    "version": "нұсқасы",
    "memory cost": "жад шығыны",
    "time cost": "уақыт шығыны",
    "parallelism": "параллелизм",
    "work factor": "жұмыс факторы",
    "checksum": "бақылау сомасы",
    "block size": "блок өлшемі",
    "content type": "мазмұн түрі",
    "The groups this user belongs to. A user will get all permissions granted to each of their groups.": "Пайдаланушы мүшесі болып табылатын топтар. Пайдаланушы өз топтарының әрқайсысына берілген барлық рұқсаттарды алады.",
    "Specific permissions for this user.": "Осы пайдаланушының жеке рұқсаттары.",
    "Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only.": "Міндетті. Ең көбі 150 таңба. Тек әріптер, цифрлар және @/./+/-/_ таңбалары.",
    "This password is too short. It must contain at least %d character.": (
        "Бұл құпиясөз тым қысқа. Ол кемінде %d таңбадан тұруы тиіс.",
        "Бұл құпиясөз тым қысқа. Ол кемінде %d таңбадан тұруы тиіс.",
    ),
    "Your password must contain at least %(min_length)d character.": (
        "Құпиясөзіңіз кемінде %(min_length)d таңбадан тұруы тиіс.",
        "Құпиясөзіңіз кемінде %(min_length)d таңбадан тұруы тиіс.",
    ),
    "The password is too similar to the %(verbose_name)s.": "Құпиясөз «%(verbose_name)s» өрісінің мәніне тым ұқсас.",
    "Your password can’t be too similar to your other personal information.": "Құпиясөзіңіз басқа жеке деректеріңізге тым ұқсас болмауы тиіс.",
    "This password is too common.": "Бұл құпиясөз тым кең таралған.",
    "Your password can’t be a commonly used password.": "Құпиясөзіңіз жиі қолданылатын құпиясөз болмауы тиіс.",
    "This password is entirely numeric.": "Бұл құпиясөз тек цифрлардан тұрады.",
    "Your password can’t be entirely numeric.": "Құпиясөзіңіз тек цифрлардан тұрмауы тиіс.",
    "Enter a valid username. This value may contain only unaccented lowercase a-z and uppercase A-Z letters, numbers, and @/./+/-/_ characters.": "Дұрыс пайдаланушы атын енгізіңіз. Онда тек диакритикалық белгісіз a-z кіші және A-Z бас латын әріптері, цифрлар және @/./+/-/_ таңбалары болуы мүмкін.",
    "Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.": "Дұрыс пайдаланушы атын енгізіңіз. Онда тек әріптер, цифрлар және @/./+/-/_ таңбалары болуы мүмкін.",
    "Password reset": "Құпиясөзді қалпына келтіру",
    "Password reset sent": "Құпиясөзді қалпына келтіру нұсқаулығы жіберілді",
    "Enter new password": "Жаңа құпиясөзді енгізіңіз",
    "Password reset unsuccessful": "Құпиясөзді қалпына келтіру сәтсіз аяқталды",
    "Password reset complete": "Құпиясөзді қалпына келтіру аяқталды",
    "Password change": "Құпиясөзді өзгерту",
    "Password change successful": "Құпиясөз сәтті өзгертілді",
    # --- django/contrib/humanize ---
    "Humanize": "Адамға түсінікті пішім",
    # ordinal: the Kazakh suffix follows the vowel harmony of the number's last
    # word (бірінші, алтыншы, тоғызыншы, оныншы, он бірінші ...).
    ("ordinal 11, 12, 13", "{}th"): "{}-ші",
    ("ordinal 0", "{}th"): "{}-шы",
    ("ordinal 1", "{}st"): "{}-ші",
    ("ordinal 2", "{}nd"): "{}-ші",
    ("ordinal 3", "{}rd"): "{}-ші",
    ("ordinal 4", "{}th"): "{}-ші",
    ("ordinal 5", "{}th"): "{}-ші",
    ("ordinal 6", "{}th"): "{}-шы",
    ("ordinal 7", "{}th"): "{}-ші",
    ("ordinal 8", "{}th"): "{}-ші",
    ("ordinal 9", "{}th"): "{}-шы",
    # intword
    "%(value)s sextillion": ("%(value)s секстиллион", "%(value)s секстиллион"),
    "%(value)s septillion": ("%(value)s септиллион", "%(value)s септиллион"),
    "%(value)s octillion": ("%(value)s октиллион", "%(value)s октиллион"),
    "%(value)s nonillion": ("%(value)s нониллион", "%(value)s нониллион"),
    "%(value)s decillion": ("%(value)s дециллион", "%(value)s дециллион"),
    "%(value)s googol": ("%(value)s гугол", "%(value)s гугол"),
    # naturaltime: the postposition follows ("5 минут бұрын", "5 минуттан кейін").
    "%(delta)s ago": "%(delta)s бұрын",
    "an hour ago": ("бір сағат бұрын", f"%(count)s{NBSP}сағат бұрын"),
    "a minute ago": ("бір минут бұрын", f"%(count)s{NBSP}минут бұрын"),
    "a second ago": ("бір секунд бұрын", f"%(count)s{NBSP}секунд бұрын"),
    "a second from now": ("бір секундтан кейін", f"%(count)s{NBSP}секундтан кейін"),
    "a minute from now": ("бір минуттан кейін", f"%(count)s{NBSP}минуттан кейін"),
    "an hour from now": ("бір сағаттан кейін", f"%(count)s{NBSP}сағаттан кейін"),
    # %(delta)s is one or two units of the naturaltime-future list below
    # ("2 күн, 3 сағат"); they stay in the nominative, so that a two-unit delta
    # does not get the ablative twice.
    "%(delta)s from now": "%(delta)s кейін",
    ("naturaltime-past", "%(num)d year"): ("%(num)d жыл", "%(num)d жыл"),
    ("naturaltime-past", "%(num)d month"): ("%(num)d ай", "%(num)d ай"),
    ("naturaltime-past", "%(num)d week"): ("%(num)d апта", "%(num)d апта"),
    ("naturaltime-past", "%(num)d day"): ("%(num)d күн", "%(num)d күн"),
    ("naturaltime-past", "%(num)d hour"): ("%(num)d сағат", "%(num)d сағат"),
    ("naturaltime-past", "%(num)d minute"): ("%(num)d минут", "%(num)d минут"),
    ("naturaltime-future", "%(num)d year"): ("%(num)d жыл", "%(num)d жыл"),
    ("naturaltime-future", "%(num)d month"): ("%(num)d ай", "%(num)d ай"),
    ("naturaltime-future", "%(num)d week"): ("%(num)d апта", "%(num)d апта"),
    ("naturaltime-future", "%(num)d day"): ("%(num)d күн", "%(num)d күн"),
    ("naturaltime-future", "%(num)d hour"): ("%(num)d сағат", "%(num)d сағат"),
    ("naturaltime-future", "%(num)d minute"): ("%(num)d минут", "%(num)d минут"),
}

# Corrections: msgids that Django's kk catalogue does translate, but wrongly
# (English left in, a misspelling, or a different meaning).  Our catalogue is
# in LOCALE_PATHS, so these replace Django's text.  Key -> (Django's current
# kk text, ours); when Django's text changes the script says so, so that the
# correction can be reviewed or dropped.
DJANGO_KK_CORRECTIONS: dict[
    str | tuple[str, str], tuple[str | tuple[str, str], str | tuple[str, str]]
] = {
    # humanize
    "now": ("кәзір", "қазір"),  # colloquial spelling
    "tomorrow": ("ерте", "ертең"),  # "ерте" means "early"
    "%(value)s trillion": (
        ("%(value)s trillion", "%(value)s trillion"),  # English left in
        ("%(value)s триллион", "%(value)s триллион"),
    ),
    # core
    "Friday": ("Жума", "Жұма"),
    "Enter a valid value.": ("Тура мәнін енгізіңіз.", "Дұрыс мән енгізіңіз."),
    "Enter a valid URL.": ("Тура URL-ді енгізіңіз.", "Дұрыс URL мекенжайын енгізіңіз."),
    "Enter only digits separated by commas.": (
        "Тек үтірлермен бөлінген цифрлерді енгізіңіз.",
        "Тек үтірмен бөлінген цифрларды енгізіңіз.",
    ),
    "This field cannot be null.": (
        "Бұл жолақ null болмау керек.",
        "Бұл өрістің мәні null болмауы тиіс.",
    ),
    "This field cannot be blank.": ("Бұл жолақ бос болмау керек.", "Бұл өріс бос болмауы тиіс."),
    "Ensure this value is less than or equal to %(limit_value)s.": (
        "Бұл мәннің мынадан %(limit_value)s кіші немесе тең екендігін тексеріңіз.",
        "Бұл мән ең көбі %(limit_value)s болуы тиіс.",
    ),
    "Ensure this value is greater than or equal to %(limit_value)s.": (
        "Бұл мәннің мынадан %(limit_value)s үлкен немесе тең екендігін тексеріңіз.",
        "Бұл мән кемінде %(limit_value)s болуы тиіс.",
    ),
    "Please either submit a file or check the clear checkbox, not both.": (
        "Файлды жіберіңіз немесе тазалауды белгіленіз, екеуін бірге емес.",
        "Файлды жіберіңіз немесе тазалау белгісін қойыңыз, екеуін бірдей емес.",
    ),
    "Upload a valid image. The file you uploaded was either not an image or a corrupted image.": (
        "Дұрыс сүретті жүктеңіз. Сіз жүктеген файл - сүрет емес немесе бұзылған сүрет.",
        "Дұрыс суретті жүктеңіз. Сіз жүктеген файл сурет емес немесе бүлінген.",
    ),
    "Select a valid choice. %(value)s is not one of the available choices.": (
        "Дұрыс тандау жасаңыз. %(value)s дұрыс тандау емес.",
        "Дұрыс нұсқаны таңдаңыз. %(value)s жарамды нұсқалардың қатарында жоқ.",
    ),
}


# ---------------------------------------------------------------------------
# Minimal PO reader/writer (no third-party dependency).
# ---------------------------------------------------------------------------
class Entry:
    def __init__(self):
        self.msgctxt: str | None = None
        self.msgid = ""
        self.msgid_plural: str | None = None
        self.msgstr = ""
        self.msgstr_plural: dict[int, str] = {}
        self.refs: list[str] = []
        self.flags: list[str] = []
        self.obsolete = False

    @property
    def key(self):
        return (self.msgctxt, self.msgid)


_UNESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def _unquote(s: str) -> str:
    s = s.strip()
    if len(s) < 2 or s[0] != '"' or s[-1] != '"':
        raise ValueError(f"not a PO string: {s!r}")
    return re.sub(r"\\(.)", lambda m: _UNESCAPES.get(m.group(1), m.group(1)), s[1:-1])


def read_po(path: Path) -> list[Entry]:
    entries: list[Entry] = []
    cur = Entry()
    field = None
    started = False

    def flush():
        nonlocal cur, started, field
        if started:
            entries.append(cur)
        cur, started, field = Entry(), False, None

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].lstrip()
        if not line.strip():
            flush()
            continue
        if line.startswith("#"):
            if started and field is not None and not obsolete:
                flush()
            if line.startswith("#:"):
                cur.refs += [
                    r.rsplit(":", 1)[0] if r[-1].isdigit() else r for r in line[2:].split()
                ]
            elif line.startswith("#,"):
                cur.flags += [f.strip() for f in line[2:].split(",") if f.strip()]
            continue
        m = re.match(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(.*)", line)
        if m:
            kw, idx, rest = m.group(1), m.group(2), m.group(3)
            if kw in ("msgctxt", "msgid") and field is not None and field.startswith("msgstr"):
                flush()
            started = True
            cur.obsolete = cur.obsolete or obsolete
            field = kw if idx is None else f"msgstr[{idx}]"
            value = _unquote(rest)
        else:
            value = _unquote(line)
        if field == "msgctxt":
            cur.msgctxt = (cur.msgctxt or "") + value
        elif field == "msgid":
            cur.msgid += value
        elif field == "msgid_plural":
            cur.msgid_plural = (cur.msgid_plural or "") + value
        elif field == "msgstr":
            cur.msgstr += value
        elif field and field.startswith("msgstr["):
            i = int(field[7:-1])
            cur.msgstr_plural[i] = cur.msgstr_plural.get(i, "") + value
    flush()
    return entries


def _quote(s: str) -> str:
    return (
        '"'
        + s.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\t", "\\t")
        .replace("\r", "\\r")
        .replace("\n", "\\n")
        + '"'
    )


def _po_string(keyword: str, s: str) -> str:
    parts = s.splitlines(keepends=True)
    if len(parts) <= 1:
        return f"{keyword} {_quote(s)}\n"
    return f'{keyword} ""\n' + "".join(_quote(p) + "\n" for p in parts)


# ---------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------
_PLACEHOLDER = re.compile(r"%\([^)]+\)[sdrfi]|%[sdrfi]|\{[^{}]*\}|</?[a-zA-Z][^>]*>")


def placeholder_problems(msgid: str, msgstr: str) -> list[str]:
    problems = []
    if Counter(_PLACEHOLDER.findall(msgid)) != Counter(_PLACEHOLDER.findall(msgstr)):
        problems.append(
            f"placeholders differ: {sorted(_PLACEHOLDER.findall(msgid))} vs {sorted(_PLACEHOLDER.findall(msgstr))}"
        )
    for edge in (str.startswith, str.endswith):
        if edge(msgid, "\n") != edge(msgstr, "\n"):
            problems.append("leading/trailing newline differs")
    return problems


# ---------------------------------------------------------------------------
# Sources
# ---------------------------------------------------------------------------
def find_site_packages(explicit: str | None) -> Path:
    if explicit:
        return Path(explicit)
    packages = ("allauth", "django_countries", "django")
    spec = importlib.util.find_spec("allauth")
    if spec and spec.origin:
        cand = Path(spec.origin).parent.parent
        if all((cand / p).is_dir() for p in packages):
            return cand
    for cand in sorted(BASE_DIR.glob(".venv/lib/python*/site-packages")):
        if all((cand / p).is_dir() for p in packages):
            return cand
    sys.exit("cannot find allauth, django_countries and django; pass --site-packages")


def dist_version(site: Path, name: str) -> str:
    for dist in metadata.distributions(path=[str(site)]):
        if dist.metadata["Name"].lower().replace("_", "-") == name:
            return dist.version
    return "unknown"


_GETTEXT_FUNCS = {"_", "gettext", "gettext_lazy", "gettext_noop"}
_PGETTEXT_FUNCS = {"pgettext", "pgettext_lazy"}


def country_msgids(site: Path) -> list[tuple[str, str | None, str, str]]:
    """(code, msgctxt, msgid, source file) for every translatable country name."""
    out = []
    seen = set()
    for fname in ("data.py", "base.py"):
        tree = ast.parse((site / "django_countries" / fname).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Dict):
                continue
            for k, v in zip(node.keys, node.values, strict=True):
                if not (
                    isinstance(k, ast.Constant) and isinstance(k.value, str) and len(k.value) == 2
                ):
                    continue
                for call in ast.walk(v):
                    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)):
                        continue
                    args = [a.value for a in call.args if isinstance(a, ast.Constant)]
                    if call.func.id in _GETTEXT_FUNCS and len(args) == 1:
                        ctxt, msgid = None, args[0]
                    elif call.func.id in _PGETTEXT_FUNCS and len(args) == 2:
                        ctxt, msgid = args
                    else:
                        continue
                    if (ctxt, msgid) not in seen:
                        seen.add((ctxt, msgid))
                        out.append((k.value, ctxt, msgid, f"django_countries/{fname}"))
    return out


def kazakh_territories() -> dict[str, str] | None:
    try:
        from babel import Locale
    except ImportError:
        return None
    return dict(Locale("kk").territories)


def in_scope(refs: list[str]) -> bool:
    return not refs or any(not r.startswith(OUT_OF_SCOPE_PREFIXES) for r in refs)


def lookup_key(e: Entry) -> str | tuple[str, str]:
    """The key of an entry in ALLAUTH_KK / DJANGO_KK: msgid, or (msgctxt, msgid)."""
    return e.msgid if e.msgctxt is None else (e.msgctxt, e.msgid)


def render_entry(e: Entry, kk, comments: str, problems: list) -> str | None:
    """The PO block for source entry ``e`` translated as ``kk``.

    ``kk`` is a string, or a (form0, form1) tuple for a plural msgid (a string
    is then used for both forms).  Placeholder or plural-shape mismatches are
    appended to ``problems``; the block is returned anyway unless the shape is
    wrong, and main() refuses to write when there are problems.
    """
    lookup = lookup_key(e)
    if e.msgid_plural:
        forms = kk if isinstance(kk, tuple) else (kk, kk)
        if len(forms) != 2 or not all(forms):
            problems.append((lookup, f"need 2 non-empty plural forms, got {forms!r}"))
            return None
        for f, src in zip(forms, (e.msgid, e.msgid_plural), strict=True):
            problems += [(lookup, p) for p in placeholder_problems(src, f)]
    else:
        if isinstance(kk, tuple):
            problems.append((lookup, "plural translation for a singular msgid"))
            return None
        if not kk:
            problems.append((lookup, "empty translation"))
            return None
        problems += [(lookup, p) for p in placeholder_problems(e.msgid, kk)]
    text = comments
    flags = [f for f in dict.fromkeys(e.flags) if f != "fuzzy"]
    if flags:
        text += "#, " + ", ".join(flags) + "\n"
    if e.msgctxt is not None:
        text += _po_string("msgctxt", e.msgctxt)
    text += _po_string("msgid", e.msgid)
    if e.msgid_plural:
        text += _po_string("msgid_plural", e.msgid_plural)
        for i, f in enumerate(forms):
            text += _po_string(f"msgstr[{i}]", f)
    else:
        text += _po_string("msgstr", kk)
    return text


def _translated(e: Entry | None):
    """The translation of a catalogue entry (str or tuple of plural forms), or None
    when it is missing, empty, incomplete or fuzzy."""
    if e is None or e.obsolete or "fuzzy" in e.flags:
        return None
    if e.msgid_plural:
        forms = tuple(
            e.msgstr_plural.get(i, "") for i in range(max(e.msgstr_plural, default=-1) + 1)
        )
        return forms if forms and all(forms) else None
    return e.msgstr or None


def _as_forms(value) -> tuple:
    return value if isinstance(value, tuple) else (value,)


def django_entries(site: Path, blocks: list[str], keys_done: dict, stats: dict) -> list[dict]:
    """Append Django's missing kk strings (and the corrections) to ``blocks``.

    For each area of DJANGO_AREAS the msgids (with contexts and plurals) are
    those of Django's ru catalogue; an msgid is "missing" when Django's kk
    catalogue lacks it, leaves it empty or marks it fuzzy.  Returns one dict
    of counts per area.
    """
    django_dir = site / "django"
    used: set = set()
    report = []
    for label, area in DJANGO_AREAS:
        ru_po = django_dir / area / "ru" / "LC_MESSAGES" / "django.po"
        kk_po = django_dir / area / "kk" / "LC_MESSAGES" / "django.po"
        source = [e for e in read_po(ru_po) if e.msgid and not e.obsolete]
        theirs = (
            {e.key: e for e in read_po(kk_po) if e.msgid and not e.obsolete}
            if kk_po.exists()
            else {}
        )
        counts = dict(
            area=label, source=len(source), django_kk=0, missing=0, translated=0,
            elsewhere=0, untranslated=0, corrected=0,
        )  # fmt: skip
        for e in source:
            lookup = lookup_key(e)
            current = _translated(theirs.get(e.key))
            comments = f"#. {label}: django/{area}\n"
            if current is not None:
                counts["django_kk"] += 1
                if lookup in DJANGO_KK_CORRECTIONS:
                    used.add(lookup)
                    expected, kk = DJANGO_KK_CORRECTIONS[lookup]
                    if _as_forms(current) != _as_forms(expected):
                        stats["notes"].append(
                            f"{label}: Django's kk for {lookup!r} is now {current!r}; review DJANGO_KK_CORRECTIONS"
                        )
                    if _as_forms(current) == _as_forms(kk):
                        continue  # Django has caught up: nothing to correct
                    if e.key in keys_done:
                        counts["elsewhere"] += 1
                        continue
                    old = " | ".join(_as_forms(current))
                    comments += "#. Corrects Django's kk: " + old.replace("\n", " ") + "\n"
                    text = render_entry(e, kk, comments, stats["problems"])
                    if text is not None:
                        blocks.append(text)
                        keys_done[e.key] = label
                        counts["corrected"] += 1
                elif lookup in DJANGO_KK:
                    used.add(lookup)
                    stats["notes"].append(
                        f"{label}: Django's kk now translates {lookup!r}; its DJANGO_KK entry is not used"
                    )
                continue
            counts["missing"] += 1
            if e.key in keys_done:
                # Same msgid already emitted (by allauth, or by another Django
                # area): Django merges catalogues by msgid, so it covers this one.
                counts["elsewhere"] += 1
                used.add(lookup)
                continue
            if lookup in DJANGO_KK:
                kk = DJANGO_KK[lookup]
            elif lookup in DJANGO_KK_CORRECTIONS:
                kk = DJANGO_KK_CORRECTIONS[lookup][1]
            else:
                counts["untranslated"] += 1
                stats["missing"].append((lookup, label))
                continue
            used.add(lookup)
            text = render_entry(e, kk, comments, stats["problems"])
            if text is None:
                continue
            blocks.append(text)
            keys_done[e.key] = label
            counts["translated"] += 1
        report.append(counts)
    stats["unused"] += [
        ("Django", k) for k in (*DJANGO_KK, *DJANGO_KK_CORRECTIONS) if k not in used
    ]
    return report


# ---------------------------------------------------------------------------
def build(site: Path) -> tuple[str, dict]:
    stats: dict = {"problems": [], "missing": [], "unused": [], "notes": []}
    allauth_po = site / "allauth" / "locale" / "ru" / "LC_MESSAGES" / "django.po"
    source = [e for e in read_po(allauth_po) if e.msgid and not e.obsolete]

    blocks: list[str] = []
    keys_done: dict = {}  # (msgctxt, msgid) -> the source that emitted it
    used: set = set()
    n_allauth = n_scope = 0
    for e in source:
        lookup = lookup_key(e)
        kk = ALLAUTH_KK.get(lookup)
        if kk is None:
            stats["missing"].append((lookup, "in scope" if in_scope(e.refs) else "out of scope"))
            continue
        used.add(lookup)
        comments = "".join(f"#: allauth/{r}\n" for r in dict.fromkeys(e.refs))
        text = render_entry(e, kk, comments, stats["problems"])
        if text is None:
            continue
        blocks.append(text)
        keys_done[e.key] = "allauth"
        n_allauth += 1
        n_scope += in_scope(e.refs)
    stats["unused"] = [("allauth", k) for k in ALLAUTH_KK if k not in used]

    # django-countries
    territories = kazakh_territories()
    stats["country_source"] = (
        "babel (CLDR)" if territories else "existing .po (babel not installed)"
    )
    previous = {}
    if territories is None:
        if not OUT_PO.exists():
            sys.exit(
                "babel is not installed and there is no existing .po to take country names from"
            )
        previous = {e.key: e.msgstr for e in read_po(OUT_PO) if e.msgid and e.msgstr}
    n_countries = 0
    for code, ctxt, msgid, fname in country_msgids(site):
        if (ctxt, msgid) in keys_done:
            stats["problems"].append(
                (msgid, f"country msgid already used by {keys_done[ctxt, msgid]}")
            )
            continue
        if msgid in MSGID_OVERRIDES:
            kk = MSGID_OVERRIDES[msgid]
        elif code in CODE_OVERRIDES:
            kk = CODE_OVERRIDES[code]
        elif territories is not None:
            kk = territories.get(code, "")
        else:
            kk = previous.get((ctxt, msgid), "")
        if not kk:
            stats["missing"].append((msgid, f"country {code}"))
            continue
        text = f"#. ISO 3166-1 alpha-2: {code}\n#: {fname}\n"
        if ctxt is not None:
            text += _po_string("msgctxt", ctxt)
        text += _po_string("msgid", msgid) + _po_string("msgstr", kk)
        blocks.append(text)
        keys_done[ctxt, msgid] = "django-countries"
        n_countries += 1

    # Django: what its own kk catalogues lack, plus the corrections.
    stats["django"] = django_entries(site, blocks, keys_done, stats)

    aa_ver = dist_version(site, "django-allauth")
    dc_ver = dist_version(site, "django-countries")
    dj_ver = dist_version(site, "django")
    header = (
        "# Kazakh translations for django-allauth and django-countries, and for the\n"
        "# strings that Django's own kk catalogues lack (core, auth, humanize).\n"
        "# GENERATED by locale/thirdparty/generate.py -- edit that script, not this file.\n"
        f"# Sources: django-allauth {aa_ver} (msgids of its ru catalogue),\n"
        f"# django-countries {dc_ver} (names: Unicode CLDR via Babel, by ISO code),\n"
        f"# Django {dj_ver} (msgids of its ru catalogues missing from its kk ones).\n"
        "#\n"
        'msgid ""\n'
        'msgstr ""\n'
        f'"Project-Id-Version: thirdparty-kk (django-allauth {aa_ver}, django-countries {dc_ver}, Django {dj_ver})\\n"\n'
        '"Report-Msgid-Bugs-To: \\n"\n'
        f'"PO-Revision-Date: {REVISION_DATE}\\n"\n'
        '"Last-Translator: project maintainers\\n"\n'
        '"Language-Team: Kazakh\\n"\n'
        '"Language: kk\\n"\n'
        '"MIME-Version: 1.0\\n"\n'
        '"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Content-Transfer-Encoding: 8bit\\n"\n'
        f'"Plural-Forms: {PLURAL_FORMS}\\n"\n'
    )
    stats.update(
        allauth=n_allauth,
        allauth_in_scope=n_scope,
        allauth_source=len(source),
        countries=n_countries,
    )
    return header + "\n" + "\n".join(blocks), stats


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--site-packages", help="site-packages holding allauth, django_countries and django"
    )
    ap.add_argument(
        "--check", action="store_true", help="do not write; exit 1 if the committed .po differs"
    )
    ap.add_argument("--no-compile", action="store_true", help="do not run msgfmt")
    args = ap.parse_args()

    site = find_site_packages(args.site_packages)
    text, st = build(site)
    print(f"site-packages: {site}")
    print(
        f"allauth: {st['allauth']}/{st['allauth_source']} msgids translated "
        f"({st['allauth_in_scope']} in the project's scope)"
    )
    print(f"django-countries: {st['countries']} names translated, from {st['country_source']}")
    for c in st["django"]:
        print(
            f"{c['area']}: {c['source']} msgids (ru); Django's kk has {c['django_kk']}, "
            f"lacks {c['missing']}: {c['translated']} translated here, {c['elsewhere']} by an "
            f"entry of the same msgid above, {c['untranslated']} untranslated; "
            f"{c['corrected']} of Django's kk texts corrected"
        )
    for key, why in st["missing"]:
        print(f"UNTRANSLATED ({why}): {key!r}")
    for source, key in st["unused"]:
        print(f"note: translation no longer used by {source}: {key!r}")
    for note in st["notes"]:
        print(f"note: {note}")
    for key, why in st["problems"]:
        print(f"ERROR {key!r}: {why}")
    if st["problems"]:
        return 1

    if args.check:
        current = OUT_PO.read_text(encoding="utf-8") if OUT_PO.exists() else ""
        if current != text:
            print(
                f"{OUT_PO.relative_to(BASE_DIR)} is out of date; rerun locale/thirdparty/generate.py"
            )
            return 1
        print("up to date")
        return 0

    OUT_DIR.mkdir(parents=True, exist_ok=True)
    OUT_PO.write_text(text, encoding="utf-8")
    print(f"wrote {OUT_PO.relative_to(BASE_DIR)}")
    if not args.no_compile:
        msgfmt = shutil.which("msgfmt")
        if not msgfmt:
            print("msgfmt not found (apt-get install gettext); .mo not rebuilt")
            return 1
        subprocess.run([msgfmt, "--check", "-o", str(OUT_MO), str(OUT_PO)], check=True)  # noqa: S603
        print(f"wrote {OUT_MO.relative_to(BASE_DIR)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
