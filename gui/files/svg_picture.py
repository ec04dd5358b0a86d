"""A plot as SVG in two halves: its items painted on the GUI thread, the document built in a
worker.

pyqtgraph's SVG exporter paints each item into an SVG document of its own (Qt's generator
does not clip; pyqtgraph adds the clip paths), parses it, rewrites every path point out of its
group's transform, one point at a time in Python, and glues the pieces together. On a 10-epoch
loss plot that held the GUI thread ~350 ms. Here `paint_svg` does only what needs the scene:
each item's painting into Qt's SVG generator (bytes), its clip shape, its children in order;
`finish_svg` does the parsing, the rewriting and the gluing, with plain Python objects, in the
export's worker. The steps are pyqtgraph 0.14.0's `_generateItemSvg` and `generateSvg` (the
pinned version) split in two, and the result is byte for byte what its exporter writes
(tests/gui/test_export.py compares them).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any
from xml.dom import minidom

import pyqtgraph as pg
from PySide6.QtCore import QBuffer, QByteArray, QRectF
from PySide6.QtGui import QGuiApplication, QPainter, QTransform
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem, QStyleOptionGraphicsItem

# The module (the package exports only its class under the same name).
_svg_module = importlib.import_module("pyqtgraph.exporters.SVGExporter")
_correct_coordinates = getattr(_svg_module, "correctCoordinates")  # noqa: B009 - no stubs
_clean_xml = getattr(_svg_module, "cleanXml")  # noqa: B009
_item_transform = getattr(_svg_module, "itemTransform")  # noqa: B009
_XML_HEADER: str = getattr(_svg_module, "xmlHeader")  # noqa: B009
_NOTHING = b"<g>\n</g>\n"  # what an item that draws nothing itself contributes


def _drop_close_commands(node: Any) -> None:
    for child in node.childNodes:
        if getattr(child, "tagName", None) == "path":
            tokens = child.getAttribute("d").split()
            child.setAttribute("d", " ".join(t for t in tokens if t not in ("Z", "z")))
        _drop_close_commands(child)


def _tolerant_correct_coordinates(node: Any, defs: list[Any], item: Any, options: dict[str, Any]) -> None:
    # pyqtgraph 0.14.0 reads path data as "x,y" pairs and fails on the "Z" that Qt 6.11's
    # QSvgGenerator ends a closed path with (pyqtgraph issue #3495, fixed after 0.14.0). Until
    # the pin moves: drop those close commands first (Qt's closed paths end at their start
    # point anyway, so nothing visible changes).
    if pg.__version__ == "0.14.0":
        _drop_close_commands(node)
    _correct_coordinates(node, defs, item, options)


# pyqtgraph's own exporter gets the same fix (the tests compare with it).
setattr(_svg_module, "correctCoordinates", _tolerant_correct_coordinates)  # noqa: B010 - a patch


class _Bounds:
    """What the coordinate rewriting reads of an item (for gradients): its bounding rectangle,
    taken on the GUI thread."""

    def __init__(self, rect: QRectF) -> None:
        self._rect = rect

    def boundingRect(self) -> QRectF:  # noqa: N802 - pyqtgraph's name
        return self._rect


@dataclass
class _Painted:
    """One visible item: its own drawing as Qt's SVG generator wrote it, then its children's."""

    kind: str  # its class's name, which its element's id is made from
    svg: bytes
    bounds: _Bounds
    clip: _Painted | None  # the shape it clips its children to, painted as a path item
    children: list[_Painted] = field(default_factory=list)


@dataclass
class SvgParts:
    """A plot's SVG, painted but not yet built (see `finish_svg`)."""

    painted: _Painted
    options: dict[str, Any]


