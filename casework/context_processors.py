from casework.roles import Role, roles_of


def navigation(request):
    """The roles of the signed-in user, so the base layout can show their navigation."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    roles = roles_of(user)
    return {
        "user_roles": roles,
        "is_worker": Role.WORKER in roles,
        "is_manager": bool({Role.GUARANTOR, Role.ADMIN} & roles),
        "is_admin": Role.ADMIN in roles,
    }
