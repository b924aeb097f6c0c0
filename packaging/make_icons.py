"""Draw the app icon's PNG and Windows .ico from the hand-written SVG.

The SVG is the source; the PNG (the window icon) and the .ico (the Windows executable's
icon) are generated from it and committed, so a build needs nothing but the spec. Run
again after changing the SVG:

    python packaging/make_icons.py
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
SVG = ICONS / "attendance-desk.svg"
PNG = ICONS / "attendance-desk.png"
ICO = ICONS / "attendance-desk.ico"
PNG_SIZE = 256
#: The sizes Windows asks for: title bar and taskbar, Explorer's views, the Start menu.
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def draw(renderer: QSvgRenderer, size: int) -> QImage:
    """The icon at `size` x `size` pixels on a transparent background."""
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, b"PNG"):
        raise RuntimeError("Qt could not encode a PNG")
    return bytes(data.data())


def ico_bytes(images: dict[int, bytes]) -> bytes:
    """A multi-size .ico holding PNG images (read by Windows Vista and later).

    Qt's own ICO writer stores one image per file, so the container is laid out here:
    a 6-byte header, a 16-byte entry per size, then the PNG data in order.
    """
    header = struct.pack("<HHH", 0, 1, len(images))
    entries, blobs = b"", b""
    offset = len(header) + 16 * len(images)
    for size, blob in sorted(images.items()):
        side = 0 if size >= 256 else size  # 0 stands for 256 in the one-byte field
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(blob), offset)
        blobs += blob
        offset += len(blob)
    return header + entries + blobs


def main() -> int:
    app = QGuiApplication(sys.argv[:1])  # noqa: F841  (Qt's painting needs an application)
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        print(f"make_icons: {SVG} is not a valid SVG", file=sys.stderr)
        return 1
    PNG.write_bytes(png_bytes(draw(renderer, PNG_SIZE)))
    ICO.write_bytes(ico_bytes({size: png_bytes(draw(renderer, size)) for size in ICO_SIZES}))
    print(f"wrote {PNG.name} ({PNG_SIZE} px) and {ICO.name} ({', '.join(map(str, ICO_SIZES))})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
