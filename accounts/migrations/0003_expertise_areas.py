"""A starting vocabulary of expertise areas (staff extend it in the admin)."""

from django.db import migrations

AREAS = [
    (
        "one-stop-shop",
        "One-stop-shop service delivery",
        "Услуги по принципу «одного окна»",
        "Бір терезе қағидаты бойынша қызмет көрсету",
    ),
    (
        "digital-services",
        "Digital public services",
        "Цифровые государственные услуги",
        "Цифрлық мемлекеттік қызметтер",
    ),
    ("digital-identity", "Digital identity", "Цифровая идентификация", "Цифрлық сәйкестендіру"),
    ("open-data", "Open data", "Открытые данные", "Ашық деректер"),
    (
        "interoperability",
        "Interoperability",
        "Интероперабельность",
        "Жүйелердің өзара үйлесімділігі",
    ),
    (
        "hr-management",
        "Human resource management",
        "Управление человеческими ресурсами",
        "Адами ресурстарды басқару",
    ),
    (
        "civil-service-reform",
        "Civil service reform",
        "Реформа государственной службы",
        "Мемлекеттік қызметті реформалау",
    ),
    (
        "public-sector-innovation",
        "Public sector innovation",
        "Инновации в государственном секторе",
        "Мемлекеттік сектордағы инновациялар",
    ),
    (
        "artificial-intelligence",
        "Artificial intelligence",
        "Искусственный интеллект",
        "Жасанды интеллект",
    ),
    ("data-governance", "Data governance", "Управление данными", "Деректерді басқару"),
    ("cybersecurity", "Cybersecurity", "Кибербезопасность", "Киберқауіпсіздік"),
    (
        "anti-corruption",
        "Anti-corruption",
        "Противодействие коррупции",
        "Сыбайлас жемқорлыққа қарсы іс-қимыл",
    ),
    (
        "performance-management",
        "Performance management",
        "Управление результативностью",
        "Нәтижелілікті басқару",
    ),
    (
        "policy-analysis",
        "Policy analysis",
        "Анализ государственной политики",
        "Мемлекеттік саясатты талдау",
    ),
    (
        "capacity-building",
        "Training and capacity building",
        "Обучение и развитие потенциала",
        "Оқыту және әлеуетті арттыру",
    ),
    (
        "citizen-engagement",
        "Citizen engagement and feedback",
        "Вовлечение граждан и обратная связь",
        "Азаматтарды тарту және кері байланыс",
    ),
]


def create(apps, schema_editor):
    ExpertiseArea = apps.get_model("accounts", "ExpertiseArea")
    for slug, en, ru, kk in AREAS:
        ExpertiseArea.objects.update_or_create(
            slug=slug, defaults={"name_en": en, "name_ru": ru, "name_kk": kk}
        )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
