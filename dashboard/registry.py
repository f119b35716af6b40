"""The page registry: every page of the app, in menu order. app.py and the tests read it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    """One page of the app.

    Its script under ``pages/``, menu title, URL path, icon, and whether the shared filters apply.
    """

    script: str
    title: str
    url_path: str
    icon: str
    filtered: bool = True
    visible: bool = True


PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/overview.py", "Overview", "overview", ":material/dashboard:"),
    PageSpec("pages/themes.py", "Themes", "themes", ":material/category:"),
    PageSpec("pages/regions.py", "Regions", "regions", ":material/public:"),
    PageSpec("pages/rounds.py", "Dialogue rounds", "rounds", ":material/event:"),
    PageSpec("pages/explorer.py", "Explorer", "explorer", ":material/table:"),
    PageSpec("pages/project.py", "Project", "project", ":material/description:", filtered=False, visible=False),
    PageSpec("pages/sources.py", "Sources & method", "sources", ":material/menu_book:", filtered=False),
    PageSpec("pages/upload.py", "Upload", "upload", ":material/upload_file:", filtered=False),
    PageSpec("pages/history.py", "History", "history", ":material/history:", filtered=False),
)
