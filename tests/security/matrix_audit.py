"""Access rows of the audit trail and the data-protection operations."""

from tests.security.matrix import FORBIDDEN, LOGIN, NOT_FOUND, OK, Row, expect, managers_only, url

# A client's data-protection operations: the administrators of the client's organisation.
ADMINS_OF_CLIENT = expect(
    LOGIN,
    FORBIDDEN,
    FORBIDDEN,
    FORBIDDEN,
    (OK, OK, NOT_FOUND),
    (NOT_FOUND, NOT_FOUND, OK),
)

ROWS = {
    "audit:trail": Row(url("audit:trail"), expect(LOGIN, FORBIDDEN, FORBIDDEN, OK, OK, OK)),
    "audit:record_of_processing": Row(
        url("audit:record_of_processing"),
        expect(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK),
    ),
    "audit:client_trail": Row(url("audit:client_trail", "client"), managers_only()),
    "audit:client_data_protection": Row(
        url("audit:client_data_protection", "client"), ADMINS_OF_CLIENT
    ),
    "audit:client_export_json": Row(url("audit:client_export_json", "client"), ADMINS_OF_CLIENT),
    "audit:client_export_pdf": Row(url("audit:client_export_pdf", "client"), ADMINS_OF_CLIENT),
    # Without the typed client code nothing happens: the page comes back with the error.
    "audit:client_anonymise": Row(
        url("audit:client_anonymise", "client"), ADMINS_OF_CLIENT, method="post"
    ),
}
