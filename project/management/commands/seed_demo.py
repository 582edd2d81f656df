"""Demo content in three languages: people, memberships, threads, chat, library, events and
private questions to experts.

Idempotent (what exists is left alone) and refused when DEBUG is off, so it never writes demo
accounts with a known password into a production database.
"""

from __future__ import annotations

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import ExpertiseArea
from core import services as cop_services
from core.models import Community
from events import services as event_services
from events.models import Event
from forums import services as forum_services
from forums.models import ChatRoom, Question, Tag, Thread
from resources import services as library_services
from resources.models import Collection, Resource

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 - demo only; the command refuses DEBUG=False

PEOPLE = [
    # username, display name, country, organisation, position, languages, expertise, moderates
    (
        "aigerim",
        "Айгерім Нұрланқызы",
        "KZ",
        "Agency for Civil Service Affairs",
        "Chief expert, public services",
        ["kk", "ru", "en"],
        ["one-stop-shop", "citizen-engagement"],
        "one-stop-shop",
    ),
    (
        "timur",
        "Тимур Алиев",
        "UZ",
        "Ministry of Digital Technologies",
        "Head of e-services unit",
        ["uz", "ru", "en"],
        ["digital-services", "interoperability"],
        "e-government",
    ),
    (
        "nino",
        "Nino Beridze",
        "GE",
        "Public Service Development Agency",
        "Innovation lab lead",
        ["ka", "en", "ru"],
        ["public-sector-innovation", "civil-service-reform"],
        "innovation",
    ),
    (
        "jiwoo",
        "Ji-woo Park",
        "KR",
        "Ministry of the Interior and Safety",
        "AI policy adviser",
        ["ko", "en"],
        ["artificial-intelligence", "data-governance"],
        "ai",
    ),
    (
        "arman",
        "Арман Садықов",
        "KZ",
        "Government for Citizens State Corporation",
        "Service centre manager",
        ["kk", "ru"],
        ["one-stop-shop", "performance-management"],
        "",
    ),
    (
        "leyla",
        "Leyla Mammadova",
        "AZ",
        "State Agency for Public Service and Social Innovations",
        "Quality manager",
        ["az", "ru", "en"],
        ["one-stop-shop", "capacity-building"],
        "",
    ),
    (
        "asel",
        "Асель Токтогулова",
        "KG",
        "State Personnel Service",
        "HR policy specialist",
        ["ky", "ru"],
        ["hr-management", "civil-service-reform"],
        "",
    ),
    (
        "olga",
        "Ольга Руссу",
        "MD",
        "Public Services Agency",
        "Digital transformation officer",
        ["ru", "en"],
        ["digital-identity", "open-data"],
        "",
    ),
    (
        "davron",
        "Даврон Назаров",
        "TJ",
        "Civil Service Agency",
        "Training coordinator",
        ["tg", "ru"],
        ["capacity-building", "hr-management"],
        "",
    ),
    (
        "batbayar",
        "Batbayar Dorj",
        "MN",
        "Cabinet Secretariat",
        "Data analyst",
        ["mn", "en", "ru"],
        ["open-data", "artificial-intelligence"],
        "",
    ),
]
MEMBERSHIPS = {
    "arman": ["one-stop-shop", "e-government"],
    "leyla": ["one-stop-shop", "innovation"],
    "asel": ["innovation", "e-government"],
    "olga": ["e-government", "ai"],
    "davron": ["innovation", "one-stop-shop"],
    "batbayar": ["ai", "e-government"],
    "aigerim": ["e-government"],
    "jiwoo": ["e-government"],
}
TAGS = {
    "one-stop-shop": ["service-centres", "standards", "feedback"],
    "e-government": ["digital-id", "interoperability", "open-data"],
    "innovation": ["innovation-labs", "hr", "reform"],
    "ai": ["generative-ai", "ethics", "data"],
}
THREADS = [
    {
        "community": "one-stop-shop",
        "author": "aigerim",
        "language": "kk",
        "title": "Халыққа қызмет көрсету орталықтарындағы кезекті қалай қысқартуға болады?",
        "body": "Әріптестер, сәлеметсіздер ме!\n\nБіздің орталықтарда мемлекеттік қызметтерді алу үшін кезек әлі де ұзақ. Электрондық кезек пен алдын ала жазылу жүйесін енгізген елдердің тәжірибесі қызық. Қандай шешімдер нәтиже берді?",
        "tags": ["service-centres"],
        "replies": [
            (
                "arman",
                "Бізде алдын ала онлайн жазылу енгізілгеннен кейін күту уақыты екі есе қысқарды. Ең бастысы — қызметкерлердің жүктемесін күн сайын талдау.",
            ),
            (
                "leyla",
                "In our ASAN service centres a single queue for all agencies and a mobile team for rural areas helped most. @aigerim happy to share our service standard.",
            ),
        ],
    },
    {
        "community": "e-government",
        "author": "timur",
        "language": "ru",
        "title": "Интероперабельность государственных информационных систем: с чего начать?",
        "body": "Коллеги, мы готовим дорожную карту по интеграции ведомственных систем. Какие стандарты обмена данными вы используете и как решаете вопрос с согласием граждан на передачу данных?",
        "tags": ["interoperability"],
        "replies": [
            (
                "olga",
                "Мы начинали с единого реестра сервисов и шины обмена данными. Главное — закрепить принцип «однажды предоставленных данных» в законе.",
            ),
            (
                "batbayar",
                "We publish the list of data exchanges as open data; it built trust. @timur I can send our legal template.",
            ),
        ],
    },
    {
        "community": "innovation",
        "author": "nino",
        "language": "en",
        "title": "Running a public-sector innovation lab on a small budget",
        "body": "Our lab started with two people and a borrowed room. We test new service ideas with citizens before any procurement.\n\nWhat worked for you: challenge prizes, hackathons, secondments from ministries?",
        "tags": ["innovation-labs"],
        "replies": [
            (
                "asel",
                "Секонды из министерств работают отлично: люди возвращаются с новыми навыками и становятся нашими союзниками.",
            ),
            (
                "davron",
                "We ran an ideas competition for civil servants; two solutions are now national pilots.",
            ),
        ],
    },
    {
        "community": "ai",
        "author": "jiwoo",
        "language": "en",
        "title": "Guidelines for civil servants using generative AI",
        "body": "Several governments have published rules for using chatbots in daily work: what data may be entered, how outputs are checked, who is accountable.\n\nLet us collect them here and compare.",
        "tags": ["generative-ai", "ethics"],
        "replies": [
            (
                "olga",
                "Наше правило: никаких персональных данных в публичных сервисах ИИ, и каждый текст проверяет человек.",
            ),
            (
                "batbayar",
                "Жасанды интеллект туралы ұсынымдарды қазақ тілінде де жариялау маңызды деп ойлаймын.",
            ),
        ],
    },
]
CHAT = {
    "one-stop-shop": [
        ("aigerim", "Қайырлы таң, әріптестер! Бүгін қызмет стандарттарын талқылаймыз."),
        ("leyla", "Good morning! Shall we start with the feedback surveys?"),
    ],
    "e-government": [
        ("timur", "Коллеги, кто уже подключился к новой шине обмена данными?"),
        ("olga", "Мы — на прошлой неделе, всё работает."),
    ],
    "innovation": [("nino", "Welcome to the innovation chat. Share your lab's latest experiment!")],
    "ai": [
        ("jiwoo", "Hello all — new AI guidelines thread is up in the forum."),
        ("batbayar", "Рахмет, оқимын!"),
    ],
}
EVENTS = [
    {
        "key": "webinar",
        "community": "e-government",
        "organiser": "timur",
        "title": "Цифрлық мемлекеттік қызметтер: деректер тізілімдерінің өзара әрекеттестігі",
        "kind": "webinar",
        "in_days": 3,
        "at_hour": 4,
        "hours": 1.5,
        "time_zone": "Asia/Almaty",
        "language": "kk",
        "languages": ["kk", "ru"],
        "interpretation": ["en"],
        "join_url": "https://meet.example.org/egov-registries",
        "capacity": 100,
        "speakers": ["@timur", "@aigerim"],
        "body": "Мемлекеттік басқару саласында жаңа цифрлық мүмкіндіктерді дамыту мен енгізу: "
        "тізілімдер арасындағы деректер алмасу, **бір терезе** қағидаты және азаматтарға "
        "қызмет көрсету сапасы.",
    },
    {
        "key": "peer",
        "community": "one-stop-shop",
        "organiser": "aigerim",
        "title": "Взаимное обучение: ЦОНы и мобильные центры обслуживания",
        "kind": "peer-learning",
        "in_days": 9,
        "at_hour": 5,
        "hours": 2,
        "time_zone": "Asia/Tashkent",
        "language": "ru",
        "languages": ["ru"],
        "join_url": "https://meet.example.org/osc-peer",
        "capacity": 25,
        "speakers": ["@aigerim", "Гульнара Сейткали"],
        "body": "Обмен опытом: как центры обслуживания населения выезжают в отдалённые сёла, и "
        "что из этого можно перенять.",
    },
    {
        "key": "conference",
        "community": "",
        "organiser": "admin",
        "title": "Annual conference of the Astana Civil Service Hub",
        "kind": "conference",
        "in_days": 30,
        "at_hour": 3,
        "hours": 8,
        "time_zone": "Asia/Almaty",
        "language": "en",
        "languages": ["en", "ru", "kk"],
        "interpretation": ["en", "ru", "kk"],
        "venue": "Astana, Kazakhstan",
        "join_url": "https://meet.example.org/hub-conference",
        "speakers": ["Alikhan Baimenov"],
        "body": "Representatives of more than 40 countries discuss new digital capabilities in "
        "public administration, the role of internal communication in human resource "
        "management, and new approaches to transforming the civil service.",
    },
    {
        "key": "past",
        "community": "e-government",
        "organiser": "timur",
        "title": "Digital public services after the pandemic",
        "kind": "webinar",
        "in_days": -20,
        "at_hour": 6,
        "hours": 1.5,
        "time_zone": "Europe/Berlin",
        "language": "en",
        "languages": ["en"],
        "interpretation": ["ru"],
        "join_url": "https://meet.example.org/after-pandemic",
        "speakers": ["@nino", "@timur"],
        "body": "What stayed online after 2020, what went back to the counter, and why.",
    },
]

