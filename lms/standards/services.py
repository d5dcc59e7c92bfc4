"""The standards reference: sync from files, read for pages, and the coverage matrix."""

from collections import defaultdict
from dataclasses import dataclass, field

from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lms.content.files import content_hash
from lms.content.markdown import CitedItem, plain_text, render_markdown
from lms.db import db, utcnow
from lms.generations import CONTENT, cached, changed
from lms.search.services import IndexEntry, index_documents
from lms.standards.loader import ItemSpec, SectionSpec
from lms.standards.models import StandardCitation, StandardItem, StandardItemRevision, StandardSection
from lms.standards.sources import ItemSource
from lms.urls import path_for

CITATION_KINDS = ("lesson", "question", "criterion")


def item_sort_key(item: StandardItem):
    number, letter = item.code.split("-")
    return [int(p) for p in number.split(".")], letter


def item_url(code: str) -> str:
    return path_for("standards.item", item_code=code)


def item_lookup():
    """A function code → CitedItem (title, url, source) over every item, for rendering [[code]] citations."""
    items = {code: (title, source) for code, title, source
             in db.session.execute(select(StandardItem.code, StandardItem.title, StandardItem.source))}

    def lookup(code: str):
        found = items.get(code)
        return None if found is None else CitedItem(found[0], item_url(code), str(found[1]))

    return lookup


@dataclass
class SyncCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: int = 0  # changed in the files, but edited in the browser since: kept (lms.content.edits)

    def __str__(self) -> str:
        kept = f", {self.kept} kept as edited in the browser" if self.kept else ""
        return f"{self.created} new, {self.updated} changed, {self.unchanged} unchanged{kept}"

    def tally(self, is_new: bool, changed: bool) -> None:
        """Count one synced file: new, changed (a new version) or unchanged."""
        if is_new:
            self.created += 1
        elif changed:
            self.updated += 1
        else:
            self.unchanged += 1


def sync_by_slug(slug_column, specs, save) -> SyncCounts:
    """Save each spec with ``save(spec) -> (row, changed)`` and count new, changed and unchanged ones;
    which slugs exist already is read in one query."""
    existing = set(db.session.scalars(select(slug_column).where(slug_column.in_([s.slug for s in specs]))))
    counts = SyncCounts()
    for spec in specs:
        _row, changed = save(spec)
        counts.tally(spec.slug not in existing, changed)
    return counts


@dataclass
class StandardsSyncResult:
    sections: SyncCounts = field(default_factory=SyncCounts)
    items: SyncCounts = field(default_factory=SyncCounts)
    revised_items: list[str] = field(default_factory=list)


def _sync_section(spec: SectionSpec, position: int, sections: dict, lookup, result: StandardsSyncResult):
    digest = content_hash({"title": spec.title, "body": spec.body, "position": position})
    section = sections.get(spec.number)
    is_new = section is None
    if is_new:
        section = StandardSection(number=spec.number, chapter=spec.chapter, level=spec.level)
        db.session.add(section)
        sections[spec.number] = section
    result.sections.tally(is_new=is_new, changed=section.content_hash != digest)
    if section.content_hash != digest:
        section.title, section.body_md, section.position = spec.title, spec.body, position
        section.body_html = render_markdown(spec.body, lookup)
        section.content_hash = digest
    return section


def _wording(item: StandardItem) -> tuple:
    """What a revision keeps: the title, the description and where the item comes from."""
    return item.title, item.description_md, item.source, item.source_note


def _spec_wording(spec: ItemSpec) -> tuple:
    return spec.title, spec.description, spec.source, spec.source_note


