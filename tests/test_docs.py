"""The documentation against the code: README.md and docs/*.md.

- every link to a local file resolves, and so does its ``#anchor``;
- every file path (``ecom_ai_plugin/...``, ``tests/...``, ``tasks/jobs.py``...)
  and every dotted path (``ecom_ai_plugin.x.y``) named exists;
- every management command shown in a code block exists and its arguments
  parse with the command's own parser; the cheap ones really run.
"""
from __future__ import annotations

import dataclasses
import functools
import importlib
import re
import shlex
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command, get_commands, load_command_class

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "ecom_ai_plugin"
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]

#: Paths the docs name that exist only once the sandbox has run (ignored by git).
GENERATED = {"sandbox/var/worker.log"}
#: Top-level folders of the repository a path may start with.
REPO_DIRS = ("benchmarks", "docs", "sandbox", "scripts", "tests")
#: Folders of the package a short path (``tasks/jobs.py``) may start with.
PACKAGE_DIRS = tuple(sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and not p.name.startswith("__")))
#: Where a path may be found: the repository, the package, templates and static files by name.
BASES = (ROOT, PACKAGE, PACKAGE / "templates", PACKAGE / "static")

FENCE = re.compile(r"^```[^\n]*\n(.*?)^```[ \t]*$", re.S | re.M)
INLINE_CODE = re.compile(r"`([^`]+)`")
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^()\s]+)\)")
HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$", re.M)
SLASH_PATH = re.compile(
    r"(?<![\w./<>-])(?:ecom_ai_plugin|" + "|".join(REPO_DIRS + PACKAGE_DIRS) + r")/[\w./<>*…-]*"
)
FILE_NAME = re.compile(r"(?<![\w./<>*-])[\w-]+\.(?:py|html|js|css|sh)\b")
DOTTED = re.compile(r"(?<![\w./-])ecom_ai_plugin(?:\.[A-Za-z_]\w*)+")
#: System check ids (``ecom_ai_plugin.E001``) look like dotted paths.
CHECK_ID = re.compile(r"^ecom_ai_plugin\.[EW]\d{3}$")


def text(page: Path) -> str:
    return page.read_text(encoding="utf-8")


def without_code(markdown: str) -> str:
    return INLINE_CODE.sub("", FENCE.sub("", markdown))


def rel(page: Path) -> str:
    return str(page.relative_to(ROOT))


def test_the_pages_are_these_files() -> None:
    import ecom_ai_plugin

    # The package imported is this checkout's, not another installed copy.
    assert Path(ecom_ai_plugin.__file__).resolve().parent == PACKAGE
    assert len(PAGES) > 1 and all(page.is_file() for page in PAGES)


# -- (a) links ----------------------------------------------------------------------


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading."""
    heading = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link's text
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(page: Path) -> set[str]:
    seen: dict[str, int] = {}
    found = set()
    for _, heading in HEADING.findall(FENCE.sub("", text(page))):
        base = slug(heading)
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


def local_links() -> list[tuple[Path, str]]:
    links = []
    for page in PAGES:
        for target in LINK.findall(without_code(text(page))):
            if not re.match(r"^[a-z][a-z0-9+.-]*:", target):  # http:, https:, mailto:
                links.append((page, target))
    return links


@pytest.mark.parametrize(("page", "target"), local_links(), ids=lambda v: rel(v) if isinstance(v, Path) else v)
def test_local_link_resolves(page: Path, target: str) -> None:
    path, _, anchor = target.partition("#")
    resolved = (page.parent / path).resolve() if path else page
    assert resolved.exists(), f"{rel(page)} links to {target!r}: no such file"
    assert resolved.is_relative_to(ROOT), f"{rel(page)} links outside the repository: {target!r}"
    if anchor:
        assert resolved.suffix == ".md", f"{rel(page)}: an anchor into a file that is not a page: {target!r}"
        assert anchor in anchors(resolved), f"{rel(page)} links to {target!r}: no such heading in {rel(resolved)}"


def test_readme_links_every_docs_page() -> None:
    linked = {(ROOT / target.partition("#")[0]).resolve() for page, target in local_links() if page.name == "README.md"}
    missing = [rel(page) for page in PAGES[1:] if page.resolve() not in linked]
    assert not missing, f"README.md does not link {missing}"


# -- (b) file and dotted paths -------------------------------------------------------


def code(markdown: str) -> str:
    """The text of a page's code: fenced blocks and inline code."""
    return "\n".join(FENCE.findall(markdown) + INLINE_CODE.findall(FENCE.sub("", markdown)))