RESOURCES = [
    {
        "external_id": "demo-hub-conference-2019",
        "title": "Мемлекеттік басқарудағы цифрлық мүмкіндіктер: хабтың дәстүрлі конференциясы",
        "summary": "Әлемнің 40-тан астам елінің өкілдері мемлекеттік басқару саласында жаңа цифрлық мүмкіндіктерді дамыту мен енгізуді талқылады.",
        "body": "Нұр-Сұлтанда Мемлекеттік қызмет хабының дәстүрлі конференциясы өтті. Іс-шараға үкіметтік органдардың, халықаралық ұйымдардың өкілдері, сарапшылар, ғалымдар қатысты. Қатысушылар цифрлық инновацияларды енгізу, адами ресурстарды басқарудағы ішкі коммуникациялардың рөлі туралы әңгімелеп, саланы одан әрі трансформациялау үшін жаңа тәсілдер, шешімдер мен идеяларды талқылады.\n\nКонференция барысында Орталық Азия мен Кавказ елдері үшін цифрландыру саласындағы мемлекеттік қызметкерлердің әлеуетін арттыруға бағытталған жоба таныстырылды.",
        "kind": "case",
        "language": "kk",
        "year": 2019,
        "countries": ["KZ"],
        "communities": ["e-government", "innovation"],
        "tags": ["digital transformation", "conference"],
        "source": "Astana Civil Service Hub",
        "collection": "",
    },
    {
        "external_id": "demo-hub-mission",
        "title": "Астана мемлекеттік қызмет хабы: миссия, мақсаттар және 10 жылдағы нәтижелер",
        "summary": "Хаб — 43 мүше елден тұратын мемлекеттік қызмет саласындағы тәжірибе мен білім алмасудың институционалдық платформасы.",
        "body": "Миссия: мемлекеттік қызметтің институционалды және адами әлеуетін қалыптастыруға қатысушы елдердің үкіметтерінің күш-жігерін қолдай отырып, мемлекеттік қызметтің тиімділігін арттыруға жәрдемдесу.\n\n- Қатысушы елдердің саны 25-тен 43-ке дейін өсті.\n- Хаб 80-нен астам зерттеу өнімдерін жариялады: аналитикалық кейстер, журналдар, ғылыми басылымдар.\n- Хаб бір терезе қағидаты бойынша мемлекеттік қызметтерді көрсету, электрондық үкіметті дамыту, мемлекеттік басқарудағы трансформация мен инновациялар, AI мен жаңа технологиялар саласында 4 тәжірибешілер одағын іске қосты.",
        "kind": "publication",
        "language": "kk",
        "year": 2024,
        "countries": ["KZ"],
        "communities": ["one-stop-shop", "e-government", "innovation", "ai"],
        "tags": ["hub"],
        "source": "Astana Civil Service Hub",
        "collection": "",
    },
    {
        "external_id": "demo-one-stop-shop-standards",
        "title": "Стандарты обслуживания в центрах «одного окна»: сравнительный обзор",
        "summary": "Как страны-участницы хаба измеряют качество государственных услуг в центрах обслуживания населения.",
        "body": "Обзор стандартов обслуживания: время ожидания, доступность для людей с инвалидностью, обратная связь от граждан, обучение сотрудников.",
        "kind": "practice-note",
        "language": "ru",
        "year": 2023,
        "countries": ["AZ", "KZ", "GE"],
        "communities": ["one-stop-shop"],
        "tags": ["service standards"],
        "source": "Astana Civil Service Hub",
        "collection": "covid-19-virtual-alliance",
    },
    {
        "external_id": "demo-proactive-services",
        "title": "Цифровое правительство и проактивные услуги: опыт стран хаба",
        "summary": "Как государственные органы оказывают услуги без заявления гражданина: по событию жизни, на основе данных, которые у государства уже есть.",
        "body": "Рождение ребёнка, выход на пенсию, регистрация бизнеса: в нескольких странах хаба услуги по таким событиям оказываются проактивно. Обзор описывает правовую основу, обмен данными между ведомствами, согласие граждан и измерение результата.",
        "kind": "practice-note",
        "language": "ru",
        "year": 2024,
        "countries": ["KZ", "UZ", "AZ"],
        "communities": ["e-government", "one-stop-shop"],
        "tags": ["proactive services", "interoperability"],
        "source": "Astana Civil Service Hub",
        "collection": "",
    },
    {
        "external_id": "demo-covid-remote-work",
        "title": "Remote work in the civil service during the COVID-19 pandemic",
        "summary": "Practice materials from the hub's Virtual Alliance: how ministries kept services running with staff working from home.",
        "body": "Lessons from more than 40 online events with civil servants, scholars and experts from 62 countries: secure remote access, e-signatures, performance management at a distance, and staff well-being.",
        "kind": "toolkit",
        "language": "en",
        "year": 2021,
        "countries": ["KZ", "KG", "UZ", "AZ"],
        "communities": ["innovation", "e-government"],
        "tags": ["covid-19", "remote work"],
        "source": "Astana Civil Service Hub",
        "collection": "covid-19-virtual-alliance",
    },
    {
        "external_id": "demo-ai-guidelines",
        "title": "Generative AI in government: a comparison of national guidelines",
        "summary": "What civil servants may and may not do with chatbots, in six countries.",
        "body": "The guidelines agree on three points: no personal or classified data in public AI services, human review of every output, and clear accountability.",
        "kind": "publication",
        "language": "en",
        "year": 2025,
        "countries": ["KR", "KZ", "GE"],
        "communities": ["ai"],
        "tags": ["generative ai", "ethics"],
        "source": "International Journal of Civil Service Reform and Practice",
        "collection": "",
    },
]

