"""The versions page: every released version (git tag v*) with its day, its changelog entry,
its address and downloads, and the SHA-256 of each table's CSV at the tag. Made from git at
build time, so it never needs editing; outside a git checkout it says there is no release."""

from __future__ import annotations

from docnodes import DOWNLOADS, generated, para, table
from docutils import nodes
from package_summary import package_of
from site_address import site_url
from sphinx.util.docutils import SphinxDirective
from table_layout import region
from table_nodes import identifier

from civic_space.gitdata import Release, releases, tags_state
from civic_space.i18n import _


def version_url(config, tag: str) -> str:
    """A version's published address: the site publishes each tag beside the one being built
    (…/v0.1.0/ next to …/main/, see .github/workflows/pages.yml)."""
    here = site_url(config)
    return here.rstrip("/").rpartition("/")[0] + f"/{tag}/" if here else ""


class VersionsDirective(SphinxDirective):
    @generated
    def run(self) -> list[nodes.Node]:
        base = package_of(self.config).base
        reads_tags(self.env, base)
        found = releases(base)
        if not found:
            return [para(_("No version has been released yet."))]
        return [node for release in found for node in self.version(release)]

    def version(self, release: Release) -> list[nodes.Node]:
        section = nodes.section(ids=[f"version-{release.tag}"])
        title = f"{release.tag} ({release.day})"
        section += nodes.title(title, title)
        # The changelog is the maintainers' own Markdown (the data never reaches it): parsed
        # as the changelog page parses it.
        section += self.parse_text_to_nodes(release.notes)
        url = version_url(self.config, release.tag)
        if url:
            section += para(
                _("Site and downloads of this version: "),
                nodes.reference("", url, refuri=url),
                " · ",
                nodes.reference("", "SHA256SUMS", refuri=f"{url}{DOWNLOADS}/SHA256SUMS"),
            )
        rows = [
            [[identifier(name, name)], [nodes.literal("", digest)]]
            for name, digest in sorted(release.checksums.items())
        ]
        label = _("SHA-256 of each table's CSV in {tag}").format(tag=release.tag)
        section += nodes.rubric("", label)
        section += region(table([_("File"), "SHA-256"], rows), label)
        return [section]


def reads_tags(env, base) -> None:
    """Record that the page being read shows the release tags: it is read again when they
    change (a file dependency cannot say so: a new tag changes no file that was there)."""
    env.tag_pages = getattr(env, "tag_pages", set()) | {env.docname}
    env.tags_read = tags_state(base)


def tags_changed(app, env, added, changed, removed) -> list[str]:
    """At env-get-outdated: the pages that show the tags, if the tags are not as when read."""
    if getattr(env, "tags_read", None) == tags_state(package_of(app.config).base):
        return []
    return sorted(getattr(env, "tag_pages", set()) - removed)


def purge(app, env, docname) -> None:
    env.tag_pages = getattr(env, "tag_pages", set()) - {docname}


def merge(app, env, docnames, other) -> None:
    env.tag_pages = getattr(env, "tag_pages", set()) | getattr(other, "tag_pages", set())
    env.tags_read = getattr(other, "tags_read", getattr(env, "tags_read", None))


def setup(app):
    app.connect("env-get-outdated", tags_changed)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
    app.setup_extension("table_nodes")
    app.setup_extension("site_address")
    app.add_directive("dataset-versions", VersionsDirective)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
