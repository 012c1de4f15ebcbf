"""The one widget pattern of the course: controls above a figure that is redrawn in place."""


def live_figure(fig, controls, draw, rows=None):
    """A VBox with ``controls`` above ``fig``; every change calls ``draw(**values)``.

    ``controls`` maps names to ipywidgets; ``draw`` recomputes and moves the artists of ``fig``
    (it never builds a new figure). The figure is shown only through an ``Output`` area, so the
    plain inline backend is enough (no ipympl). ``rows`` lists control names per row.
    """
    import ipywidgets as widgets  # imported here: the numeric core must not need ipywidgets
    import matplotlib.pyplot as plt
    from IPython.display import display

    plt.close(fig)  # not shown a second time by the inline backend
    out = widgets.Output()

    def refresh(_change=None):
        draw(**{name: control.value for name, control in controls.items()})
        with out:
            out.clear_output(wait=True)
            display(fig)

    for control in controls.values():
        control.observe(refresh, names="value")
    refresh()
    rows = rows or [list(controls)]
    return widgets.VBox([widgets.HBox([controls[n] for n in row]) for row in rows] + [out])
