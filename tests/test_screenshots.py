"""The screenshots of the README (tests/screenshots/run) stay in step with the
command and the product: one PNG per screen of the command, at its size,
shown in the README, and every screen it opens exists."""

import re
import struct
import sys
from pathlib import Path

import odoo
from odoo.tools import config

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "screenshots"))

import shoot  # noqa: E402


def _png_size(path):
    # Width and height are the first fields of the IHDR chunk.
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", header[16:24])


def test_x2_screenshots_shown_in_readme_at_their_size():
    folder = REPO / "docs" / "screenshots"
    readme = (REPO / "README.md").read_text()
    shown = set(re.findall(r"docs/screenshots/([\w-]+)\.png", readme))
    names = {shot.name for shot in shoot.SHOTS}
    assert names == {path.stem for path in folder.glob("*.png")}
    assert names == shown
    for shot in shoot.SHOTS:
        size = shoot.PHONE if shot.phone else shoot.DESKTOP
        assert _png_size(folder / f"{shot.name}.png") == size, shot.name


def test_x2_screenshot_screens_exist():
    registry = odoo.modules.registry.Registry(config["db_name"])
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        for shot in shoot.SHOTS:
            action = env.ref(shot.action)
            assert action._name == "ir.actions.act_window", shot.name
            if shot.record:
                assert env.ref(shot.record)._name == action.res_model, shot.name
            if shot.phone:
                assert "kanban" in action.view_mode, shot.name
            assert env["res.users"].search_count([("login", "=", shot.login)])


def test_x7_zh_cn_screenshots_shown_first():
    """The README shows the screens in Chinese (tests/screenshots/run --lang
    zh_CN), desktop and phone, before the English ones."""
    folder = REPO / "docs" / "screenshots" / "zh_CN"
    readme = (REPO / "README.md").read_text()
    names = {shot.name for shot in shoot.SHOTS}
    assert names == {path.stem for path in folder.glob("*.png")}
    shown = set(re.findall(r"docs/screenshots/zh_CN/([\w-]+)\.png", readme))
    assert names == shown
    for shot in shoot.SHOTS:
        size = shoot.PHONE if shot.phone else shoot.DESKTOP
        assert _png_size(folder / f"{shot.name}.png") == size, shot.name
    section = readme[readme.index("## Screenshots") :]
    first_chinese = section.index("docs/screenshots/zh_CN/")
    first_english = re.search(r"docs/screenshots/[\w-]+\.png", section).start()
    assert first_chinese < first_english
    # The first screen of the README already shows the product in Chinese.
    top = readme[: readme.index("## ")]
    assert "docs/screenshots/zh_CN/" in top
    assert "docker compose up -d" in top and "docker compose run --rm tests" in top


def test_x7_screenshot_steps_name_no_text():
    """The screens are reached by action, filter names and CSS selectors
    only, never by a label: the same steps work in every language."""
    for shot in shoot.SHOTS:
        for selector in shot.clicks:
            assert isinstance(selector, str) and selector.startswith("."), shot.name
        for key in shot.context:
            assert key.startswith("search_default_"), shot.name
