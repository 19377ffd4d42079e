"""README.md says only what is true: every `manage.py` command and `make` target it shows
exists, every portal URL path it names is a page, and its configuration table lists
exactly the `PORTAL_*` variables that portal/settings.py reads. A failure names what went
stale; fix the README (or the code), not this test."""

import ast
import re
import shlex
from pathlib import Path

import pytest
from django.core.management import get_commands
from django.urls import Resolver404, resolve

from districts.models import District, Municipality

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
FENCED_BLOCK = re.compile(r"^```[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
# Absolute paths on the machine, not URLs (`/usr/bin/chromium`).
FILE_SYSTEM_ROOTS = ("/usr/", "/etc/", "/var/", "/opt/", "/home/", "/bin/")


def code_spans():
    """Inline code outside the fenced blocks: `like this`."""
    return re.findall(r"`([^`\n]+)`", FENCED_BLOCK.sub("", README))


def code_lines():
    """Every line the README shows as code: the fenced blocks' lines and the code spans."""
    lines = [line for block in FENCED_BLOCK.findall(README) for line in block.splitlines()]
    return lines + code_spans()


def words(line):
    try:
        return shlex.split(line, comments=True)
    except ValueError:  # an apostrophe in prose-like code
        return line.split()


def readme_manage_commands():
    return {
        match
        for line in code_lines()
        for match in re.findall(r"manage\.py[ \t]+([a-z][a-z0-9_]*)", line)
    }


def readme_make_targets():
    """`make run SEED=0`, `make -k test`, `DATABASE_URL=… make test`: the target is the
    first word after `make` that is neither an option nor a variable."""
    targets = set()
    for line in code_lines():
        tokens = words(line)
        for index, token in enumerate(tokens):
            if token != "make":
                continue
            rest = [t for t in tokens[index + 1 :] if not t.startswith("-") and "=" not in t]
            if rest:
                targets.add(rest[0])
    return targets


def makefile_targets():
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([A-Za-z0-9][\w.-]*)[ \t]*:(?![=:])", text, re.MULTILINE))


def readme_url_paths():
    """Paths in code spans and link targets beginning with `/`, and the paths of the
    local development URLs (<http://localhost:8000/verwaltung/>)."""
    paths = {
        span
        for span in code_spans()
        if span.startswith("/") and not span.startswith(FILE_SYSTEM_ROOTS)
    }
    paths |= set(re.findall(r"\]\((/[^)\s]*)\)", README))
    paths |= {path or "/" for path in re.findall(r"http://localhost:8000(/[^\s>)`]*)?", README)}
    return paths


def readme_configuration_variables():
    """The `PORTAL_*` names in the first column of the table under "## Configuration"."""
    section = README.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    return {
        name
        for line in section.splitlines()
        if line.startswith("| `")
        for name in re.findall(r"`(PORTAL_[A-Z0-9_]+)`", line.split("|")[1])
    }


def readme_portal_variables():
    return set(re.findall(r"\bPORTAL_[A-Z0-9_]+\b", README))


def settings_portal_variables():
    """The `PORTAL_*` variables portal/settings.py reads: a call's first argument
    (`os.environ.get("PORTAL_X", …)`, `env_bool("PORTAL_X")`, `env_list(…)`)."""
    tree = ast.parse((ROOT / "portal" / "settings.py").read_text(encoding="utf-8"))
    return {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
        and re.fullmatch(r"PORTAL_[A-Z0-9_]+", node.args[0].value)
    }


def test_every_manage_py_command_in_the_readme_exists():
    named = readme_manage_commands()

    assert {"migrate", "send_pending_mail", "delete_unconfirmed_applications"} <= named
    assert named - set(get_commands()) == set()


def test_every_make_target_in_the_readme_is_in_the_makefile():
    named = readme_make_targets()

    assert {"run", "test", "help"} <= named
    assert named - makefile_targets() == set()


def is_a_page(path):
    """`path` resolves to a view of its own: not to the admin's catch-all (anything under
    /verwaltung/ resolves to that), and through the slug patterns (`/<district>/`, which
    any single segment matches) only with a district and municipality that exist."""
    try:
        match = resolve(path)
    except Resolver404:
        return False
    if match.func.__name__ == "catch_all_view":
        return False
    district, municipality = match.kwargs.get("district"), match.kwargs.get("municipality")
    if municipality is not None:
        return Municipality.objects.filter(district__slug=district, slug=municipality).exists()
    if district is not None:
        return District.objects.filter(slug=district).exists()
    return True


@pytest.mark.django_db
def test_every_url_path_in_the_readme_is_a_page():
    named = readme_url_paths()

    assert {"/", "/verwaltung/"} <= named
    assert {path for path in named if not is_a_page(path)} == set()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "page"),
    [
        ("/verwaltung/", True),
        ("/harz/", True),
        ("/harz/wernigerode/", True),
        ("/verwaltungx/", False),  # resolves, as any single segment does
        ("/verwaltung/nix/", False),  # resolves to the admin's catch-all
        ("/harz/nirgendwo/", False),
    ],
)
def test_a_path_only_the_catch_all_patterns_match_is_no_page(path, page):
    assert is_a_page(path) is page


def test_every_portal_variable_in_the_readme_is_read_by_the_settings():
    assert len(readme_configuration_variables()) > 20
    assert readme_portal_variables() - settings_portal_variables() == set()


def test_every_portal_variable_the_settings_read_is_in_the_readme_table():
    assert settings_portal_variables() - readme_configuration_variables() == set()