def mentioned(pattern: re.Pattern[str], *, code_only: bool = False) -> list[tuple[Path, str]]:
    found = []
    for page in PAGES:
        body = LINK.sub(lambda m: m.group(0).split("](")[0] + "]", text(page))  # link targets are (a)'s
        if code_only:
            body = code(body)
        for match in sorted(set(pattern.findall(body))):
            found.append((page, match.rstrip(".,;:)")))
    return found


def path_exists(path: str) -> bool:
    if path in GENERATED:
        return True
    # A placeholder (<widget>, *, ...) stands for files that need not exist: its folder must.
    cut = re.split(r"<|\*|\.\.\.|…", path, maxsplit=1)
    if len(cut) > 1:
        path = cut[0].rsplit("/", 1)[0] + "/" if "/" in cut[0] else cut[0]
    return any((base / path).exists() for base in BASES)


@pytest.mark.parametrize(("page", "path"), mentioned(SLASH_PATH), ids=lambda v: rel(v) if isinstance(v, Path) else v)
def test_file_path_exists(page: Path, path: str) -> None:
    assert path_exists(path), f"{rel(page)} names {path!r}, which is not in the repository"


@functools.lru_cache(maxsize=1)
def known_file_names() -> frozenset[str]:
    names = set()
    for folder in ("ecom_ai_plugin", "sandbox", "tests", "benchmarks", "scripts"):
        names.update(p.name for p in (ROOT / folder).rglob("*") if p.is_file())
    return frozenset(names)


@pytest.mark.parametrize(("page", "name"), mentioned(FILE_NAME, code_only=True), ids=lambda v: rel(v) if isinstance(v, Path) else v)
def test_file_name_exists(page: Path, name: str) -> None:
    assert name in known_file_names(), f"{rel(page)} names {name!r}; no file of the project has that name"


def task_names() -> set[str]:
    import ecom_ai_plugin.tasks as tasks

    return {getattr(tasks, name).name for name in tasks.__all__}


def resolve_dotted(path: str) -> object:
    parts = path.split(".")
    for end in range(len(parts), 0, -1):
        module_name = ".".join(parts[:end])
        try:
            obj: object = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name and not module_name.startswith(exc.name):
                raise  # the module exists but cannot import something it needs
            continue
        for attribute in parts[end:]:
            obj = getattr(obj, attribute)
        return obj
    raise ModuleNotFoundError(path)


@pytest.mark.parametrize(("page", "path"), mentioned(DOTTED), ids=lambda v: rel(v) if isinstance(v, Path) else v)
def test_dotted_path_exists(page: Path, path: str) -> None:
    if CHECK_ID.match(path) or path in task_names():
        return
    try:
        resolve_dotted(path)
    except (ImportError, AttributeError) as exc:
        pytest.fail(f"{rel(page)} names {path!r}, which does not resolve: {exc}")


def test_every_job_kind_is_listed_with_its_queue_and_handler() -> None:
    from ecom_ai_plugin.jobs import BUILTIN_KINDS

    rows = {row.split("|")[1].strip(" `"): row for row in text(ROOT / "docs" / "workers.md").splitlines() if row.startswith("| `")}
    for kind in BUILTIN_KINDS.values():
        assert kind.name in rows, f"docs/workers.md does not list the job kind {kind.name!r}"
        cells = [cell.strip(" `") for cell in rows[kind.name].split("|")[1:-1]]
        assert cells[1:3] == [kind.queue, kind.handler], f"docs/workers.md: {kind.name!r} is {kind.queue}, {kind.handler}"


def test_every_setting_is_in_the_reference() -> None:
    from ecom_ai_plugin.conf import DEFAULTS, MODEL_DEFAULTS

    rows = {row.split("|")[1].strip(" `"): row for row in text(ROOT / "docs" / "settings.md").splitlines() if row.startswith("| `")}
    for key, default in DEFAULTS.items():
        assert key in rows, f"docs/settings.md has no row for ECOM_AI[{key!r}]"
        nested = set().union(*MODEL_DEFAULTS.values()) if key == "MODELS" else set(default) if isinstance(default, dict) else set()
        missing = sorted(sub for sub in nested if f"`{sub}`" not in rows[key] and f'"{sub}"' not in rows[key])
        assert not missing, f"docs/settings.md, ECOM_AI[{key!r}]: {missing} not described"


# -- (c) management commands ---------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Documented:
    page: Path
    line: str
    name: str
    args: tuple[str, ...]

    def __str__(self) -> str:
        return f"{rel(self.page)}: {' '.join([self.name, *self.args])}"