# Private questions to experts ("Ask this expert"): asker, expert, subject, language, the
# question, and the expert's answer if any (one is left for its expert to answer).
QUESTIONS = [
    (
        "arman",
        "aigerim",
        "ХҚКО-дағы таңғы кезекті азайту",
        "kk",
        "Сәлеметсіз бе! Біздің орталықта таңертең кезек көп. Алдын ала онлайн жазылуды қалай енгіздіңіздер?",
        "Сәлеметсіз бе! Алдымен ең көп сұралатын үш қызметке ғана жазылуды аштық, кейін басқаларына кеңейттік. Кезек екі есе қысқарды.",
    ),
    (
        "davron",
        "olga",
        "Электронные подписи для сотрудников агентства",
        "ru",
        "Ольга, добрый день! Как вы организовали выдачу электронных подписей сотрудникам агентства и их обучение?",
        "",
    ),
]


class Command(BaseCommand):
    help = "Create demo people, memberships, threads, chat messages and library resources."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo refuses to run when DEBUG is off (it creates demo accounts)."
            )
        with transaction.atomic():
            users = self._people()
            self._tags()
            if not Thread.objects.filter(title=THREADS[0]["title"]).exists():
                self._threads(users)
                self._chat(users)
            self._library(users)
            self._events(users)
            if not Question.objects.filter(subject=QUESTIONS[0][2]).exists():
                self._questions(users)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Demo content is ready. Sign in with any of these:"))
        names = {c.slug: c.name_en for c in Community.objects.all()}
        for username, name, country, *_rest, moderates in PEOPLE:
            role = f", moderates {names.get(moderates, moderates)}" if moderates else ""
            self.stdout.write(f"  {username:<10} {DEMO_PASSWORD}   {name} ({country}){role}")
        self.stdout.write(f"  {'admin':<10} {DEMO_PASSWORD}   staff, Django admin at /admin/")

    def _people(self) -> dict:
        User = get_user_model()
        users = {}
        areas = {a.slug: a for a in ExpertiseArea.objects.all()}
        communities = {c.slug: c for c in Community.objects.all()}
        for username, name, country, org, position, languages, expertise, moderates in PEOPLE:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "email": f"{username}@example.org",
                    "display_name": name,
                    "country": country,
                    "organisation": org,
                    "position": position,
                    "languages": languages,
                    "is_expert": bool(moderates) or username in ("olga", "leyla"),
                    "bio": f"{position}, {org}.",
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
                user.expertise.set([areas[a] for a in expertise if a in areas])
            EmailAddress.objects.get_or_create(
                user=user, email=user.email, defaults={"verified": True, "primary": True}
            )
            users[username] = user
            if (
                moderates
                and not user.memberships.filter(
                    community__slug=moderates, role="moderator"
                ).exists()
            ):
                cop_services.role_grant(
                    actor=None, user=user, community=communities[moderates], role="moderator"
                )
            for slug in MEMBERSHIPS.get(username, []):
                cop_services.membership_join(user=user, community=communities[slug])
        admin, created = User.objects.get_or_create(
            username="admin",
            defaults={
                "email": "admin@example.org",
                "display_name": "Hub staff",
                "is_staff": True,
                "is_superuser": True,
            },
        )
        if created:
            admin.set_password(DEMO_PASSWORD)
            admin.save(update_fields=["password"])
        EmailAddress.objects.get_or_create(
            user=admin, email=admin.email, defaults={"verified": True, "primary": True}
        )
        return users

    def _events(self, users: dict) -> None:
        """Upcoming and past events in the three languages; the past webinar has its recording
        in the library and a follow-up thread."""
        if Event.objects.exists():
            return
        communities = {c.slug: c for c in Community.objects.all()}
        staff = get_user_model().objects.get(username="admin")
        today = timezone.now().replace(minute=0, second=0, microsecond=0)
        made = {}
        for spec in EVENTS:
            community = communities.get(spec["community"]) if spec["community"] else None
            start = today + timedelta(days=spec["in_days"], hours=spec.get("at_hour", 0))
            organiser = users.get(spec["organiser"], staff) if community else staff
            made[spec["key"]] = event_services.event_create(
                actor=organiser if community else staff,
                community=community,
                data=event_services.EventData(
                    title=spec["title"],
                    kind=spec["kind"],
                    starts_at=start,
                    ends_at=start + timedelta(hours=spec["hours"]),
                    time_zone=spec["time_zone"],
                    body=spec["body"],
                    language=spec["language"],
                    languages=spec["languages"],
                    interpretation=spec.get("interpretation", []),
                    join_url=spec.get("join_url", ""),
                    venue=spec.get("venue", ""),
                    capacity=spec.get("capacity"),
                    speakers=spec["speakers"],
                ),
            )
        for username in ("jiwoo", "arman", "leyla", "asel"):
            if username in users:
                event_services.registration_create(user=users[username], event=made["webinar"])
        past = made["past"]
        recording = Resource.objects.filter(kind="recording").first()
        if recording is None:
            recording = library_services.resource_submit(
                actor=staff,
                data={
                    "title": "Recording: digital public services after the pandemic",
                    "summary": "The webinar's recording and slides, in English with Russian "
                    "interpretation.",
                    "body": "",
                    "kind": "recording",
                    "language": "en",
                    "year": past.starts_at.year,
                    "countries": [],
                    "url": "",
                    "source": "Astana Civil Service Hub",
                    "authors": "",
                    "licence": "CC BY 4.0",
                },
                communities=[past.community],
                publish=True,
            )
        event_services.materials_set(actor=staff, event=past, resources=[recording])
        event_services.follow_up_open(
            actor=staff, event=past, thread_create=forum_services.thread_create
        )

    def _tags(self) -> None:
        for slug, names in TAGS.items():
            community = Community.objects.get(slug=slug)
            for name in names:
                Tag.objects.get_or_create(community=community, slug=name, defaults={"name": name})

    def _threads(self, users: dict) -> None:
        for spec in THREADS:
            community = Community.objects.get(slug=spec["community"])
            thread = forum_services.thread_create(
                community=community,
                author=users[spec["author"]],
                title=spec["title"],
                body=spec["body"],
                language=spec["language"],
                tags=Tag.objects.filter(community=community, slug__in=spec["tags"]),
            )
            for username, body in spec["replies"]:
                forum_services.post_reply(thread=thread, author=users[username], body=body)

    def _questions(self, users: dict) -> None:
        for asker, expert, subject, language, body, answer in QUESTIONS:
            question = forum_services.question_ask(
                asker=users[asker],
                expert=users[expert],
                subject=subject,
                body=body,
                language=language,
            )
            if answer:
                forum_services.question_reply(question=question, author=users[expert], body=answer)

    def _chat(self, users: dict) -> None:
        for slug, lines in CHAT.items():
            room = ChatRoom.objects.get(community__slug=slug, slug="general")
            for username, body in lines:
                forum_services.message_send(room=room, author=users[username], body=body)

    def _library(self, users: dict) -> None:
        communities = {c.slug: c for c in Community.objects.all()}
        # Staff publish the demo library directly (they may in every community).
        staff = get_user_model().objects.get(username="admin")
        for spec in RESOURCES:
            if Resource.objects.filter(external_id=spec["external_id"]).exists():
                continue
            resource = library_services.resource_submit(
                actor=staff,
                data={
                    k: spec[k]
                    for k in ("title", "summary", "body", "kind", "language", "year", "countries")
                }
                | {"url": "", "source": spec["source"], "authors": "", "licence": "CC BY 4.0"},
                communities=[communities[s] for s in spec["communities"]],
                tags=spec["tags"],
                publish=True,
            )
            Resource.objects.filter(pk=resource.pk).update(external_id=spec["external_id"])
            if spec["collection"]:
                collection, _created = Collection.objects.get_or_create(
                    slug=spec["collection"],
                    defaults={
                        "title_en": "COVID-19 Virtual Alliance",
                        "title_ru": "Виртуальный альянс COVID-19",
                        "title_kk": "COVID-19 Виртуалды Альянсы",
                        "description_en": "Practice materials and useful resources shared by civil services during the COVID-19 pandemic.",
                        "description_ru": "Практические материалы и полезные ресурсы, которыми государственные службы обменивались во время пандемии COVID-19.",
                        "description_kk": "COVID-19 пандемиясы жағдайында мемлекеттік қызметтер алмасқан тәжірибелік материалдар мен пайдалы ресурстар.",
                    },
                )
                collection.communities.add(*[communities[s] for s in spec["communities"]])
                library_services.collection_add(
                    collection=collection, actor=staff, resource=resource
                )
