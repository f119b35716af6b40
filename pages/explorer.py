"""Explorer: the allocation table under the shared filters, with the totals shown and the exports."""

import pandas as pd
import streamlit as st

from dashboard.cache import shipped_results as results_file
from dashboard.cache import transactions
from dashboard.results import reported_rows
from dashboard.sidebar import described
from dashboard.url import read_table_url, write_table_url
from dashboard.widgets import PageContext, data_caption, kpi_label, md_escape, no_rows, page_of, require_router
from domain.fmt import eur, meur
from domain.i18n import _, ngettext
from viewmodels import explorer as vm

require_router(__file__)

ctx = PageContext()
lang, pub, profile = ctx.lang, ctx.pub, ctx.profile
allocations = ctx.data.allocations
has_contracts = bool(len(pub.dataset.contracts))
offered = vm.choices(has_contracts)
options, defaults = list(offered.options), list(offered.defaults)

st.title(_("Explore and export allocations", lang))
data_caption(pub, ctx.filters, len(allocations), lang)
if drill := st.session_state.pop("_drill_note", None):
    st.info(drill, icon=":material/filter_alt:")

# The chosen columns and sort travel in the link (?columns=…&sort=…&order=asc), so a shared view is the same view.
chooser = offered.chooser
if unread := read_table_url(chooser, options, defaults, list(offered.sortable), offered.default_sort):
    st.warning(
        _("This link holds values that are not applied: ", lang) + md_escape("; ".join(unread)),
        icon=":material/link_off:",
    )
columns = st.multiselect(
    _("Columns", lang),
    options,
    key=chooser,
    format_func=lambda c: vm.header(c, lang),
    help=_("The same columns go into every download.", lang),
)
left, right = st.columns([3, 1])
sort_by = left.selectbox(
    _("Sort by", lang),
    list(offered.sortable),
    key="sort_by",
    format_func=lambda c: vm.header(c, lang),
)
descending = right.toggle(_("Largest first", lang), key="sort_desc")
write_table_url(columns, defaults, sort_by, offered.default_sort, descending)
if allocations.empty:
    no_rows(lang)
    st.stop()
if not columns:
    st.warning(_("Choose at least one column.", lang))
    st.stop()


# Only the order is kept (cached) and only the page on screen is built; the downloads build the
# whole table when clicked (1M projects: no sorted copy nor export table held per sort and columns).
rows = ctx.view(vm.explorer_rows, has_contracts)
order = ctx.view(vm.sort_order, sort_by, descending, of="allocations")
totals = ctx.view(vm.scope_totals, of="allocations")
total = totals.total
k1, k2, k3, k4 = st.columns(4)
k1.metric(kpi_label(_("Projects shown", lang), ctx.filters, lang), f"{len(order)}", border=True)
for column, label, amount in (
    (k2, _("Total shown", lang), total),
    (k3, _("National", lang), totals.national),
    (k4, _("Regional", lang), totals.regional),
):
    column.metric(kpi_label(label, ctx.filters, lang), meur(amount, lang), help=eur(amount, lang), border=True)

on_page = page_of(pd.Series(order), "explorer_page", lang).to_numpy()
# only the rows on screen are built, labelled and sent, each with a link to its project's page
links = vm.link_params(lang, pub.name, pub.is_latest, pub.info.number)
display = vm.display_table(rows, on_page, columns, lang, links)
kinds = {
    "column": lambda spec: st.column_config.Column(spec.label),
    "link": lambda spec: st.column_config.LinkColumn(spec.label, display_text=_("open", lang), width="small"),
    "text": lambda spec: st.column_config.TextColumn(spec.label, width="medium"),
    "number": lambda spec: st.column_config.NumberColumn(spec.label, format="localized"),
    "date": lambda spec: st.column_config.DateColumn(spec.label, format=spec.date_format),
}
config = {spec.code: kinds[spec.kind](spec) for spec in vm.column_specs(columns, lang)}
st.dataframe(display, hide_index=True, column_config=config, key="explorer_table")
if unknown := vm.unknown_dates(rows, columns):
    st.caption(
        ngettext(
            "{n} approval date is unknown: the sources do not give it.",
            "{n} approval dates are unknown: the sources do not give them.",
            unknown,
            lang,
        )
    )

st.subheader(_("Download exactly this table", lang))
about = vm.about(
    dataset=pub.name,
    version=pub.version,
    number=pub.info.number,
    sha256=pub.info.file_sha256,
    filters=tuple(described(ctx.filters, lang)),
    profile=profile,
    has_contracts=has_contracts,
    columns=columns,
    lang=lang,
    now=pd.Timestamp.now(tz="UTC"),
)
contracts = ctx.data.contracts if has_contracts else None
downloads = vm.downloads(
    table=lambda download_lang: vm.download_table(rows, order, columns, contracts, download_lang),
    about=about,
    results=lambda: (reported_rows(ctx.data, vm.shown_references(rows, order)), results_file().file_name),
    iati=lambda: vm.iati_file(
        ctx.data.records, about, pub.info.published_at.date(), transactions(pub), ctx.data.sectors
    ),
    stem=vm.file_stem(pub.name, profile.communique),
    number=pub.info.number,
    lang=lang,
)
for column, download in zip(st.columns(len(downloads)), downloads, strict=True):
    column.download_button(
        download.label,
        data=download.data,
        file_name=download.file_name,
        mime=download.mime,
        key=download.key,
        icon=":material/download:",
        help=download.help,
    )
st.caption(
    _(
        "{n} rows, {total} in total: the downloads hold exactly these rows (every page of the table) and the "
        "columns above, in this order. Text that a spreadsheet would read as a formula is neutralised.",
        lang,
        n=len(order),
        total=md_escape(eur(total, lang)),
    )
)
