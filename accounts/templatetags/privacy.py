"""``{% shown_fields person as shown %}``: which parts of a profile the page's viewer may see
(accounts/privacy.py), so templates never show a hidden country, organisation or address."""

from django import template

from accounts import privacy

register = template.Library()


@register.simple_tag(takes_context=True)
def shown_fields(context, person, community=None) -> dict[str, bool]:
    """``community``: where the viewer meets the person (a thread's community), if anywhere."""
    if person is None:
        return dict.fromkeys(privacy.FIELDS, False)
    return privacy.visible_fields(viewer=context.get("user"), person=person, community=community)
