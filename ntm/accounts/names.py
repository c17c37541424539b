"""How people's names are shown: family name first, as Vietnamese names are written ("Phạm Thị Dung");
Django's `get_full_name()` puts the given name first."""


def display_name(user) -> str:
    if user is None:
        return ""
    full = f"{user.last_name} {user.first_name}".strip()
    return full or user.get_username()
