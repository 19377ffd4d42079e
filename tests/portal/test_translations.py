"""The translation catalogues (locale/<lang>/LC_MESSAGES/django.po): complete in every
shipped language, up to date with the source, placeholders and markup kept, compiled by the
setup commands and never committed as .mo files.

The .po text is read by a small reader here (stdlib `gettext` reads only compiled .mo files,
which have no fuzzy flag). Extraction and the format check need Debian's gettext (xgettext,
msgfmt): without it these tests are skipped locally and fail on CI (`CI` set), where
`make translations` installs it.
"""

import ast
import os
import re
import shlex
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

BASE_DIR = Path(settings.BASE_DIR)
MAKEFILE = BASE_DIR / "Makefile"
SHIPPED = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
# The files makemessages reads for the "django" domain.
SOURCE_SUFFIXES = {".py", ".html", ".txt"}
GIT = shutil.which("git") or "git"


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False
    line: int = 0

    @property
    def key(self):
        return (self.msgctxt, self.msgid, self.msgid_plural)

    def __str__(self):
        context = f" (msgctxt {self.msgctxt!r})" if self.msgctxt else ""
        return f"line {self.line}: msgid {self.msgid!r}{context}"


_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*")$')


def read_po(path):
    """The entries of a .po file, the header (msgid "") included."""
    entries = []
    entry, last = None, None

    def start(number):
        nonlocal entry
        if entry is not None:
            entries.append(entry)
        entry = Entry(line=number)

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
        if not line:
            continue
        if line.startswith("#"):
            # A comment after a msgstr begins the next entry.
            if entry is None or last is not None and last.startswith("msgstr"):
                start(number)
                last = None
            if line.startswith("#,"):
                entry.flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        match = _KEYWORD.match(line)
        if match:
            keyword, text = match.groups()
            if keyword in ("msgctxt", "msgid") and (
                entry is None or last is not None and last.startswith("msgstr")
            ):
                start(number)
            entry.obsolete = entry.obsolete or obsolete
            value = ast.literal_eval(text)
            if keyword.startswith("msgstr"):
                entry.msgstr.append(value)
            else:
                setattr(entry, keyword, value)
            last = keyword
        elif line.startswith('"') and last is not None:
            value = ast.literal_eval(line)
            if last.startswith("msgstr"):
                entry.msgstr[-1] += value
            else:
                setattr(entry, last, getattr(entry, last) + value)
        else:
            raise AssertionError(f"{path}:{number}: cannot read {raw!r}")
    if entry is not None:
        entries.append(entry)
    return entries


def catalogue(language):
    return BASE_DIR / "locale" / language / "LC_MESSAGES" / "django.po"


def messages(language):
    """The catalogue's live entries, without the header and obsolete (#~) ones."""
    return [e for e in read_po(catalogue(language)) if e.msgid and not e.obsolete]


def staff_only_patterns():
    """STAFF_ONLY from the Makefile: the one list of sources left out of the catalogues."""
    text = MAKEFILE.read_text(encoding="utf-8").replace("\\\n", " ")
    match = re.search(r"^STAFF_ONLY\s*:?=(.*)$", text, re.M)
    assert match, "The Makefile defines no STAFF_ONLY"
    return shlex.split(match.group(1))


def makefile_target(name):
    match = re.search(rf"^{name}:([^\n]*)", MAKEFILE.read_text(encoding="utf-8"), re.M)
    assert match, f"The Makefile has no `{name}` target"
    return match.group(1).split()


def require_gettext(tool):
    if shutil.which(tool):
        return
    message = f"{tool} not found: Debian's gettext is needed (sudo apt-get install gettext)"
    if os.environ.get("CI"):
        pytest.fail(f"CI is set and {message}; `make translations` installs it", pytrace=False)
    pytest.skip(message)


_PERCENT = re.compile(r"%(?:\((\w+)\))?[-#0 +]*\d*(?:\.\d+)?[sdifr]")
_BRACE = re.compile(r"(?<!\{)\{(\w*)\}(?!\})")
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def placeholders(text, flags):
    found = [m.group(0) for m in _PERCENT.finditer(text.replace("%%", ""))]
    if "python-brace-format" in flags:
        found += [m.group(0) for m in _BRACE.finditer(text)]
    return sorted(found)


def tag_names(text):
    return sorted(re.match(r"</?[a-zA-Z]+", tag).group(0) for tag in _TAG.findall(text))


def test_reader_reads_entries_flags_plurals_and_continued_lines(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: en\\n"\n\n'
        '#: a.py\n#, fuzzy, python-format\nmsgid "Hallo %(name)s,"\nmsgstr "Hi %(name)s,"\n\n'
        'msgctxt "Wahl"\nmsgid ""\n"Ein "\n"Tag"\nmsgid_plural "%(n)s Tage"\n'
        'msgstr[0] "One \\"day\\""\nmsgstr[1] "%(n)s days"\n\n'
        '#~ msgid "Alt"\n#~ msgstr "Old"\n',
        encoding="utf-8",
    )

    entries = read_po(po)

    assert [(e.msgctxt, e.msgid, e.msgid_plural, e.msgstr, e.obsolete) for e in entries] == [
        (None, "", None, ["Language: en\n"], False),
        (None, "Hallo %(name)s,", None, ["Hi %(name)s,"], False),
        ("Wahl", "Ein Tag", "%(n)s Tage", ['One "day"', "%(n)s days"], False),
        (None, "Alt", None, ["Old"], True),
    ]
    assert entries[1].flags == {"fuzzy", "python-format"}


