# This file is part of the insurance intermediary platform.
import pycountry

from trytond.pool import Pool, PoolMeta

# Aosta is a province in everyday use (postal addresses, plates) but
# ISO 3166-2 lists only the autonomous region Valle d'Aosta.
AOSTA = ('IT-AO', "Aosta", 'province', 'IT-23')


class Subdivision(metaclass=PoolMeta):
    __name__ = 'country.subdivision'

    @classmethod
    def __register__(cls, module):
        super().__register__(module)
        if module == 'portal':
            cls.load_italy()

    @classmethod
    def load_italy(cls):
        """Create Italy, its regions and provinces where they are missing.

        The portal asks for the province's two-letter code: ISO 3166-2
        codes IT-XX of provinces, metropolitan cities and the like."""
        pool = Pool()
        Country = pool.get('country.country')
        italy = Country.search([('code', '=', 'IT')], limit=1)
        if not italy:
            italy = Country.create([{
                        'name': "Italy", 'code': 'IT', 'code3': 'ITA',
                        'code_numeric': '380'}])
        italy, = italy
        existing = {s.code: s for s in cls.search([('country', '=', italy)])}
        types = dict(cls.type.selection)
        entries = [(s.code, s.name, s.type.lower(), s.parent_code)
            for s in pycountry.subdivisions.get(country_code='IT')]
        entries.append(AOSTA)
        # Regions first so that provinces find their parent
        for code, name, type_, parent in sorted(
                entries, key=lambda e: e[3] is not None):
            if code in existing:
                continue
            subdivision, = cls.create([{
                        'country': italy.id, 'code': code, 'name': name,
                        'type': type_ if type_ in types else None,
                        'parent': (existing[parent].id
                            if parent in existing else None),
                        }])
            existing[code] = subdivision
        cls._allow_in_italian_addresses(
            {s.type for c, s in existing.items() if c[3:].isalpha()})

    @classmethod
    def _allow_in_italian_addresses(cls, types):
        "Let Italian addresses name metropolitan cities as provinces."
        SubdivisionType = Pool().get('party.address.subdivision_type')
        for record in SubdivisionType.search([('country_code', '=', 'IT')]):
            missing = types - set(record.types or []) - {None}
            if missing:
                record.types = sorted(set(record.types or []) | missing)
                record.save()

    @classmethod
    def italian_province(cls, code):
        "Return the Italian province of the two-letter code, or None."
        if not code or len(code) != 2 or not code.isalpha():
            return None
        provinces = cls.search([('code', '=', f'IT-{code.upper()}')], limit=1)
        return provinces[0] if provinces else None

    @classmethod
    def italian_provinces(cls):
        "Return the Italian provinces (two-letter codes), by name."
        subdivisions = cls.search([
                ('country.code', '=', 'IT'),
                ('code', 'like', 'IT-__'),
                ], order=[('name', 'ASC')])
        return [s for s in subdivisions if s.code[3:].isalpha()]
