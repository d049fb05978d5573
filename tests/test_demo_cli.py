"""`photosearch demo` and searches on its folder, through the real CLI, with each shipped model.

The captions the demo writes say what every photo shows, so the tests can check that
results are right, not just that there are results.
"""

from __future__ import annotations

from pathlib import Path

from cli_support import DEMO_COUNT as COUNT
from cli_support import run_json

from engine.demo.scenes.captions import caption
from engine.demo.scenes.held_out import held_out_scenes
from engine.demo.scenes.matching import caption_satisfies
from engine.demo.scenes.render import render_scene

TOP = 5


def _hits(demo_library, query: str, constraint: str | None = None) -> int:
    """How many of the top results for ``query`` satisfy ``constraint`` (default: query)."""
    _, folder, library, captions, _ = demo_library
    results = run_json("search", query, "-k", str(TOP), library=library)
    assert len(results) == TOP
    names = [str(Path(r["path"]).relative_to(folder)) for r in results]
    return sum(caption_satisfies(captions[n], constraint or query) for n in names)


def test_demo_renders_captions_indexes_and_shows_searches(demo_library):
    _, folder, library, captions, stdout = demo_library
    assert len(captions) == COUNT
    assert {Path(n).suffix for n in captions} == {".jpg", ".png"}
    assert f"{COUNT} new" in stdout
    assert 'photosearch search "two blue squares"' in stdout and "photos match" in stdout
    status = run_json("status", library=library)
    assert status["photos"] == COUNT


def test_red_circle_query_returns_red_circles(demo_library):
    assert _hits(demo_library, "a red circle") >= TOP - 1


def test_two_blue_squares_returns_matching_captions(demo_library):
    assert _hits(demo_library, "two blue squares") >= TOP - 1


def test_two_attribute_query_beats_its_one_attribute_relatives(demo_library):
    both = _hits(demo_library, "a red circle")
    assert both > _hits(demo_library, "a circle", "a red circle")
    assert both > _hits(demo_library, "a red shape", "a red circle")


def test_image_query_finds_the_same_scene_first(demo_library, tmp_path):
    _, folder, library, captions, _ = demo_library
    from app.commands.demo import EXAMPLE_QUERIES

    index = 7
    scene = held_out_scenes(COUNT, 0, EXAMPLE_QUERIES)[index]
    name = next(n for n in captions if n.startswith(f"scene_{index:05d}."))
    assert captions[name] == caption(scene)
    query = tmp_path / "same-scene-other-size.png"  # not in the library: encoded afresh
    render_scene(scene, (1024, 768)).save(query)
    results = run_json("search", "--image", str(query), "-k", "3", library=library)
    assert Path(results[0]["path"]).name == name


def test_two_blue_squares_in_chinese_returns_two_blue_squares(demo_library):
    assert _hits(demo_library, "两个蓝色方块", "two blue squares") >= TOP - 1


def test_a_two_attribute_chinese_query_beats_its_one_attribute_relatives(demo_library):
    both = _hits(demo_library, "红色圆形", "a red circle")
    assert both >= TOP - 1
    assert both > _hits(demo_library, "圆形", "a red circle")
    assert both > _hits(demo_library, "红色图形", "a red circle")


def test_a_chinese_relation_query_finds_that_relation(demo_library):
    assert (
        _hits(demo_library, "红色圆形左边的绿色三角形", "a green triangle left of a red circle")
        >= 3
    )


def test_the_demo_shows_chinese_searches_beside_the_english_ones(demo_library):
    stdout = demo_library[4]
    english = stdout.index('photosearch search "two blue squares"')
    chinese = stdout.index('photosearch search "两个蓝色方块"')
    assert english < chinese < stdout.index('photosearch search "a yellow star')
