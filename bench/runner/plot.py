"""An SVG of the per-call latency distribution per allocator and core (no plotting library).

One panel per workload series; one row per core and allocator. Then one panel per trace and
series (alloc, free) on the Cortex-M3. Each distinct instruction count
observed is a vertical tick, darker the more calls took exactly that many instructions; the dot
is the median. The x axis is logarithmic, because allocators differ by orders of magnitude.
"""

import math
from xml.sax.saxutils import escape

from bench.runner import report

WIDTH = 960
LABEL_WIDTH = 270
RIGHT_MARGIN = 30
ROW_HEIGHT = 16
PANEL_TITLE_HEIGHT = 26
AXIS_HEIGHT = 26
PANEL_GAP = 14
COLOURS = ["#1b6ca8", "#d1495b", "#2e933c", "#8f5db7", "#e08e0b", "#4c4c4c", "#00a6a6"]


def _rows(results, workload, series):
    rows = []
    for board_results in results["latency"].values():
        for name, entry in board_results["allocators"].items():
            measured = entry["workloads"].get(workload)
            if measured is None or measured["series"][series]["statistics"] is None:
                continue
            rows.append((report.core_name(board_results["core"]), name, measured["series"][series]))
    return rows


def _axis_ticks(low, high):
    ticks = []
    decade = 10 ** math.floor(math.log10(low))
    while decade <= high:
        for multiple in (1, 2, 5):
            value = decade * multiple
            if low <= value <= high:
                ticks.append(value)
        decade *= 10
    return ticks


def _trace_rows(results, trace, series):
    """Rows of one trace's series, on the board of issue targets only (the other cores look alike
    and would double the picture)."""
    rows = []
    board_results = results["latency"].get(report.TARGET_BOARD)
    if board_results is None:
        return rows
    for name, entry in board_results["allocators"].items():
        run = entry.get("traces", {}).get(trace)
        if run and run.get("fits") and run["series"][series]["statistics"] is not None:
            rows.append((report.core_name(board_results["core"]), name, run["series"][series]))
    return rows


def _panels(results):
    """(title, rows) of every panel: the workloads' series, then each trace's alloc and free."""
    panels = [(title, _rows(results, *key)) for key, title in report.SERIES_TITLES.items()]
    for trace in results.get("traces", {}):
        for series in ("alloc", "free"):
            panels.append((f"Trace {trace}, {series}", _trace_rows(results, trace, series)))
    return [(title, rows) for title, rows in panels if rows]


def latency_svg(results):
    panels = _panels(results)
    allocator_names = []
    for board_results in results["latency"].values():
        for name in board_results["allocators"]:
            if name not in allocator_names:
                allocator_names.append(name)
    colour = {name: COLOURS[index % len(COLOURS)] for index, name in enumerate(allocator_names)}

    values = [int(value) for _, rows in panels for _, _, series in rows for value in series["histogram"]]
    low = 10 ** math.floor(math.log10(max(1, min(values)))) if values else 1
    high = max(values) * 1.2 if values else 10
    plot_width = WIDTH - LABEL_WIDTH - RIGHT_MARGIN

    def x_of(value):
        return LABEL_WIDTH + plot_width * (math.log10(value) - math.log10(low)) / (math.log10(high) - math.log10(low))

    parts = []
    y = 40
    for title, rows in panels:
        parts.append(f'<text x="10" y="{y + 16}" font-weight="bold">{escape(title)}</text>')
        top = y + PANEL_TITLE_HEIGHT
        bottom = top + ROW_HEIGHT * len(rows)
        for tick in _axis_ticks(low, high):
            x = x_of(tick)
            parts.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{bottom}" stroke="#ddd"/>')
            parts.append(f'<text x="{x:.1f}" y="{bottom + 16}" text-anchor="middle" font-size="10">{tick}</text>')
        for index, (core, name, series) in enumerate(rows):
            row_y = top + index * ROW_HEIGHT
            middle = row_y + ROW_HEIGHT / 2
            parts.append(f'<text x="{LABEL_WIDTH - 8}" y="{middle + 4:.1f}" text-anchor="end" font-size="11">'
                         f'{escape(core)} · {escape(name)}</text>')
            histogram = {int(value): count for value, count in series["histogram"].items()}
            most = max(histogram.values())
            for value, count in sorted(histogram.items()):
                opacity = 0.2 + 0.8 * count / most
                x = x_of(value)
                parts.append(f'<line x1="{x:.1f}" y1="{row_y + 2}" x2="{x:.1f}" y2="{row_y + ROW_HEIGHT - 2}" '
                             f'stroke="{colour[name]}" stroke-width="2" stroke-opacity="{opacity:.2f}"/>')
            median = series["statistics"]["median"]
            parts.append(f'<circle cx="{x_of(median):.1f}" cy="{middle:.1f}" r="3" fill="black"/>')
        y = bottom + AXIS_HEIGHT + PANEL_GAP
    height = y + 10
    header = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'font-family="sans-serif" font-size="12">'
        f'<rect width="100%" height="100%" fill="white"/>'
        f'<text x="10" y="20" font-size="14" font-weight="bold">Executed instructions per call '
        f'(QEMU -icount, log scale; not cycles). Ticks: observed values, darker = more calls; '
        f'dot: median.</text>'
    )
    return header + "".join(parts) + "</svg>\n"
