"""WCAG 2.2 AA: axe-core finds no violations on any kind of page, on a phone and a laptop, light and dark."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

# Every rule of these tags runs; `best-practice` adds landmarks, heading order, skip-link targets.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]

PAGES = {
    "index": "",
    "event": "events/2022-05-23-ico-final-fine/",
    "event-media": "events/2024-09-03-dutch-ap-fine/",
    "tag": "tags/ico/",
    "sources": "sources/",
    "embed": "embed/",
    "embed-topic": "embed/?tags=ico",
    "embed-compact": "embed/?tags=ico&mode=compact",
    "embed-event": "embed/events/2022-05-23-ico-final-fine/",
}

CASES = [
    pytest.param(name, width, scheme, id=f"{name}-{width}-{scheme}")
    for name in PAGES
    for width in (375, 1280)
    for scheme in ("light", "dark")
]


def _describe(violations: list[dict]) -> str:
    """One paragraph per violated rule: id, impact, what to fix, and where."""
    lines = []
    for violation in violations:
        nodes = violation["nodes"]
        targets = ", ".join(" ".join(node["target"]) for node in nodes[:3])
        more = f" and {len(nodes) - 3} more" if len(nodes) > 3 else ""
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"    at {targets}{more}")
        lines.append(f"    {nodes[0]['failureSummary'].replace(chr(10), ' ')}")
        lines.append(f"    see {violation['helpUrl']}")
    return "\n".join(lines)


@pytest.mark.parametrize(("name", "width", "scheme"), CASES)
def test_axe_finds_no_violations(axe_script, open_page, name: str, width: int, scheme: str) -> None:
    # bypass_csp: the pages' CSP rightly refuses injected script, axe included.
    visit = open_page(PAGES[name], width=width, color_scheme=scheme, bypass_csp=True)
    visit.page.add_script_tag(path=str(axe_script))
    results = visit.page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    assert results["passes"], "axe-core ran no rule that passed: is it checking the page at all?"
    violations = results["violations"]
    assert not violations, (
        f"axe-core {results['testEngine']['version']} found {len(violations)} violated rules on "
        f"/timeline/{PAGES[name]} at {width}px, {scheme}:\n{_describe(violations)}"
    )
