"""Access rows for sign-in security (casework.accounts) and the health check."""

from tests.security.matrix import (
    FORBIDDEN,
    LOGIN,
    NOT_FOUND,
    OK,
    REDIRECT,
    Row,
    everyone,
    expect,
    url,
)

ROWS = {
    "health": Row(url("health"), everyone(OK, anonymous=OK)),
    "accounts:security": Row(url("accounts:security"), everyone()),
    # Sessions in tests are verified already: nothing to ask for, back to the app.
    "accounts:mfa_verify": Row(url("accounts:mfa_verify"), everyone(REDIRECT)),
    "accounts:mfa_setup": Row(url("accounts:mfa_setup"), everyone()),
    # Nobody has an authenticator yet: new codes send you to set one up first.
    "accounts:recovery_codes": Row(
        url("accounts:recovery_codes"), everyone(REDIRECT), method="post"
    ),
    # Required for guarantors and administrators, optional for workers.
    "accounts:mfa_disable": Row(
        url("accounts:mfa_disable"),
        expect(LOGIN, REDIRECT, REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN),
        method="post",
    ),
    "accounts:logout_everywhere": Row(
        url("accounts:logout_everywhere"), everyone(REDIRECT), method="post"
    ),
    "accounts:lockouts": Row(
        url("accounts:lockouts"), expect(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK)
    ),
    # An administrator unlocks the people of their own organisation only.
    "accounts:unlock": Row(
        url("accounts:unlock", "worker"),
        expect(
            LOGIN,
            FORBIDDEN,
            FORBIDDEN,
            FORBIDDEN,
            (REDIRECT, REDIRECT, NOT_FOUND),
            (NOT_FOUND, NOT_FOUND, REDIRECT),
        ),
        method="post",
    ),
    "accounts:mfa_reset": Row(
        url("accounts:mfa_reset", "worker"),
        expect(
            LOGIN,
            FORBIDDEN,
            FORBIDDEN,
            FORBIDDEN,
            (REDIRECT, REDIRECT, NOT_FOUND),
            (NOT_FOUND, NOT_FOUND, REDIRECT),
        ),
        method="post",
    ),
}