def variants(line: str) -> list[str]:
    """``summarise [--product KEY]``: the line without the optional part, and with it."""
    if "[" not in line:
        return [line]
    return [re.sub(r"\s*\[[^\]]*\]", "", line), re.sub(r"\[([^\]]*)\]", r"\1", line)]


def documented_commands() -> list[Documented]:
    found = []
    for page in PAGES:
        for block in FENCE.findall(text(page)):
            for line in block.splitlines():
                if "manage.py" not in line:
                    continue
                for variant in variants(line):
                    tokens = shlex.split(variant, comments=True)
                    at = next((i for i, t in enumerate(tokens) if t == "manage.py" or t.endswith("/manage.py")), None)
                    if at is None or at + 1 >= len(tokens):
                        continue
                    found.append(Documented(page, line.strip(), tokens[at + 1], tuple(tokens[at + 2 :])))
    return found


COMMANDS = documented_commands()


def command_parser(name: str):
    command = load_command_class(get_commands()[name], name)
    return command.create_parser("manage.py", name)


def test_the_docs_show_commands_and_every_command_of_the_plugin() -> None:
    names = {c.name for c in COMMANDS}
    ours = {name for name, app in get_commands().items() if app == "ecom_ai_plugin"}
    assert ours, "the plugin's commands were not found"
    assert not ours - names, f"commands of the plugin no page shows: {sorted(ours - names)}"


@pytest.mark.parametrize("documented", COMMANDS, ids=str)
def test_documented_command_parses(documented: Documented) -> None:
    assert documented.name in get_commands(), f"{documented}: there is no command {documented.name!r}"
    parser = command_parser(documented.name)
    try:
        parser.parse_args(list(documented.args))
    except SystemExit as exc:  # argparse's own exit (--help...)
        pytest.fail(f"{documented}: the arguments do not parse (exit {exc.code})")
    except Exception as exc:  # CommandError: Django's parser raises instead of exiting
        pytest.fail(f"{documented}: the arguments do not parse: {exc}")


def runnable(documented: Documented) -> tuple[str, ...] | None:
    """The arguments to run a documented command with here, or None when it is not cheap.

    Cheap: the system checks; purchases from orders; one sweep; anything
    ``--async`` (it records a job, which the test's transaction never sends);
    bulk review analysis and summaries, which find nothing to do in an empty
    database.
    """
    name, args = documented.name, documented.args
    if any(arg.isupper() for arg in args):  # a placeholder such as KEY
        return None
    if name == "check":
        return args
    if name == "ecom_ai_backfill" and args[:1] == ("interactions",):
        return args if "--no-progress" in args else (*args, "--no-progress")
    if name == "ecom_ai_sweep" and "--loop" not in args:
        return args
    if name == "ecom_ai_reviews":
        return args if "--no-progress" in args else (*args, "--no-progress")
    if "--async" in args:
        return args
    return None


RUNS = [(c, runnable(c)) for c in COMMANDS if runnable(c) is not None]


def test_the_cheap_commands_are_run() -> None:
    run = {(c.name, *args[:1]) for c, args in RUNS}
    for expected in [("check",), ("ecom_ai_backfill", "interactions"), ("ecom_ai_sweep",)]:
        assert any(r[: len(expected)] == expected for r in run), f"no documented {' '.join(expected)} is run"


@pytest.mark.parametrize(("documented", "args"), RUNS, ids=lambda v: str(v) if isinstance(v, Documented) else None)
def test_documented_command_runs(db, documented: Documented, args: tuple[str, ...]) -> None:
    from ecom_ai_plugin.models import Interaction, Job

    if documented.name == "ecom_ai_backfill":
        from tests.factories import make_order, make_product

        make_order(products=[make_product("Docs Kettle"), make_product("Docs Mug")])
        Interaction.objects.all().delete()  # what the backfill is to recreate
    jobs_before = Job.objects.count()
    out, err = StringIO(), StringIO()
    call_command(documented.name, *args, stdout=out, stderr=err)
    output = out.getvalue()
    if documented.name == "ecom_ai_backfill" and "interactions" in args:
        assert "Interactions: 2 purchases from 1 orders" in output, output
        assert Interaction.objects.count() == 2
    elif documented.name == "ecom_ai_sweep":
        assert output.startswith("Swept: "), output
    elif "--async" in args and documented.name in ("ecom_ai_backfill", "ecom_ai_train"):
        assert output.startswith("Queued job "), output
        assert Job.objects.count() == jobs_before + 1