def _revise_item(item: StandardItem, spec: ItemSpec, section: StandardSection, position: int, lookup,
                 result: StandardsSyncResult) -> None:
    """Bring an item in line with its file; new wording or a new source keeps the old one as a revision."""
    if _wording(item) != _spec_wording(spec):
        db.session.add(StandardItemRevision(item_id=item.id, revision=item.revision, title=item.title,
                                            description_md=item.description_md, source=item.source,
                                            source_note=item.source_note))
        item.revision += 1
        item.revised_at = utcnow()
        result.revised_items.append(item.code)
    item.title, item.description_md = spec.title, spec.description
    item.source, item.source_note = spec.source, spec.source_note
    item.description_html = render_markdown(spec.description, lookup)
    item.is_retired, item.section_id, item.position = spec.is_retired, section.id, position


def _sync_item(spec: ItemSpec, position: int, section: StandardSection, items: dict, lookup,
               result: StandardsSyncResult) -> None:
    item = items.get(spec.code)
    if item is None:
        item = StandardItem(code=spec.code, section_id=section.id, position=position, title=spec.title,
                            description_md=spec.description, description_html=render_markdown(spec.description, lookup),
                            is_retired=spec.is_retired, source=spec.source, source_note=spec.source_note)
        db.session.add(item)
        items[item.code] = item
        result.items.created += 1
    elif _wording(item) == _spec_wording(spec) and (item.is_retired, item.section_id) == (spec.is_retired, section.id):
        if item.position != position:
            item.position = position
        result.items.unchanged += 1
    else:
        _revise_item(item, spec, section, position, lookup, result)
        result.items.updated += 1


def sync_standards(chapters: list[tuple[str, list[SectionSpec]]]) -> StandardsSyncResult:
    """Create or update sections and items from parsed files. A changed item keeps its old wording as
    a revision. Items missing from the files are retired, never deleted (other content cites them)."""
    result = StandardsSyncResult()
    changed(CONTENT)  # item titles and retirements show in the coverage matrix, from a cache
    sections = {s.number: s for s in db.session.scalars(select(StandardSection))}
    items = {i.code: i for i in db.session.scalars(select(StandardItem))}
    all_specs = [s for _path, specs in chapters for s in specs]
    known = {i.code: (i.title, i.source) for s in all_specs for i in s.items}

    def lookup(code):
        found = known.get(code) or ((items[code].title, items[code].source) if code in items else None)
        return None if found is None else CitedItem(found[0], item_url(code), str(found[1]))

    search_entries = []
    for position, spec in enumerate(all_specs, start=1):
        section = _sync_section(spec, position, sections, lookup, result)
        search_entries.append(IndexEntry("section", spec.number, f"{spec.number} {spec.title}", plain_text(spec.body)))
        db.session.flush()
        for index, item_spec in enumerate(spec.items, start=1):
            _sync_item(item_spec, index, section, items, lookup, result)
            search_entries.append(IndexEntry("item", item_spec.code, f"{item_spec.code} {item_spec.title}",
                                             plain_text(item_spec.description)))
    seen_items = {i.code for s in all_specs for i in s.items}
    for item in items.values():
        if item.code not in seen_items and not item.is_retired:
            item.is_retired = True
            result.items.updated += 1
    index_documents(search_entries)
    db.session.flush()
    return result


# ---------------------------------------------------------------- reading


def list_chapters() -> list[tuple[StandardSection, int]]:
    """Chapter sections with their number of active items."""
    chapters = list(db.session.scalars(select(StandardSection).where(StandardSection.level == 1)
                                       .order_by(StandardSection.position)))
    counts: dict[int, int] = defaultdict(int)
    for code in db.session.scalars(select(StandardItem.code).where(StandardItem.is_retired.is_(False))):
        counts[int(code.split(".", 1)[0])] += 1
    return [(c, counts[c.chapter]) for c in chapters]


def chapter_sections(chapter: int) -> list[StandardSection]:
    return list(db.session.scalars(
        select(StandardSection).where(StandardSection.chapter == chapter)
        .options(selectinload(StandardSection.items)).order_by(StandardSection.position)))


def get_item(code: str) -> StandardItem | None:
    return db.session.scalar(select(StandardItem).where(StandardItem.code == code)
                             .options(selectinload(StandardItem.section)))


