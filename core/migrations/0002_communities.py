"""The four communities of practice, in the hub's own wording, in three languages."""

from django.db import migrations

COMMUNITIES = [
    {
        "slug": "one-stop-shop",
        "position": 1,
        "name_en": "One-stop-shop public services",
        "name_ru": "Государственные услуги по принципу «одного окна»",
        "name_kk": "Бір терезе қағидаты бойынша мемлекеттік қызметтер",
        "description_en": "Public service delivery on the one-stop-shop principle: service centres, single windows, service standards, citizen feedback and the practical experience of the people who run them.",
        "description_ru": "Оказание государственных услуг по принципу «одного окна»: центры обслуживания населения, стандарты услуг, обратная связь с гражданами и практический опыт тех, кто этим занимается.",
        "description_kk": "Бір терезе қағидаты бойынша мемлекеттік қызметтерді көрсету: халыққа қызмет көрсету орталықтары, қызмет стандарттары, азаматтармен кері байланыс және осы салада жұмыс істейтін мамандардың практикалық тәжірибесі.",
    },
    {
        "slug": "e-government",
        "position": 2,
        "name_en": "E-government development",
        "name_ru": "Развитие электронного правительства",
        "name_kk": "Электрондық үкіметті дамыту",
        "description_en": "Developing e-government: digital public services, interoperability, digital identity, open data and the digital capabilities of civil servants.",
        "description_ru": "Развитие электронного правительства: цифровые государственные услуги, интероперабельность, цифровая идентификация, открытые данные и цифровые компетенции государственных служащих.",
        "description_kk": "Электрондық үкіметті дамыту: цифрлық мемлекеттік қызметтер, жүйелердің өзара үйлесімділігі, цифрлық сәйкестендіру, ашық деректер және мемлекеттік қызметшілердің цифрлық құзыреттері.",
    },
    {
        "slug": "innovation",
        "position": 3,
        "name_en": "Transformation and innovation in public administration",
        "name_ru": "Трансформация и инновации в государственном управлении",
        "name_kk": "Мемлекеттік басқарудағы трансформация мен инновациялар",
        "description_en": "Transformation and innovation in public administration: new approaches, solutions and ideas, innovation labs, civil service reform and the exchange of good practice between countries.",
        "description_ru": "Трансформация и инновации в государственном управлении: новые подходы, решения и идеи, инновационные лаборатории, реформы государственной службы и обмен лучшей практикой между странами.",
        "description_kk": "Мемлекеттік басқарудағы трансформация мен инновациялар: жаңа тәсілдер, шешімдер мен идеялар, инновациялық зертханалар, мемлекеттік қызметті реформалау және елдер арасында озық тәжірибе алмасу.",
    },
    {
        "slug": "ai",
        "position": 4,
        "name_en": "AI and new technologies",
        "name_ru": "ИИ и новые технологии",
        "name_kk": "AI мен жаңа технологиялар",
        "description_en": "Artificial intelligence and new technologies in government: their use in public services and policy, data, ethics and regulation, and the skills civil servants need.",
        "description_ru": "Искусственный интеллект и новые технологии в государственном управлении: применение в услугах и политике, данные, этика и регулирование, навыки, необходимые государственным служащим.",
        "description_kk": "Мемлекеттік басқарудағы жасанды интеллект пен жаңа технологиялар: қызметтер мен саясатта қолдану, деректер, этика және реттеу, мемлекеттік қызметшілерге қажет дағдылар.",
    },
]


def create(apps, schema_editor):
    Community = apps.get_model("cop", "Community")
    for data in COMMUNITIES:
        Community.objects.update_or_create(slug=data["slug"], defaults=data)


class Migration(migrations.Migration):
    dependencies = [("cop", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