def _paint(item: QGraphicsItem, root: pg.PlotItem, options: dict[str, Any]) -> _Painted | None:
    if not item.isVisible():
        return None
    if type(item).paint == QGraphicsItem.paint:
        svg = _NOTHING
    else:
        root_pos = root.scenePos()
        resize_x = options["width"] / root.boundingRect().width()
        resize_y = options["height"] / root.boundingRect().height()
        transform = _item_transform(item, item.scene()) * QTransform(
            resize_x, 0, 0, resize_y, -root_pos.x(), -root_pos.y()
        )
        data = QByteArray()
        buffer = QBuffer(data)
        generator = QSvgGenerator()
        generator.setOutputDevice(buffer)
        screen = QGuiApplication.primaryScreen()
        generator.setResolution(int(screen.logicalDotsPerInchX()) if screen is not None else 96)
        painter = QPainter()
        painter.begin(generator)
        if hasattr(item, "setExportMode"):
            item.setExportMode(True, {"painter": painter})
        try:
            painter.setTransform(transform)
            option = QStyleOptionGraphicsItem()
            if item.flags() & QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption:
                option.exposedRect = item.boundingRect()
            item.paint(painter, option, None)
        finally:
            painter.end()
        svg = bytes(data.data())
    clip = None
    if item.flags() & QGraphicsItem.GraphicsItemFlag.ItemClipsChildrenToShape:
        scene = item.scene()
        path = QGraphicsPathItem(item.mapToScene(item.shape()))
        scene.addItem(path)
        try:
            clip = _paint(path, root, options)
        finally:
            scene.removeItem(path)
    painted = _Painted(type(item).__name__, svg, _Bounds(QRectF(item.boundingRect())), clip)
    for child in sorted(item.childItems(), key=lambda c: c.zValue()):
        part = _paint(child, root, options)
        if part is not None:
            painted.children.append(part)
    return painted


def _end_export_mode(item: QGraphicsItem) -> None:
    if hasattr(item, "setExportMode"):
        item.setExportMode(False)
    for child in item.childItems():
        _end_export_mode(child)


def paint_svg(item: pg.PlotItem, options: dict[str, Any]) -> SvgParts:
    """Paint `item`, as it is laid out now, for an SVG (GUI thread). `options` as pyqtgraph's
    SVGExporter takes them: background (a QColor), width and height, "scaling stroke"."""
    try:
        painted = _paint(item, item, options)
    finally:
        _end_export_mode(item)  # as pyqtgraph's exporter ends its export
    assert painted is not None, "an SVG of a hidden plot"
    return SvgParts(painted, options)


def _build(painted: _Painted, nodes: dict[str, Any], options: dict[str, Any]) -> tuple[Any, list[Any]]:
    document = minidom.parseString(painted.svg)
    group = document.getElementsByTagName("g")[0]
    found = document.getElementsByTagName("defs")
    defs = [n for n in found[0].childNodes if isinstance(n, minidom.Element)] if found else []
    _tolerant_correct_coordinates(group, defs, painted.bounds, options)
    index = 1
    while f"{painted.kind}_{index}" in nodes:
        index += 1
    name = f"{painted.kind}_{index}"
    nodes[name] = group
    group.setAttribute("id", name)
    children_group = group
    if painted.clip is not None:
        path = _build(painted.clip, {}, options)[0].getElementsByTagName("path")[0]
        clip = document.createElement("clipPath")
        clip.setAttribute("id", f"{name}_clip")
        clip.appendChild(path)
        group.appendChild(clip)
        children_group = document.createElement("g")
        children_group.setAttribute("clip-path", f"url(#{name}_clip)")
        group.appendChild(children_group)
    for child in painted.children:
        child_group, child_defs = _build(child, nodes, options)
        children_group.appendChild(child_group)
        defs.extend(child_defs)
    return group, defs


def finish_svg(parts: SvgParts) -> bytes:
    """The SVG document of `parts` (any thread: XML and numbers only)."""
    node, defs = _build(parts.painted, {}, parts.options)
    _clean_xml(node)
    options = parts.options
    view_box = f' viewBox ="0 0 {int(options["width"])} {int(options["height"])}"'
    color = options["background"]
    background = (
        f'<rect width="100%" height="100%" fill="{color.name()}" fill-opacity="{color.alphaF()}" />\n'
    )
    definitions = "<defs>\n" + "".join(d.toprettyxml(indent="    ") for d in defs) + "</defs>\n"
    drawing: str = node.toprettyxml(indent="    ")
    text = (_XML_HEADER % view_box) + background + definitions + drawing + "\n</svg>\n"
    return text.encode("utf-8")
