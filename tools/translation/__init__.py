"""The Chinese edition's machinery, one idea per module (``tools/i18n.py`` is its command line).

``markdown``   cutting English markdown into messages, and putting translations back
``sources``    the book's pages and the messages each one has
``catalogue``  the gettext catalogues: reading, writing, merging (``update``)
``check``      what a translation must keep, and the glossary
``edition``    writing the Chinese book ``zh_CN/`` from the sources and the catalogues
``workbench``  the translator's plain-text file (export, lint, import)
``paths``      where all of it lives (tests point it at a copy)
"""
