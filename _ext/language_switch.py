"""A button on every page that leads to the same page in the book's other language.

The two editions are published side by side, the English book at the site's root and the Chinese
one in ``zh_CN/`` (``make site``, the Pages workflow). Each edition's ``_config.yml`` says where
the other one is, relative to its own root, in ``language_switch``::

    language_switch: {root: zh_CN/, text: 中文, tooltip: 本页的中文版, hreflang: zh-CN}

Both editions have the same page names (tools/i18n.py builds the Chinese one from the English
sources), so the other page is ``<other root>/<pagename>.html``. An optional ``labels`` mapping
renames the theme's header-button texts that its catalogue leaves untranslated.
"""


def _add_button(app, pagename, templatename, context, doctree):
    switch = app.config.language_switch
    if not switch or "header_buttons" not in context:
        return
    labels = switch.get("labels", {})
    for button in context["header_buttons"]:
        for item in [button, *button.get("buttons", [])]:
            if item.get("text") in labels:
                item["text"] = labels[item["text"]]
    up = "../" * pagename.count("/")  # from this page to this edition's root
    url = f"{up}{switch['root']}{pagename}.html"
    context["header_buttons"].append({
        "type": "link",
        "url": url,
        "text": switch["text"],
        "tooltip": switch["tooltip"],
        "icon": "fas fa-language",
        "label": "language-switch-button",
    })
    context["metatags"] = context.get("metatags", "") + (
        f'\n<link rel="alternate" hreflang="{switch["hreflang"]}" href="{url}" />')


def _same_tab(app, exception):
    """The theme opens every header link in a new tab; a language switch should not."""
    if exception or app.builder.format != "html":
        return
    blank = 'target="_blank"\n   class="btn btn-sm btn-language-switch-button"'
    for page in app.builder.outdir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if blank in text:
            page.write_text(text.replace(blank, 'class="btn btn-sm btn-language-switch-button"'),
                            encoding="utf-8")


def setup(app):
    app.add_config_value("language_switch", {}, "html")
    # After sphinx-book-theme has filled in its own header buttons (priority 501).
    app.connect("html-page-context", _add_button, priority=502)
    app.connect("build-finished", _same_tab)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