def centre_practice_codes(codes: list[str]) -> list[str]:
    """Those of ``codes`` whose items are centre practice (the standards document is silent there), in the
    order given, each once; one query."""
    wanted = list(dict.fromkeys(codes))
    if not wanted:
        return []
    centre = set(db.session.scalars(select(StandardItem.code).where(StandardItem.code.in_(wanted),
                                                                    StandardItem.source == ItemSource.CENTRE)))
    return [code for code in wanted if code in centre]


def item_revisions(item: StandardItem) -> list[StandardItemRevision]:
    return list(db.session.scalars(select(StandardItemRevision).where(StandardItemRevision.item_id == item.id)
                                   .order_by(StandardItemRevision.revision.desc())))


def citations_for(item_ids: list[int]) -> dict[int, dict[str, list[StandardCitation]]]:
    """Citations of the given items grouped by item and kind, in one query."""
    grouped: dict[int, dict[str, list[StandardCitation]]] = defaultdict(lambda: defaultdict(list))
    if item_ids:
        for citation in db.session.scalars(select(StandardCitation).where(StandardCitation.item_id.in_(item_ids))
                                           .order_by(StandardCitation.label)):
            grouped[citation.item_id][citation.kind].append(citation)
    return grouped


@dataclass
class CoverageRow:
    item: StandardItem
    lessons: list[StandardCitation]
    questions: list[StandardCitation]
    criteria: list[StandardCitation]

    @property
    def uncovered(self) -> bool:
        return not (self.lessons or self.questions or self.criteria)

    @property
    def gaps(self) -> list[str]:
        return [kind for kind, rows in (("lesson", self.lessons), ("question", self.questions),
                                        ("criterion", self.criteria)) if not rows]


def coverage_matrix(chapter: int | None) -> list[CoverageRow]:
    """For every active item (of one chapter, or all): where it is taught, tested and assessed."""
    stmt = select(StandardItem).where(StandardItem.is_retired.is_(False)).order_by(StandardItem.section_id,
                                                                                   StandardItem.position)
    if chapter:
        stmt = stmt.where(StandardItem.code.like(f"{chapter}.%"))
    items = sorted(db.session.scalars(stmt), key=item_sort_key)
    cited = citations_for([i.id for i in items])
    return [CoverageRow(i, cited[i.id]["lesson"], cited[i.id]["question"], cited[i.id]["criterion"]) for i in items]


@dataclass
class CoverageReport:
    rows: list[CoverageRow]  # the rows to show (only those with gaps, if asked)
    total: int
    uncovered: int  # covered by nothing
    untaught: int  # taught by no lesson


def coverage_report(chapter: int | None, only_gaps: bool = False) -> CoverageReport:
    """The coverage matrix with its totals; ``only_gaps`` keeps the items nothing covers or no lesson teaches."""
    rows = coverage_matrix(chapter)
    report = CoverageReport(rows, total=len(rows), uncovered=sum(1 for r in rows if r.uncovered),
                            untaught=sum(1 for r in rows if not r.lessons))
    if only_gaps:
        report.rows = [r for r in rows if r.uncovered or not r.lessons]
    return report


@dataclass(frozen=True)
class ChapterPage:
    title: str
    html: Markup  # the chapter's contents, sections and items, rendered


def chapter_page(chapter: int) -> ChapterPage | None:
    """A chapter rendered for the reader's language, or None if there is no such chapter. It depends only
    on content, so it is built once per content generation and reused."""
    from flask import render_template
    from flask_babel import get_locale

    def build() -> ChapterPage | None:
        sections = chapter_sections(chapter)
        if not sections:
            return None
        html = render_template("standards/_chapter_body.html", sections=sections, chapter=sections[0],
                               chapters=list_chapters())
        return ChapterPage(f"{sections[0].number} {sections[0].title}", Markup(html))

    return cached(CONTENT, ("chapter", str(get_locale()), chapter), build)


