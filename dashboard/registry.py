"""The page registry: every page of the app, in menu order. app.py and the tests read it."""

from __future__ import annotations

from dataclasses import dataclass

from domain.i18n import N_


@dataclass(frozen=True)
class PageSpec:
    """One page of the app.

    Its script under ``pages/``, menu title (English; app.py shows it in the user's language), URL path,
    icon, and whether the shared filters apply.
    """

    script: str
    title: str
    url_path: str
    icon: str
    filtered: bool = True
    visible: bool = True


PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/overview.py", N_("Overview"), "overview", ":material/dashboard:"),
    PageSpec("pages/themes.py", N_("Themes"), "themes", ":material/category:"),
    PageSpec("pages/regions.py", N_("Regions"), "regions", ":material/public:"),
    PageSpec("pages/rounds.py", N_("Dialogue rounds"), "rounds", ":material/event:"),
    PageSpec("pages/explorer.py", N_("Explorer"), "explorer", ":material/table:"),
    PageSpec("pages/timeline.py", N_("Over time"), "timeline", ":material/timeline:"),
    PageSpec("pages/results.py", N_("Results"), "results", ":material/flag:"),
    PageSpec("pages/commitments.py", N_("Commitments & disbursements"), "commitments", ":material/payments:"),
    PageSpec("pages/project.py", N_("Project"), "project", ":material/description:", filtered=False, visible=False),
    PageSpec("pages/sources.py", N_("Sources & method"), "sources", ":material/menu_book:", filtered=False),
    PageSpec("pages/upload.py", N_("Upload"), "upload", ":material/upload_file:", filtered=False),
    PageSpec("pages/history.py", N_("History"), "history", ":material/history:", filtered=False),
)
