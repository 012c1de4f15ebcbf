"""The one widget pattern of the course: controls above a figure that is redrawn in place.

A change of a control redraws the figure exactly once, also when it is a menu whose choice resets
other controls (their observers are off while they move). A slider whose bounds change is replaced
by a new one: sent to a slider on show, new bounds and value reach its view in an order that
clamps one of them, and the browser sends back an old or clamped value after the kernel set the
new one (the start point then stays where it was, and the figure is drawn twice). The browser
also sends back a value it has only snapped to the slider's grid (a last-bit change); that is
not a change.
"""

import base64
import io
import json
import math

__all__ = ["live_figure", "set_control", "on_grid"]


def set_control(control, value=None, *, bounds=None):
    """Move ``control`` to ``value`` and, for a slider, to ``bounds = (low, high)``, in one
    message to the browser. Python clamps a value to the bounds it sees, so the bounds are
    first widened to hold the old range, the new one and the value, then narrowed. (Bounds
    of a log slider are exponents, not values: only linear sliders take ``bounds``.)"""
    if bounds is not None and hasattr(control, "base"):
        raise ValueError("bounds must be given for a linear slider, not a log slider")
    with control.hold_sync():
        if bounds is not None:
            low, high = bounds
            wide = [x for x in (low, high, value) if x is not None]
            control.max = max(control.max, *wide)
            control.min = min(control.min, *wide)
        if value is not None:
            control.value = value
        if bounds is not None:
            control.min, control.max = low, high
        if value is not None:
            control.value = on_grid(control, control.value)


def on_grid(control, value):
    """``value`` moved to the nearest point of the slider's grid (min + k·step; for a log slider,
    of the exponent), where the browser puts it: a value off the grid, such as lr = 0.05 on a
    grid of 10^(k/10), would come back from the browser as 0.0501 and cost a second redraw."""
    step = getattr(control, "step", None)
    if not isinstance(value, float) or not step or not hasattr(control, "min"):
        return value
    base = getattr(control, "base", None)
    x = math.log(value, base) if base else value
    k = round((x - control.min) / step)
    snapped = min(max(control.min + k * step, control.min), control.max)
    if math.isclose(snapped, x, rel_tol=1e-9, abs_tol=1e-12):
        return value  # on the grid already (up to the last bits the browser may change)
    return base ** snapped if base else snapped


def _echo(old, new):
    """A float the browser sends back after snapping it to its slider's grid (−1.2 becomes
    −1.2000000000000002): the same value, which must not cost a second redraw."""
    return (isinstance(old, float) and isinstance(new, float) and old != new
            and math.isclose(old, new, rel_tol=1e-9, abs_tol=1e-12))


def describe(fig):
    """What a test needs to compare a figure's words with its data: the titles, and per log-y
    axes its limits and the range, first and last finite value of its first curve."""
    import numpy as np

    titles = [t.get_text() for t in [getattr(fig, "_suptitle", None)] if t is not None]
    axes = []
    for ax in fig.axes:
        titles += [t.get_text() for t in (ax.title, ax._left_title, ax._right_title)]
        lines = [line for line in ax.get_lines() if line.get_transform() == ax.transData]
        if ax.get_yscale() != "log" or not lines:
            continue
        y = np.asarray(lines[0].get_ydata(), dtype=float)
        y = y[np.isfinite(y)]
        if y.size:
            axes.append({"ylim": list(ax.get_ylim()), "range": [y.min(), y.max()],
                         "first": y[0], "last": y[-1]})
    return {"titles": [t for t in titles if t], "log_axes": axes}


