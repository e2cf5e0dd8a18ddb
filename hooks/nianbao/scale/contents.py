"""A report page's table of contents: MkDocs' own (the page title and the generated sections) with
the narrative's headings, which MkDocs never sees (site/narrative.py renders them)."""

from __future__ import annotations


def with_headings(toc, headings: list):
    """The page's contents with the narrative's headings (level, id, escaped title) at the head of
    its title's entries, nested by level."""
    from mkdocs.structure.toc import AnchorLink, TableOfContents

    items = list(toc)
    title = items[0] if items and items[0].level == 1 else None
    top = AnchorLink("", "", 1 if title else 0)
    stack = [top]
    for heading in headings:
        link = AnchorLink(str(heading.title), heading.id, heading.level)
        while len(stack) > 1 and stack[-1].level >= heading.level:
            stack.pop()
        stack[-1].children.append(link)
        stack.append(link)
    if title is None:
        return TableOfContents(top.children + items)
    nested = [link for link in top.children if link.level > 1]
    title.children = nested + title.children
    return TableOfContents([title] + [link for link in top.children if link.level <= 1] + items[1:])
