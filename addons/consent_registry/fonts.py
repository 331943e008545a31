# This file is part of the insurance intermediary platform.
"""TrueType fonts whose embedded subsets are made once a process.

reportlab embeds in each document the subsets of a TrueType font it used:
it cuts each subset out of the font file, compresses it and writes its
widths, its descriptor and its ToUnicode map, for every document anew. The
registry's documents share their subsets: the first one holds ASCII (and
the few accented letters of the form text, in the order the text meets
them), so the same bytes are made again and again. These fonts keep the
objects of the last subsets they embedded formatted, keyed by their
characters, and fill in what each document numbers its own way (the
references, the font's name): the PDF written is byte for byte the one
reportlab writes (its version 5.1's TTFont.addObjects)."""
import re
import zlib
from functools import lru_cache

from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.ttfonts import (
    FF_NONSYMBOLIC, FF_SYMBOLIC, SUBSETN, TTFont, makeToUnicodeCMap)

SUBSETS = 64  # the subsets kept per font
SLOT = re.compile(rb'\x00(\w+)\x00')


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

    def addObjects(self, doc):
        if not (doc.compression
                and isinstance(doc.encrypt, pdfdoc.NoEncryption)):
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
        font, descriptor, font_file, cmap = self._subset_objects(
            base_name, tuple(subset))
        cmap = doc.Reference(Formatted(cmap), 'toUnicodeCMap:' + base_name)
        font_file = doc.Reference(Formatted(font_file),
            'fontFile:%s(%s)' % (self.face.filename, base_name))
        descriptor = doc.Reference(
            Formatted(descriptor, FontFile2=font_file),
            'fontDescriptor:' + base_name)
        return Formatted(font, Name=pdfdoc.PDFName(internal_name),
            ToUnicode=cmap, FontDescriptor=descriptor)

    def _make_subset(self, base_name, subset):
        """Return the templates of a subset's font, descriptor, font file
        and ToUnicode map."""
        face = self.face
        data = face.makeSubset(list(subset))
        font_file = _compressed(data, Length1=len(data))
        cmap = _compressed(makeToUnicodeCMap(base_name, list(subset)))
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
                'FontFile2': Slot('FontFile2'),
                'MissingWidth': face.defaultWidth,
                })
        font = FontTemplate()
        font.BaseFont = base_name
        font.FirstChar = 0
        font.LastChar = len(subset) - 1
        font.Widths = pdfdoc.PDFArray(map(face.getCharWidth, subset))
        for name in ['Name', 'ToUnicode', 'FontDescriptor']:
            setattr(font, name, Slot(name))
        return (_template(font), _template(descriptor),
            [_formatted(font_file)], [_formatted(cmap)])


class Formatted(pdfdoc.PDFObject):
    """An object formatted once for all documents: its bytes, its slots
    filled with the values of the document (references, names)."""
    __RefOnly__ = 1

    def __init__(self, template, **values):
        self.template = template
        self.values = values

    def format(self, document):
        template = self.template
        result = [template[0]]
        for n in range(1, len(template), 2):
            result.append(pdfdoc.format(
                    self.values[template[n].decode()], document))
            result.append(template[n + 1])
        return b''.join(result)


class Slot(pdfdoc.PDFObject):
    "The place of a value in a template."

    def __init__(self, name):
        self.name = name

    def format(self, document):
        return b'\x00%s\x00' % self.name.encode()


class FontTemplate(pdfdoc.PDFTrueTypeFont):
    "A TrueType font object whose name is a slot."
    name_attributes = ['Type', 'Subtype', 'BaseFont']
    local_attributes = pdfdoc.PDFTrueTypeFont.local_attributes + ['Name']


def _template(obj):
    "Return the bytes of an object, split around its slots and their names."
    return SLOT.split(_formatted(obj))


def _formatted(obj):
    return obj.format(pdfdoc.DummyDoc())


def _compressed(data, **entries):
    "Return a stream of data compressed already."
    dictionary = pdfdoc.PDFDictionary(entries)
    dictionary['Filter'] = pdfdoc.PDFArray([pdfdoc.PDFName('FlateDecode')])
    if isinstance(data, str):
        data = data.encode('utf8')
    return pdfdoc.PDFStream(dictionary, zlib.compress(data), filters=[])
