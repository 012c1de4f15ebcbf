"""Small fixes to the HTML that Jupyter Book 1's extensions produce.

sphinx-thebe 0.3.1 registers its configuration script once per build *and* Jupyter Book registers
it again, so every page declared ``const THEBE_JS_URL`` twice, which browsers report as a console
error. Identical script entries are dropped here, keeping the first.
"""


def _unique_scripts(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for js in scripts:
        attributes = getattr(js, "attributes", {}) or {}
        # An inline script may be registered with filename None or "": the same script either way.
        key = (getattr(js, "filename", str(js)) or "", tuple(sorted(map(str, attributes.items()))))
        if key not in seen:
            seen.add(key)
            unique.append(js)
    context["script_files"] = unique


def setup(app):
    app.connect("html-page-context", _unique_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
