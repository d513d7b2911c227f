"""PF wrappers render ARIA props hyphenated, including names that extend another (aria-labelledby)."""

from maas_ui import pf


def test_aria_props_are_hyphenated():
    props = pf.Modal.create(aria_labelledby="t", aria_label="l", aria_describedby="d").render()["props"]
    assert sorted(props) == ['"aria-describedby":"d"', '"aria-label":"l"', '"aria-labelledby":"t"']