def _png_bundle(fig, alt):
    """The figure as a display_data output: PNG bytes, base64, and a text description."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=fig.dpi)
    return {"output_type": "display_data", "metadata": {},
            "data": {"image/png": base64.b64encode(buf.getvalue()).decode("ascii"),
                     "text/plain": alt}}


def live_figure(fig, controls, draw, rows=None, *, description="Live figure",
                reset=None, acting=None):
    """A box with ``controls`` above ``fig``; every change calls ``draw(**values)`` once.

    ``controls`` maps names to ipywidgets; ``draw`` recomputes and moves the artists of ``fig``
    (it never builds a new figure); if it returns a ``Figure``, that one is shown instead.
    ``rows`` lists control names per row. ``reset`` maps a menu's name to
    ``f(values) -> {name: value or {"value": v, "bounds": (low, high)}}``: the defaults of the
    menu's new choice, applied before the one redraw (a slider with new bounds is replaced by a
    new slider in ``box.controls``). ``acting(values)`` returns the names of
    the controls that act on the current choice; the others are hidden (and a row whose
    controls are all hidden takes no space). ``description`` is the one line a reader sees
    where the cell's output is shown without a kernel.

    The figure is sent as a PNG into an ``Output`` widget's outputs (no ``with out:``, whose
    capture by message id can lose a frame to JupyterLab's log console), so the plain inline
    backend is enough. A hidden label (CSS class ``gd-live-state``) holds the number of draws
    and the values of the last one, for the browser tests.
    """
    import ipywidgets as widgets  # imported here: the numeric core must not need ipywidgets
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    plt.close(fig)  # not shown a second time by the inline backend
    reset = reset or {}
    rows = rows or [list(controls)]
    hboxes = [widgets.HBox([controls[n] for n in row]) for row in rows]
    out = widgets.Output()
    state = widgets.Label(value="", layout=widgets.Layout(display="none"))
    state.add_class("gd-live-state")
    box = LiveBox(hboxes + [out, state], description=description)
    box.controls, box.output, box.state, box.figure = controls, out, state, fig
    box.draws = 0
    busy = [False]

    def values():
        return {name: control.value for name, control in controls.items()}

    def show_acting(current):
        if acting is None:
            return
        on = set(acting(current))
        for name, control in controls.items():
            control.layout.display = None if name in on else "none"
        for row, hbox in zip(rows, hboxes, strict=True):
            hbox.layout.display = None if on.intersection(row) else "none"

    def replace(name, value, bounds):
        """A slider with new bounds is a new slider: new bounds sent to a slider on show reach
        its view in an order that clamps the value to the old ones, and the browser sends the
        clamped value back after the kernel moved on (seen in JupyterLab 4.6, ipywidgets 8.1)."""
        old = controls[name]
        fresh = type(old)(value=value, min=bounds[0], max=bounds[1], step=old.step,
                          description=old.description, readout_format=old.readout_format,
                          continuous_update=old.continuous_update, style=old.style,
                          layout=widgets.Layout(display=old.layout.display))
        fresh.value = on_grid(fresh, fresh.value)
        old.unobserve(refresh, names="value")
        controls[name] = fresh
        for row, hbox in zip(rows, hboxes, strict=True):
            if name in row:
                hbox.children = tuple(controls[n] for n in row)
        old.close()
        fresh.observe(refresh, names="value")

    def refresh(change=None):
        if busy[0] or (change is not None and _echo(change["old"], change["new"])):
            return
        if change is not None and change["name"] == "value":
            menu = next((n for n, c in controls.items() if c is change["owner"]), None)
            if menu in reset:
                busy[0] = True  # the dependent controls move; one redraw follows, below
                try:
                    for name, new in reset[menu](values()).items():
                        spec = new if isinstance(new, dict) else {"value": new}
                        if "bounds" in spec:
                            replace(name, **spec)
                        else:
                            set_control(controls[name], **spec)
                finally:
                    busy[0] = False
        current = values()
        show_acting(current)
        drawn = draw(**current)
        shown = drawn if isinstance(drawn, Figure) else fig
        box.draws += 1
        out.outputs = (_png_bundle(shown, description),)
        cause = None if change is None else [
            next((n for n, c in controls.items() if c is change["owner"]), None),
            change["old"], change["new"]]
        state.value = json.dumps({"draws": box.draws, "values": current, "cause": cause,
                                  "figure": describe(shown)}, default=str)

    for control in controls.values():
        control.value = on_grid(control, control.value)
        control.observe(refresh, names="value")
    refresh()
    return box


def _box_class():
    import ipywidgets as widgets

    class _LiveBox(widgets.VBox):
        """A VBox whose plain-text form (what a notebook shows without a kernel) is one line."""

        def __init__(self, children, *, description):
            super().__init__(children)
            self._description = description

        def __repr__(self):
            return (f"{self._description} — run this cell to use it; the static slider below "
                    "is the HTML version")

        def _repr_mimebundle_(self, **kwargs):
            # ipywidgets cuts the plain text at 110 characters; the whole line is short enough
            data = super()._repr_mimebundle_(**kwargs)
            if data:
                data["text/plain"] = repr(self)
            return data

    return _LiveBox


def LiveBox(children, *, description):  # noqa: N802 - behaves as the class it builds
    """The widget box of :func:`live_figure` (its class is made on first use, so that importing
    this module does not import ipywidgets)."""
    global _LIVE_BOX
    if _LIVE_BOX is None:
        _LIVE_BOX = _box_class()
    return _LIVE_BOX(children, description=description)


_LIVE_BOX = None
