# This file is part of the insurance intermediary platform.
"""TrueType fonts whose embedded subsets are made once a process.

reportlab embeds in each document the subsets of a TrueType font it used:
it cuts each subset out of the font file, compresses it and writes its
widths and its ToUnicode map, for every document anew. The registry's
documents share their subsets: the first one holds ASCII (and the few
accented letters of the form text, in the order the text meets them), so
the same bytes are made again and again. These fonts keep the finished
objects of the last subsets they embedded, keyed by their characters: the
PDF written is byte for byte the one reportlab writes."""
import zlib
from functools import lru_cache

from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.ttfonts import (
    FF_NONSYMBOLIC, FF_SYMBOLIC, SUBSETN, TTFont, makeToUnicodeCMap)

SUBSETS = 64  # the subsets kept per font


class CachedTTFont(TTFont):
    "A TrueType font embedding its subsets from a cache."

    def __init__(self, name, filename):
        super().__init__(name, filename)
        self._subset_objects = lru_cache(maxsize=SUBSETS)(self._make_subset)
        glyphs = self.face.charToGlyph
        self._ascii = self._asciiReadable and all(
            c in glyphs for c in range(32, 127))

    def splitString(self, text, doc, encoding='utf-8'):
        """Return text as (subset, bytes) chunks: printable ASCII is the
        start of the first subset, codes as they are, in every document."""
        if self._ascii and isinstance(text, str) and text.isascii() \
                and text.isprintable():
            self._assignState(doc)
            return [(0, text.encode('ascii'))] if text else []
        return super().splitString(text, doc, encoding)

    def _make_subset(self, base_name, subset):
        "Return the compressed font file, its length, the map and widths."
        face = self.face
        data = face.makeSubset(list(subset))
        cmap = makeToUnicodeCMap(base_name, list(subset))
        widths = pdfdoc.PDFArray(map(face.getCharWidth, subset))
        return (zlib.compress(data), len(data),
            zlib.compress(cmap.encode('utf8')),
            widths.format(pdfdoc.DummyDoc()))

    def addObjects(self, doc):
        if not doc.compression:
            return super().addObjects(doc)
        state = self._assignState(doc)
        state.frozen = 1
        fonts = doc.idToObject['BasicFonts'].dict
        for n, subset in enumerate(state.subsets):
            internal_name = self.getSubsetInternalName(n, doc)[1:]
            base_name = b''.join((SUBSETN(n), b'+', self.face.name,
                    self.face.subfontNameX)).decode('pdfdoc')
            font = self._font(doc, internal_name, base_name, subset)
            doc.Reference(font, internal_name)
            fonts[internal_name] = font
        del self.state[doc]

    def _font(self, doc, internal_name, base_name, subset):
        "Return the font object of a subset, its objects added to doc."
        data, length, cmap, widths = self._subset_objects(
            base_name, tuple(subset))
        font = pdfdoc.PDFTrueTypeFont()
        font.Name = internal_name
        font.BaseFont = base_name
        font.FirstChar = 0
        font.LastChar = len(subset) - 1
        font.Widths = widths
        font.ToUnicode = doc.Reference(_compressed(cmap),
            'toUnicodeCMap:' + base_name)
        font.FontDescriptor = self._descriptor(doc, base_name, data, length)
        return font

    def _descriptor(self, doc, base_name, data, length):
        face = self.face
        font_file = doc.Reference(_compressed(data, Length1=length),
            'fontFile:%s(%s)' % (face.filename, base_name))
        descriptor = pdfdoc.PDFDictionary({
                'Type': '/FontDescriptor',
                'Ascent': face.ascent,
                'CapHeight': face.capHeight,
                'Descent': face.descent,
                'Flags': (face.flags & ~FF_NONSYMBOLIC) | FF_SYMBOLIC,
                'FontBBox': pdfdoc.PDFArray(face.bbox),
                'FontName': pdfdoc.PDFName(base_name),
                'ItalicAngle': face.italicAngle,
                'StemV': face.stemV,
                'FontFile2': font_file,
                'MissingWidth': face.defaultWidth,
                })
        return doc.Reference(descriptor, 'fontDescriptor:' + base_name)


def _compressed(data, **entries):
    "Return a stream of data compressed already."
    dictionary = pdfdoc.PDFDictionary(entries)
    dictionary['Filter'] = pdfdoc.PDFArray([pdfdoc.PDFName('FlateDecode')])
    return pdfdoc.PDFStream(dictionary, data)