@dataclass(frozen=True)
class ChapterAssessment:
    """How much of a chapter the simulated calls and written exercises assess."""

    number: str
    title: str
    total: int  # active items
    assessed: int  # of them, cited by a call or exercise criterion

    @property
    def percent(self) -> int:
        return round(100 * self.assessed / self.total) if self.total else 0


def assessment_by_chapter() -> list[ChapterAssessment]:
    """Per chapter, its active items and how many a scenario criterion cites (the matrix's "assessed")."""
    cited = set(db.session.scalars(select(StandardCitation.item_id).where(StandardCitation.kind == "criterion")
                                   .distinct()))
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for item_id, code in db.session.execute(select(StandardItem.id, StandardItem.code)
                                            .where(StandardItem.is_retired.is_(False))):
        counts = totals[int(code.split(".", 1)[0])]
        counts[0] += 1
        counts[1] += item_id in cited
    return [ChapterAssessment(section.number, section.title, *totals[section.chapter])
            for section, _n in list_chapters() if totals[section.chapter][0]]


@dataclass(frozen=True)
class CoverageTable:
    total: int
    uncovered: int
    untaught: int
    html: Markup  # the matrix, rendered
    chapters: tuple[ChapterAssessment, ...] = ()  # the share of each chapter assessed in calls and exercises


def coverage_table(chapter: int | None, only_gaps: bool, authoring: bool) -> CoverageTable:
    """The coverage matrix rendered, for the reader's language and role (authors get links to questions
    and scenarios). It depends only on content, so it is built once per content generation and reused:
    building it (some 1,400 citations at the shipped curriculum) took ~120 ms of CPU per request."""
    from flask import render_template
    from flask_babel import get_locale

    def build() -> CoverageTable:
        report = coverage_report(chapter, only_gaps)
        html = render_template("standards/_coverage_table.html", rows=report.rows, authoring=authoring)
        chapters = tuple(c for c in assessment_by_chapter() if not chapter or c.number == str(chapter))
        return CoverageTable(report.total, report.uncovered, report.untaught, Markup(html), chapters)

    return cached(CONTENT, ("coverage", str(get_locale()), chapter, only_gaps, authoring), build)


def search_results_html(q: str) -> Markup:
    """The standards search's results for ``q``, rendered for the reader's language. They depend only on the
    standards (their import changes the content generation), so each query's results are kept per content
    generation (the shared store keeps the most recent thousand queries)."""
    from flask import render_template
    from flask_babel import get_locale

    from lms.search.services import search

    def build() -> Markup:
        return Markup(render_template("standards/_search_results.html", q=q, hits=search(q, ("section", "item"))))

    return cached(CONTENT, ("standards-search", str(get_locale()), q), build)


def replace_citations(kind: str, ref_ids: list[int], rows: list[tuple[int, str, str, list[str]]]) -> None:
    """Replace the citations of ``kind`` for the given refs with rows (ref_id, label, link, item codes)."""
    from sqlalchemy import delete

    if ref_ids:
        db.session.execute(delete(StandardCitation).where(StandardCitation.kind == kind,
                                                          StandardCitation.ref_id.in_(ref_ids)))
    changed(CONTENT)  # the coverage matrix shows citations from a cache
    codes = {code for _r, _l, _k, item_codes in rows for code in item_codes}
    ids = dict(db.session.execute(select(StandardItem.code, StandardItem.id)
                                  .where(StandardItem.code.in_(codes))).all()) if codes else {}
    seen = set()
    for ref_id, label, link, item_codes in rows:
        for code in item_codes:
            if code in ids and (ids[code], ref_id) not in seen:
                seen.add((ids[code], ref_id))
                db.session.add(StandardCitation(item_id=ids[code], kind=kind, ref_id=ref_id, label=label[:300],
                                                link=link[:300]))
