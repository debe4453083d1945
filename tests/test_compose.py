"""Docker cannot run on the machines that test this project, so these tests
check that docker-compose.yml and odoo.conf agree with each other and with
the repository: what `docker compose up -d` would start can find the addons,
the OCA addons and the database, and `docker compose run --rm tests` runs
tests/run in an image (docker/tests.Dockerfile) that installs the same
requirement files as .ci/run."""

import configparser
import importlib.util
import posixpath
import re
import shlex
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
ADDONS = ("crm_custom", "crm_custom_service", "crm_custom_reports")


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((REPO / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def odoo_conf():
    parser = configparser.ConfigParser()
    parser.read(REPO / "odoo.conf")
    return parser["options"]


def _mounts(service):
    """{container path: source} of a service's volumes."""
    mounts = {}
    for volume in service.get("volumes", []):
        source, target = volume.split(":")[:2]
        mounts[target] = source
    return mounts


def test_x1_services_and_images(compose):
    services = compose["services"]
    assert services["odoo"]["image"] == "odoo:18.0"
    assert services["db"]["image"] == "postgres:16"
    assert "8069:8069" in services["odoo"]["ports"]
    assert services["odoo"]["depends_on"]["db"]["condition"] == "service_healthy"
    assert (
        services["odoo"]["depends_on"]["oca-addons"]["condition"]
        == "service_completed_successfully"
    )


def test_x1_odoo_conf_is_the_mounted_configuration(compose):
    mounts = _mounts(compose["services"]["odoo"])
    assert mounts["/etc/odoo/odoo.conf"] == "./odoo.conf"


def test_x1_addons_path_holds_the_three_addons_and_helpdesk(compose, odoo_conf):
    services = compose["services"]
    mounts = _mounts(services["odoo"])
    addons_path = [p.strip() for p in odoo_conf["addons_path"].split(",")]
    found = {}
    for container_path, source in mounts.items():
        parent = posixpath.dirname(container_path)
        if parent in addons_path and source.startswith("./"):
            name = posixpath.basename(container_path)
            assert (REPO / source[2:] / "__manifest__.py").is_file(), source
            found[name] = container_path
    assert set(ADDONS) <= set(found), f"addons reachable: {sorted(found)}"

    # helpdesk_mgmt: unpacked by the oca-addons service into a named volume
    # that the odoo service mounts on an addons_path entry.
    oca_volume = next(
        source
        for target, source in mounts.items()
        if target in addons_path and not source.startswith("./")
    )
    assert oca_volume in compose["volumes"]
    oca_mounts = _mounts(services["oca-addons"])
    target = next(t for t, s in oca_mounts.items() if s == oca_volume)
    assert target in addons_path
    command = " ".join(services["oca-addons"]["command"])
    assert f"{target}/" in command
    # Every OCA addon of requirements-addons.txt is fetched, same version.
    requirements = _requirement_lines(REPO / "requirements-addons.txt")
    assert requirements
    for requirement in requirements:
        assert requirement in command, requirement
        addon = re.match(r"odoo-addon-(\w+)", requirement).group(1)
        assert f"odoo/addons/{addon}" in command, addon


def test_x1_database_settings_match(compose, odoo_conf):
    db = compose["services"]["db"]
    assert odoo_conf["db_host"] == "db"
    assert odoo_conf["db_port"] == "5432"
    assert odoo_conf["db_user"] == db["environment"]["POSTGRES_USER"]
    assert odoo_conf["db_password"] == db["environment"]["POSTGRES_PASSWORD"]
    command = compose["services"]["odoo"]["command"]
    assert command[command.index("-d") + 1] == odoo_conf["db_name"]
    assert command[command.index("-c") + 1] == "/etc/odoo/odoo.conf"
    assert set(_start_odoo().ADDONS.split(",")) == set(ADDONS)
    assert _mounts(compose["services"]["odoo"])["/var/lib/odoo"] == "odoo-data"
    assert odoo_conf["data_dir"] == "/var/lib/odoo"


def _requirement_lines(path):
    return [
        line.strip()
        for line in path.read_text().splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


def _start_odoo():
    spec = importlib.util.spec_from_file_location(
        "start_odoo", REPO / "docker" / "start-odoo.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _shell_commands(text):
    """The commands of a shell script or Dockerfile, one per item: comments
    dropped, continuation lines joined, split on newlines, && and ;."""
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    joined = "\n".join(lines).replace("\\\n", " ")
    return [
        part.strip()
        for line in joined.splitlines()
        for part in re.split(r"&&|;", line)
        if part.strip()
    ]


def _pip_installs(text):
    """{(requirement files, --no-deps)} of the pip installs of a script."""
    installs = set()
    for command in _shell_commands(text):
        words = shlex.split(command)
        if "pip" not in " ".join(words) or "install" not in words:
            continue
        files = frozenset(
            posixpath.basename(words[i + 1]) for i, w in enumerate(words) if w == "-r"
        )
        if files:
            installs.add((files, "--no-deps" in words))
    return installs


def test_x7_odoo_service_starts_chinese_by_default(compose, odoo_conf):
    """`docker compose up -d` runs docker/start-odoo.py: the first start
    creates the database in zh_CN with a company in China (checked on a
    real install by tests/test_x7_chinese_default.py)."""
    odoo = compose["services"]["odoo"]
    command = odoo["command"]
    script = next(word for word in command if word.endswith("start-odoo.py"))
    assert _mounts(odoo)[script] == "./docker/start-odoo.py"
    start_odoo = _start_odoo()
    assert start_odoo.LANG == "zh_CN"
    assert start_odoo.COMPANY["currency"] == "base.CNY"
    assert start_odoo.COMPANY["country"] == "base.cn"
    assert start_odoo.COMPANY["tz"] == "Asia/Shanghai"
    # The same addons as the test database of tests/run.
    run = (REPO / "tests" / "run").read_text()
    installed = re.search(r"-i (\S+)", run).group(1)
    assert installed == start_odoo.ADDONS


def test_x7_tests_service_runs_tests_run(compose):
    """`docker compose run --rm tests` runs exactly tests/run, on the
    mounted repository, against the db service."""
    services = compose["services"]
    tests = services["tests"]
    assert tests["command"] == ["tests/run"]
    assert tests.get("entrypoint") == []
    mounts = _mounts(tests)
    assert mounts[tests["working_dir"]] == "."
    assert (REPO / tests["build"]["context"] / "tests" / "run").is_file()
    assert tests["depends_on"]["db"]["condition"] == "service_healthy"
    # Not started by `docker compose up -d`.
    assert tests["profiles"]
    assert "profiles" not in services["odoo"]
    # tests/run's environment points at the db service and its role.
    env = tests["environment"]
    db_env = services["db"]["environment"]
    run = (REPO / "tests" / "run").read_text()
    for variable in ("PGHOST", "PGPORT", "ODOO_DB_USER"):
        assert variable in run, variable
    assert env["PGHOST"] == "db"
    assert env["PGPORT"] == "5432"
    assert env["ODOO_DB_USER"] == db_env["POSTGRES_USER"]
    assert env["PGPASSWORD"] == db_env["POSTGRES_PASSWORD"]


def test_x7_tests_image_installs_what_ci_installs(compose):
    """docker/tests.Dockerfile: the official odoo:18.0 image, Chromium for
    the tours, and the requirement files of .ci/run, installed the same way
    (the OCA addons without dependencies)."""
    build = compose["services"]["tests"]["build"]
    dockerfile = (REPO / build["context"] / build["dockerfile"]).read_text()
    instructions = [
        line.split(None, 1)
        for line in dockerfile.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    froms = [rest[0].strip() for word, *rest in instructions if word == "FROM"]
    assert froms == ["odoo:18.0"]
    # A Chromium Odoo's test browser finds (odoo.tests.common._find_executable).
    assert re.search(r"\b(google-chrome|chromium)\b", dockerfile)
    assert "pytest-odoo" in (REPO / "requirements.txt").read_text()
    assert "websocket-client" in (REPO / "requirements.txt").read_text()

    ci_installs = _pip_installs((REPO / ".ci" / "run").read_text())
    image_installs = _pip_installs(dockerfile)
    assert ci_installs, "no pip install -r in .ci/run"
    assert image_installs == ci_installs
    # Each installed requirement file is copied into the image and passes
    # the .dockerignore.
    copied = " ".join(rest[0] for word, *rest in instructions if word == "COPY")
    ignore = (REPO / ".dockerignore").read_text()
    for files, _no_deps in image_installs:
        for name in files:
            assert (REPO / name).is_file(), name
            assert name in copied, name
            assert f"!{name}" in ignore, name
    without_deps = {n for files, no_deps in image_installs if no_deps for n in files}
    assert "requirements-addons.txt" in without_deps


def test_x7_ci_sets_odoo_up_before_tests_run():
    """.ci/run makes Odoo importable (tests/setup-odoo) before tests/run."""
    commands = _shell_commands((REPO / ".ci" / "run").read_text())
    first_word = []
    for command in commands:
        words = shlex.split(command)
        first_word.append(words[1] if words[0] == "exec" else words[0])
    assert "tests/setup-odoo" in first_word
    assert first_word.index("tests/setup-odoo") < first_word.index("tests/run")
    assert first_word[-1] == "tests/run"
    assert (REPO / "tests" / "setup-odoo").stat().st_mode & 0o111
