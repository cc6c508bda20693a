"""``manage.py import_xlsx <file> --project RAL --kind clients [--dry-run]``."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from casework.imports.models import ImportKind, ImportRun
from casework.imports.services import ImportRefused, check_file, confirm_run
from casework.models import Membership, Project
from casework.roles import Role


def find_project(code: str, organisation: str | None) -> Project:
    projects = Project.objects.filter(code=code).select_related("organisation")
    if organisation:
        projects = projects.filter(organisation__ico=organisation)
    found = list(projects[:2])
    if not found:
        raise CommandError(f"No project with the code {code}.")
    if len(found) > 1:
        raise CommandError(f"Several organisations have a project {code}; add --organisation.")
    return found[0]


def find_user(username: str | None, project: Project):
    users = get_user_model().objects.filter(is_active=True)
    if username:
        user = users.filter(username=username).first()
        if user is None:
            raise CommandError(f"No active user {username}.")
        return user
    admins = users.filter(
        pk__in=Membership.objects.filter(
            role=Role.ADMIN, project__organisation=project.organisation_id
        ).values("user")
    ).order_by("pk")
    user = admins.first() or users.filter(is_superuser=True).order_by("pk").first()
    if user is None:
        raise CommandError("Name the user the import is recorded for with --user.")
    return user


def print_summary(stdout, run: ImportRun) -> None:
    summary = run.summary
    stdout.write(
        f"{run.file_name}: {summary.get('create', 0)} to create, "
        f"{summary.get('update', 0)} to change, {summary.get('unchanged', 0)} unchanged, "
        f"{len(summary.get('errors', []))} errors"
    )
    for change in summary.get("changes", []):
        fields = ", ".join(change["fields"])
        stdout.write(f"  row {change['row']}: {change['action']} {change['label']} ({fields})")
    for error in summary.get("errors", []):
        column = f" [{error['column']}]" if error["column"] else ""
        stdout.write(f"  row {error['row']}{column}: {error['message']}")


class Command(BaseCommand):
    help = "Import clients, interventions or debts of a project from an XLSX or CSV file."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--project", required=True, help="the project's short code, e.g. RAL")
        parser.add_argument("--organisation", help="the organisation's IČO, if codes repeat")
        parser.add_argument("--kind", required=True, choices=ImportKind.values)
        parser.add_argument("--dry-run", action="store_true", help="only show what would change")
        parser.add_argument("--user", help="who the import is recorded for (default: an admin)")

    def handle(self, *args, file: Path, project: str, organisation, kind, dry_run, user, **kw):
        target = find_project(project, organisation)
        by = find_user(user, target)
        try:
            content = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        run = check_file(project=target, kind=kind, content=content, file_name=file.name, by=by)
        print_summary(self.stdout, run)
        if run.error_count:
            raise CommandError(f"{run.error_count} errors; nothing was imported.")
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
            return
        try:
            confirm_run(run, by=by)
        except ImportRefused as refused:
            raise CommandError(f"Nothing was imported: {refused}") from refused
        self.stdout.write(self.style.SUCCESS("Imported."))
