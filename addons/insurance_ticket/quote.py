# This file is part of the insurance intermediary platform.
"""A confirmed quote collection of the client card opens a ticket: a quote
request with the answers PDF and the files answered attached, which the
client finds on the dashboard."""
from trytond.model import fields
from trytond.pool import Pool, PoolMeta

from trytond.modules.client_card import questionnaire_engine as engine


class Collection(metaclass=PoolMeta):
    __name__ = 'quote.collection'
    ticket = fields.Many2One('insurance.ticket', "Ticket", readonly=True,
        ondelete='RESTRICT')

    @classmethod
    def _after_confirmation(cls):
        return super()._after_confirmation() | {'ticket'}

    @classmethod
    def confirmed(cls, collections):
        for collection in collections:
            collection.open_ticket()
        cls.save(collections)
        super().confirmed(collections)

    def ticket_values(self):
        pool = Pool()
        Line = pool.get('insurance.ticket.line')
        RequestType = pool.get('insurance.ticket.request_type')
        lines = Line.search([('code', '=', self.risk_type.line_code)],
            limit=1) or Line.search([], limit=1)
        request_type, = RequestType.search([('is_quote_request', '=', True)],
            limit=1)
        return {
            'title': self.risk_name(self.language or 'it')[:200],
            'client': self.party.id,
            'line': lines[0].id,
            'request_type': request_type.id,
            'description': self.answers_text[:20000],
            }

    def ticket_files(self):
        "Return the answers PDF and the files answered, as ticket files."
        files = [{'name': self.pdf_filename(), 'data': self.pdf,
                'mime_type': 'application/pdf',
                'category': 'questionnaire'}]
        known = engine.by_code(self.definition())
        for file in self.files:
            if file.question in self.get_answers():
                files.append({'name': file.name, 'data': file.data,
                        'mime_type': file.mime_type,
                        'category': 'old_policy' if 'polizza' in (
                            known.get(file.question, {}).get('code', ''))
                        else 'file'})
        return files

    def open_ticket(self):
        "Open the quote request of the collection."
        pool = Pool()
        Ticket = pool.get('insurance.ticket')
        Message = pool.get('insurance.ticket.message')
        author = (Message.web_author(self.web_user) if self.web_user
            else Message.back_office_author())
        values = self.ticket_values()
        body = values.pop('description')
        ticket, = Ticket.create([values])
        ticket.post(body, self.ticket_files(), author, event='new')
        self.ticket = ticket
        return ticket

    def ticket_link(self):
        if self.ticket:
            return (self.ticket.number, 'insurance_ticket.show',
                {'uuid': self.ticket.uuid})
        return super().ticket_link()