def test_every_shipped_language_has_a_catalogue():
    assert SHIPPED == ["en", "ar", "ru", "uk", "pl"]
    assert [language for language in SHIPPED if not catalogue(language).is_file()] == []


@pytest.mark.parametrize("language", SHIPPED)
def test_catalogue_has_no_untranslated_entry(language):
    untranslated = [
        str(e) for e in messages(language) if not e.msgstr or any(not s for s in e.msgstr)
    ]

    assert untranslated == []


@pytest.mark.parametrize("language", SHIPPED)
def test_catalogue_has_no_fuzzy_entry(language):
    # A fuzzy entry is not compiled: the page would show German there.
    fuzzy = [str(e) for e in messages(language) if "fuzzy" in e.flags]

    assert fuzzy == []


@pytest.mark.parametrize("language", SHIPPED)
def test_catalogue_has_one_form_per_plural_form_of_the_language(language):
    header = read_po(catalogue(language))[0].msgstr[0]
    plural_forms = int(re.search(r"nplurals=(\d+)", header).group(1))

    wrong = [str(e) for e in messages(language) if e.msgid_plural and len(e.msgstr) != plural_forms]

    assert wrong == []


@pytest.mark.parametrize("language", SHIPPED)
def test_translations_keep_the_placeholders(language):
    wrong = []
    for e in messages(language):
        if e.msgid_plural is None:
            if placeholders(e.msgstr[0], e.flags) != placeholders(e.msgid, e.flags):
                wrong.append(str(e))
            continue
        expected = set(placeholders(e.msgid_plural, e.flags))
        for index, text in enumerate(e.msgstr):
            used = set(placeholders(text, e.flags))
            # A form for one or two may spell the number out ("ein Tag"): it may leave
            # out one placeholder, never add one; the last form ("other") keeps them all.
            allowed_missing = 0 if index == len(e.msgstr) - 1 else 1
            if not used <= expected or len(expected - used) > allowed_missing:
                wrong.append(f"{e} msgstr[{index}]")

    assert wrong == []


@pytest.mark.parametrize("language", SHIPPED)
def test_translations_keep_the_markup(language):
    # Texts with links or emphasis (blocktranslate around <a>, <strong>): the same tags.
    wrong = [
        f"{e} msgstr[{index}]"
        for e in messages(language)
        for index, text in enumerate(e.msgstr)
        if tag_names(text) != tag_names(e.msgid)
    ]

    assert wrong == []


@pytest.mark.parametrize("language", SHIPPED)
def test_msgfmt_accepts_the_catalogue_with_format_checks(language, tmp_path):
    require_gettext("msgfmt")

    result = subprocess.run(  # noqa: S603
        [
            shutil.which("msgfmt"),
            "--check-format",
            "--check-header",
            "-o",
            str(tmp_path / "django.mo"),
        ]
        + [str(catalogue(language))],
        capture_output=True,
        text=True,
    )

    assert (result.returncode, result.stderr) == (0, "")


@pytest.fixture(scope="module")
def source_messages(tmp_path_factory):
    """The msgids makemessages extracts from the source today, as `make messages` runs it
    (same --ignore list, read from the Makefile), into a copy of the source tree: the
    repository's catalogues stay untouched."""
    require_gettext("xgettext")
    copy = tmp_path_factory.mktemp("source")
    listed = subprocess.run(  # noqa: S603
        [GIT, "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\0")
    for name in listed:
        source = BASE_DIR / name
        if source.suffix in SOURCE_SUFFIXES and source.is_file() and name.split("/")[0] != "locale":
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, copy / name)
    (copy / "locale").mkdir()

    previous_cwd = os.getcwd()
    previous_paths = settings.LOCALE_PATHS
    os.chdir(copy)
    settings.LOCALE_PATHS = [copy / "locale"]
    try:
        call_command(
            "makemessages",
            locale=["en"],
            ignore_patterns=staff_only_patterns(),
            no_obsolete=True,
            no_location=True,
            verbosity=0,
        )
    finally:
        os.chdir(previous_cwd)
        settings.LOCALE_PATHS = previous_paths
    extracted = read_po(copy / "locale" / "en" / "LC_MESSAGES" / "django.po")
    return [e for e in extracted if e.msgid]


def test_extraction_finds_the_public_texts(source_messages):
    # Guards the freshness test below against an extraction that found nothing.
    msgids = {e.msgid for e in source_messages}

    assert {"Zum Inhalt springen", "Bewerbung absenden", "Hallo %(name)s,"} <= msgids


@pytest.mark.parametrize("language", SHIPPED)
def test_catalogue_has_every_text_of_the_source(language, source_messages):
    present = {e.key for e in messages(language)}

    missing = [e.key for e in source_messages if e.key not in present]

    assert missing == [], "run `make messages` and translate these (msgctxt, msgid, plural)"


def test_staff_pages_are_left_out_of_the_catalogues():
    # The Makefile's quotes are shell quoting, not part of the patterns.
    assert {"*/admin.py", "reports/*", "accounts/*", "tests"} <= set(staff_only_patterns())


def test_compiled_catalogues_are_not_in_git():
    tracked = subprocess.run(  # noqa: S603
        [GIT, "ls-files", "*.mo"], cwd=BASE_DIR, capture_output=True, text=True, check=True
    ).stdout.split()

    assert tracked == []


def test_setup_commands_compile_the_catalogues():
    assert "translations" in makefile_target("test")
    assert "translations" in makefile_target("run")
    assert "compilemessages" in MAKEFILE.read_text(encoding="utf-8")
