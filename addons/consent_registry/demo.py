# This file is part of the insurance intermediary platform.
"""Demo data of the consent registry: the intermediary's forms, in Italian,
English and Persian, and the consents of the demo clients."""
from trytond.pool import Pool
from trytond.transaction import Transaction

INTERMEDIARY = "MPService S.r.l."

# code, mandatory, kind, for, asked, names and texts by language
FORMS = [
    {
        'code': 'privacy_insurance', 'mandatory': True,
        'kind': 'consent', 'party_kind': 'both', 'moment': 'signup',
        'name': {
            'it': "Informativa privacy e consenso per finalità assicurative",
            'en': "Privacy notice and consent for insurance purposes",
            'fa': "اطلاعیه حریم خصوصی و رضایت برای اهداف بیمه‌ای",
            },
        'text': {
            'it': (
                "Ai sensi degli articoli 13 e 14 del Regolamento (UE) "
                "2016/679 (GDPR), " + INTERMEDIARY + ", titolare del "
                "trattamento, informa che i dati personali forniti, compresi "
                "quelli relativi alla salute ove necessari, sono trattati per "
                "la consulenza, l'intermediazione e la gestione dei contratti "
                "assicurativi, per la liquidazione dei sinistri e per "
                "adempiere agli obblighi di legge e regolamentari (IVASS, "
                "antiriciclaggio, normativa fiscale).\n\n"
                "I dati sono comunicati, per le sole finalità indicate, alle "
                "imprese di assicurazione, ai periti, ai broker e agli altri "
                "soggetti della catena distributiva, e conservati per la "
                "durata del rapporto e per dieci anni dalla sua cessazione. "
                "Il conferimento è necessario: senza di esso non è possibile "
                "fornire i servizi richiesti.\n\n"
                "L'interessato può esercitare i diritti di accesso, "
                "rettifica, cancellazione, limitazione, portabilità e "
                "opposizione scrivendo a privacy@mpservice.example e può "
                "proporre reclamo al Garante per la protezione dei dati "
                "personali. Con la presente esprimo il consenso al "
                "trattamento dei miei dati, anche particolari, per le "
                "finalità assicurative sopra descritte."),
            'en': (
                "Under articles 13 and 14 of Regulation (EU) 2016/679 "
                "(GDPR), " + INTERMEDIARY + ", the data controller, informs "
                "you that the personal data provided, including health data "
                "where needed, are processed for advice on, intermediation "
                "and management of insurance contracts, for claims handling "
                "and to meet legal and regulatory duties (IVASS, "
                "anti-money-laundering, tax law).\n\n"
                "The data are disclosed, for these purposes only, to "
                "insurance companies, loss adjusters, brokers and the other "
                "parties of the distribution chain, and kept for the "
                "duration of the relationship and ten years after its end. "
                "Providing them is necessary: without them the requested "
                "services cannot be provided.\n\n"
                "You may exercise your rights of access, rectification, "
                "erasure, restriction, portability and objection by writing "
                "to privacy@mpservice.example and may lodge a complaint with "
                "the Italian Data Protection Authority. I hereby consent to "
                "the processing of my data, including special categories, "
                "for the insurance purposes described above."),
            'fa': (
                "بر اساس مواد ۱۳ و ۱۴ مقررات (اتحادیه اروپا) ۲۰۱۶/۶۷۹ "
                "(GDPR)، " + INTERMEDIARY + " به‌عنوان کنترل‌کننده داده "
                "اعلام می‌کند که داده‌های شخصی ارائه‌شده، از جمله داده‌های "
                "سلامت در صورت نیاز، برای مشاوره، واسطه‌گری و مدیریت "
                "قراردادهای بیمه، رسیدگی به خسارت‌ها و انجام تکالیف قانونی "
                "و مقرراتی (IVASS، مبارزه با پول‌شویی، قوانین مالیاتی) "
                "پردازش می‌شوند.\n\n"
                "این داده‌ها فقط برای همین اهداف در اختیار شرکت‌های بیمه، "
                "ارزیابان خسارت، کارگزاران و دیگر اعضای زنجیره توزیع قرار "
                "می‌گیرند و در طول رابطه و تا ده سال پس از پایان آن "
                "نگهداری می‌شوند. ارائه آن‌ها ضروری است و بدون آن‌ها ارائه "
                "خدمات درخواستی ممکن نیست.\n\n"
                "شما می‌توانید با نوشتن به privacy@mpservice.example از حق "
                "دسترسی، اصلاح، حذف، محدودسازی، انتقال و اعتراض استفاده "
                "کنید و به مرجع حفاظت از داده‌های ایتالیا شکایت کنید. "
                "بدین‌وسیله با پردازش داده‌هایم، از جمله داده‌های خاص، برای "
                "اهداف بیمه‌ای بالا موافقت می‌کنم."),
            },
        },
    {
        'code': 'electronic_collection', 'mandatory': True,
        'kind': 'consent', 'party_kind': 'both', 'moment': 'signup',
        'name': {
            'it': "Autorizzazione alla raccolta elettronica di consensi",
            'en': "Authorisation to collect consents electronically",
            'fa': "مجوز جمع‌آوری الکترونیکی رضایت‌ها",
            },
        'text': {
            'it': (
                "Il/La sottoscritto/a autorizza " + INTERMEDIARY + " a "
                "raccogliere in forma elettronica, tramite l'area clienti "
                "del sito, le autorizzazioni, le conferme, i consensi e le "
                "prese visione relativi al rapporto di intermediazione "
                "assicurativa, in sostituzione dei moduli cartacei.\n\n"
                "Ogni documento così autorizzato è inviato all'indirizzo di "
                "posta elettronica del cliente e a quello dell'intermediario, "
                "reca una stringa di validazione composta dalla data e "
                "dall'ora di invio (gg/mm/aa/hh/mm/ss) e dagli indirizzi di "
                "posta elettronica del cliente, ed è conservato in modo da "
                "poter essere stampato e consegnato in qualsiasi momento.\n\n"
                "Il cliente si impegna a mantenere attivo e aggiornato il "
                "proprio indirizzo di posta elettronica e a custodire le "
                "credenziali personali di accesso: ogni operazione compiuta "
                "con tali credenziali è a lui riferibile."),
            'en': (
                "The undersigned authorises " + INTERMEDIARY + " to collect "
                "electronically, through the client area of the website, "
                "the authorisations, confirmations, consents and "
                "acknowledgements of the insurance intermediation "
                "relationship, in place of paper forms.\n\n"
                "Each document so authorised is sent to the client's email "
                "address and to the intermediary's, carries a validation "
                "string made of the date and time of sending "
                "(dd/mm/yy/hh/mm/ss) and the client's email addresses, and "
                "is stored so that it can be printed and handed over at any "
                "time.\n\n"
                "The client undertakes to keep the email address active and "
                "up to date and to keep the personal login credentials "
                "safe: every operation made with them is attributed to the "
                "client."),
            'fa': (
                "امضاکننده به " + INTERMEDIARY + " اجازه می‌دهد که "
                "مجوزها، تأییدها، رضایت‌ها و اعلام رؤیت‌های مربوط به رابطه "
                "واسطه‌گری بیمه را به‌جای فرم‌های کاغذی، از طریق بخش "
                "مشتریان وب‌سایت و به‌صورت الکترونیکی جمع‌آوری کند.\n\n"
                "هر سندی که به این ترتیب تأیید شود به نشانی ایمیل مشتری و "
                "واسطه فرستاده می‌شود، یک رشته اعتبارسنجی شامل تاریخ و "
                "ساعت ارسال (روز/ماه/سال/ساعت/دقیقه/ثانیه) و نشانی‌های "
                "ایمیل مشتری دارد و طوری نگهداری می‌شود که هر زمان بتوان "
                "آن را چاپ و تحویل داد.\n\n"
                "مشتری متعهد می‌شود نشانی ایمیل خود را فعال و به‌روز نگه "
                "دارد و از اطلاعات ورود شخصی خود محافظت کند؛ هر عملیاتی "
                "که با این اطلاعات انجام شود به او نسبت داده می‌شود."),
            },
        },
    {
        'code': 'privacy_marketing', 'mandatory': False,
        'kind': 'consent', 'party_kind': 'both', 'moment': 'signup',
        'name': {
            'it': "Consenso per finalità commerciali",
            'en': "Consent for commercial purposes",
            'fa': "رضایت برای اهداف تجاری",
            },
        'text': {
            'it': (
                "Previo consenso facoltativo, " + INTERMEDIARY + " tratta i "
                "dati di contatto per inviare, per posta elettronica, "
                "telefono o SMS, informazioni su nuovi prodotti assicurativi, "
                "offerte e iniziative, e per rilevare il grado di "
                "soddisfazione dei clienti.\n\n"
                "Il consenso è facoltativo: il rifiuto non ha conseguenze "
                "sui contratti in corso. Può essere revocato in qualsiasi "
                "momento, con la stessa facilità con cui è stato dato, "
                "dall'area clienti alla voce \"I miei consensi\"."),
            'en': (
                "With your optional consent, " + INTERMEDIARY + " processes "
                "your contact data to send you, by email, telephone or text "
                "message, information on new insurance products, offers and "
                "initiatives, and to survey client satisfaction.\n\n"
                "The consent is optional: refusing it has no effect on your "
                "contracts. It can be withdrawn at any time, as easily as it "
                "was given, from the client area under \"My consents\"."),
            'fa': (
                "با رضایت اختیاری شما، " + INTERMEDIARY + " داده‌های تماس "
                "شما را برای ارسال اطلاعات درباره محصولات بیمه‌ای جدید، "
                "پیشنهادها و برنامه‌ها از طریق ایمیل، تلفن یا پیامک و برای "
                "سنجش رضایت مشتریان پردازش می‌کند.\n\n"
                "این رضایت اختیاری است و رد آن تأثیری بر قراردادهای شما "
                "ندارد. می‌توانید هر زمان، به همان آسانی که آن را داده‌اید، "
                "از بخش «رضایت‌های من» در ناحیه مشتریان آن را پس بگیرید."),
            },
        },
    {
        'code': 'allegato_3', 'mandatory': True,
        'kind': 'acknowledgement', 'party_kind': 'both', 'moment': 'quote',
        'name': {
            'it': "Allegato 3 - Informativa sul distributore",
            'en': "Annex 3 - Information on the distributor",
            'fa': "پیوست ۳ - اطلاعات توزیع‌کننده",
            },
        'text': {
            'it': (
                "Informativa resa ai sensi del Regolamento IVASS n. 40/2018 "
                "prima della sottoscrizione della prima proposta o del primo "
                "contratto.\n\n"
                "Sezione I - Informazioni generali sull'intermediario: "
                + INTERMEDIARY + ", iscritta al Registro Unico degli "
                "Intermediari (RUI) sezione B, sede legale in Milano, "
                "indirizzo PEC mpservice@pec.mpservice.example. Gli estremi "
                "dell'iscrizione possono essere verificati sul sito "
                "dell'IVASS.\n\n"
                "Sezione II - Informazioni sul modello di distribuzione e "
                "sull'attività svolta. Sezione III - Potenziali conflitti di "
                "interesse. Sezione IV - Informazioni sugli strumenti di "
                "tutela del contraente, compresa la facoltà di presentare "
                "reclamo all'intermediario, all'impresa o all'IVASS."),
            'en': (
                "Information given under IVASS Regulation no. 40/2018 before "
                "the first proposal or contract is signed.\n\n"
                "Section I - General information on the intermediary: "
                + INTERMEDIARY + ", entered in the Single Register of "
                "Intermediaries (RUI) section B, registered office in Milan, "
                "certified email mpservice@pec.mpservice.example. The "
                "registration can be checked on the IVASS website.\n\n"
                "Section II - The distribution model and the activity "
                "carried out. Section III - Potential conflicts of interest. "
                "Section IV - The policyholder's means of protection, "
                "including the right to complain to the intermediary, the "
                "insurer or IVASS."),
            'fa': (
                "اطلاعاتی که طبق مقررات شماره ۴۰/۲۰۱۸ IVASS پیش از امضای "
                "نخستین پیشنهاد یا قرارداد ارائه می‌شود.\n\n"
                "بخش یکم - اطلاعات کلی واسطه: " + INTERMEDIARY + "، ثبت‌شده "
                "در دفتر واحد واسطه‌ها (RUI) بخش B، با دفتر مرکزی در میلان "
                "و ایمیل رسمی mpservice@pec.mpservice.example. ثبت را "
                "می‌توان در وب‌سایت IVASS بررسی کرد.\n\n"
                "بخش دوم - مدل توزیع و فعالیت انجام‌شده. بخش سوم - "
                "تعارض‌های احتمالی منافع. بخش چهارم - ابزارهای حمایت از "
                "بیمه‌گذار، از جمله حق شکایت به واسطه، شرکت بیمه یا IVASS."),
            },
        },
    {
        'code': 'allegato_4', 'mandatory': True,
        'kind': 'acknowledgement', 'party_kind': 'both', 'moment': 'quote',
        'name': {
            'it': "Allegato 4 - Informativa prima di ogni proposta",
            'en': "Annex 4 - Information before each proposal",
            'fa': "پیوست ۴ - اطلاعات پیش از هر پیشنهاد",
            },
        'text': {
            'it': (
                "Informativa da rendere al contraente prima della "
                "sottoscrizione di ciascuna proposta o contratto.\n\n"
                "Sezione I - Informazioni sul modello di distribuzione: "
                "l'intermediario agisce su incarico del cliente e collabora "
                "con le imprese indicate nell'elenco pubblicato nei propri "
                "locali e sul sito.\n\n"
                "Sezione II - Informazioni relative alle remunerazioni: "
                "natura del compenso percepito (commissione inclusa nel "
                "premio, onorario a carico del cliente o combinazione di "
                "entrambi). Sezione III - Informazioni sul pagamento dei "
                "premi: i premi pagati all'intermediario costituiscono "
                "patrimonio autonomo e separato."),
            'en': (
                "Information to give the policyholder before each proposal "
                "or contract is signed.\n\n"
                "Section I - The distribution model: the intermediary acts "
                "on the client's instructions and works with the insurers "
                "listed on its premises and website.\n\n"
                "Section II - Remuneration: the nature of the fee received "
                "(commission included in the premium, fee paid by the "
                "client, or both). Section III - Payment of premiums: "
                "premiums paid to the intermediary are held as a separate, "
                "segregated fund."),
            'fa': (
                "اطلاعاتی که باید پیش از امضای هر پیشنهاد یا قرارداد به "
                "بیمه‌گذار داده شود.\n\n"
                "بخش یکم - مدل توزیع: واسطه به سفارش مشتری عمل می‌کند و با "
                "شرکت‌های بیمه‌ای که فهرستشان در محل کار و وب‌سایت آن منتشر "
                "شده همکاری دارد.\n\n"
                "بخش دوم - حق‌الزحمه: نوع دریافتی (کارمزد درون حق بیمه، "
                "دستمزد پرداختی مشتری یا هر دو). بخش سوم - پرداخت حق بیمه: "
                "حق بیمه‌های پرداخت‌شده به واسطه دارایی جداگانه و مستقل "
                "به شمار می‌آیند."),
            },
        },
    {
        'code': 'allegato_4ter', 'mandatory': True,
        'kind': 'acknowledgement', 'party_kind': 'both', 'moment': 'quote',
        'name': {
            'it': ("Allegato 4-ter - Regole di comportamento e vendita "
                "a distanza"),
            'en': "Annex 4-ter - Rules of conduct and distance selling",
            'fa': "پیوست ۴ مکرر - قواعد رفتار و فروش از راه دور",
            },
        'text': {
            'it': (
                "Elenco delle regole di comportamento del distributore "
                "(art. 119-bis e seguenti del Codice delle Assicurazioni "
                "Private).\n\n"
                "Il distributore ha l'obbligo di: consegnare al contraente "
                "l'Allegato 3 e l'Allegato 4; proporre contratti coerenti "
                "con le richieste e le esigenze assicurative del contraente, "
                "acquisendo a tal fine ogni informazione utile; fornire "
                "informazioni oggettive e comprensibili sul prodotto; "
                "consegnare copia della documentazione precontrattuale e "
                "contrattuale.\n\n"
                "Nella vendita a distanza il contraente può scegliere di "
                "ricevere la documentazione su supporto cartaceo o su altro "
                "supporto durevole, e ha diritto di recesso nei termini "
                "previsti dall'art. 67-duodecies del Codice del Consumo."),
            'en': (
                "The distributor's rules of conduct (article 119-bis and "
                "following of the Private Insurance Code).\n\n"
                "The distributor must: hand the policyholder Annex 3 and "
                "Annex 4; propose contracts consistent with the "
                "policyholder's insurance demands and needs, gathering every "
                "useful information to that end; give objective and clear "
                "information on the product; hand over a copy of the "
                "pre-contractual and contractual documents.\n\n"
                "In distance selling the policyholder may choose to receive "
                "the documents on paper or on another durable medium, and "
                "may withdraw within the terms of article 67-duodecies of "
                "the Consumer Code."),
            'fa': (
                "قواعد رفتار توزیع‌کننده (ماده ۱۱۹ مکرر و مواد بعدی قانون "
                "بیمه‌های خصوصی).\n\n"
                "توزیع‌کننده موظف است: پیوست ۳ و پیوست ۴ را به بیمه‌گذار "
                "بدهد؛ قراردادهایی متناسب با خواسته‌ها و نیازهای بیمه‌ای او "
                "پیشنهاد کند و برای این کار هر اطلاعات مفیدی را گردآوری "
                "کند؛ اطلاعات بی‌طرفانه و روشن درباره محصول بدهد؛ رونوشت "
                "اسناد پیش‌قراردادی و قراردادی را تحویل دهد.\n\n"
                "در فروش از راه دور، بیمه‌گذار می‌تواند اسناد را به‌صورت "
                "کاغذی یا روی رسانه ماندگار دیگری دریافت کند و در مهلت‌های "
                "ماده ۶۷ مکرر دوازدهم قانون مصرف‌کننده حق انصراف دارد."),
            },
        },
    {
        'code': 'mandate_letter', 'mandatory': True,
        'kind': 'consent', 'party_kind': 'both', 'moment': 'contract',
        'name': {
            'it': "Lettera di incarico",
            'en': "Mandate letter",
            'fa': "نامه تفویض اختیار",
            },
        'text': {
            'it': (
                "Il cliente conferisce a " + INTERMEDIARY + " l'incarico di "
                "assisterlo nell'analisi dei rischi, nella ricerca sul "
                "mercato delle coperture assicurative più adatte, nella "
                "trattativa con le imprese e nella gestione dei contratti e "
                "dei sinistri.\n\n"
                "L'incarico ha durata annuale e si rinnova tacitamente salvo "
                "disdetta con preavviso di sessanta giorni. Il cliente si "
                "impegna a fornire informazioni complete e veritiere sui "
                "rischi da assicurare; le conseguenze di dati inesatti "
                "inseriti dal cliente restano a suo carico."),
            'en': (
                "The client instructs " + INTERMEDIARY + " to assist in "
                "analysing risks, searching the market for the most suitable "
                "insurance cover, negotiating with insurers and managing "
                "contracts and claims.\n\n"
                "The mandate lasts one year and renews tacitly unless "
                "terminated with sixty days' notice. The client undertakes "
                "to give complete and truthful information on the risks to "
                "insure; the consequences of wrong data entered by the "
                "client remain the client's."),
            'fa': (
                "مشتری به " + INTERMEDIARY + " مأموریت می‌دهد که در تحلیل "
                "ریسک‌ها، جست‌وجوی مناسب‌ترین پوشش‌های بیمه‌ای در بازار، "
                "مذاکره با شرکت‌های بیمه و مدیریت قراردادها و خسارت‌ها به "
                "او کمک کند.\n\n"
                "این مأموریت یک‌ساله است و اگر با شصت روز اطلاع قبلی فسخ "
                "نشود خودبه‌خود تمدید می‌شود. مشتری متعهد است اطلاعات کامل "
                "و درست درباره ریسک‌های بیمه‌شونده بدهد؛ پیامدهای داده‌های "
                "نادرستی که مشتری وارد کند بر عهده خود اوست."),
            },
        },
    {
        'code': 'law_248_2006', 'mandatory': True,
        'kind': 'consent', 'party_kind': 'legal', 'moment': 'contract',
        'name': {
            'it': "Autorizzazione ai sensi della legge 248/2006",
            'en': "Authorisation under law 248/2006",
            'fa': "مجوز بر اساس قانون ۲۴۸/۲۰۰۶",
            },
        'text': {
            'it': (
                "Ai sensi del D.L. 223/2006, convertito dalla legge 4 agosto "
                "2006 n. 248, il cliente autorizza " + INTERMEDIARY + " a "
                "comunicare i propri dati identificativi e fiscali "
                "all'Agenzia delle Entrate nell'ambito della trasmissione "
                "degli elenchi clienti e fornitori.\n\n"
                "Il cliente dichiara che i dati inseriti (ragione sociale, "
                "partita IVA, codice fiscale, sede) sono corretti e prende "
                "atto che le sanzioni derivanti da dati errati o incompleti "
                "da lui forniti restano a suo carico."),
            'en': (
                "Under Decree-Law 223/2006, converted by law no. 248 of "
                "4 August 2006, the client authorises " + INTERMEDIARY + " "
                "to send its identification and tax data to the Revenue "
                "Agency as part of the lists of clients and suppliers.\n\n"
                "The client declares that the data entered (company name, "
                "VAT number, tax code, registered office) are correct and "
                "acknowledges that penalties arising from wrong or "
                "incomplete data it provided remain its own."),
            'fa': (
                "بر اساس فرمان‌قانون ۲۲۳/۲۰۰۶ که با قانون شماره ۲۴۸ مورخ "
                "۴ اوت ۲۰۰۶ تصویب شد، مشتری به " + INTERMEDIARY + " اجازه "
                "می‌دهد داده‌های شناسایی و مالیاتی او را در چارچوب ارسال "
                "فهرست مشتریان و تأمین‌کنندگان به اداره درآمد ایتالیا "
                "بفرستد.\n\n"
                "مشتری اعلام می‌کند که داده‌های واردشده (نام شرکت، شماره "
                "مالیات بر ارزش افزوده، کد مالیاتی، نشانی) درست است و "
                "می‌پذیرد که جریمه‌های ناشی از داده‌های نادرست یا ناقصی که "
                "خود داده است بر عهده خود اوست."),
            },
        },
    ]

MARKETING_V2 = {
    'it': FORMS[2]['text']['it'] + (
        "\n\nDal 2026 i dati di contatto possono essere trattati anche per "
        "inviti a webinar formativi sulla gestione dei rischi condominiali."),
    'en': FORMS[2]['text']['en'] + (
        "\n\nFrom 2026 the contact data may also be used for invitations "
        "to training webinars on condominium risk management."),
    'fa': FORMS[2]['text']['fa'] + (
        "\n\nاز سال ۲۰۲۶ داده‌های تماس ممکن است برای دعوت به وبینارهای "
        "آموزشی مدیریت ریسک ساختمان‌های مشترک نیز به کار رود."),
    }
MARKETING_V2_CHANGE = {
    'it': "Aggiunti gli inviti a webinar formativi.",
    'en': "Invitations to training webinars added.",
    'fa': "دعوت به وبینارهای آموزشی افزوده شد.",
    }


def load():
    versions = load_forms()
    load_consents(versions)
    publish_marketing_update(versions['privacy_marketing'].form)


def translated(Model, record, values_by_language):
    "Write each language's values on the record (English is the source)."
    for language in ['en', 'it', 'fa']:
        with Transaction().set_context(language=language):
            Model.write([Model(record.id)], {
                    name: values[language]
                    for name, values in values_by_language.items()})


def load_forms():
    "Create and publish the first version of each form."
    pool = Pool()
    Form = pool.get('consent.form')
    Version = pool.get('consent.form.version')
    versions = {}
    with Transaction().set_context(language='en'):
        for sequence, data in enumerate(FORMS, 1):
            form, = Form.create([{
                        'code': data['code'], 'name': data['name']['en'],
                        'sequence': sequence * 10,
                        'mandatory': data['mandatory'], 'kind': data['kind'],
                        'party_kind': data['party_kind'],
                        'moment': data['moment'],
                        }])
            translated(Form, form, {'name': data['name']})
            version, = Version.create([{'form': form.id}])
            translated(Version, version, {'text': data['text']})
            versions[data['code']] = Version(version.id)
        Version.publish(list(versions.values()))
    return versions


# What the demo clients have answered, by the moment the forms are asked.
SIGNUP = [('electronic_collection', 'given'), ('privacy_insurance', 'given')]
BEFORE_QUOTE = [('allegato_3', 'acknowledged'),
    ('allegato_4', 'acknowledged'), ('allegato_4ter', 'acknowledged')]
BEFORE_CONTRACT = [('mandate_letter', 'given')]
BEFORE_CONTRACT_LEGAL = [('law_248_2006', 'given')]
# They have not read the information due before a quote yet: they are
# asked for it at their first quote request.
NEWCOMERS = {'Stefano Greco', 'Roberta Conti', 'Valentina Esposito'}


def load_consents(versions):
    """Record the answers of the demo clients and of their companies as
    their staff entered them; half of them gave the commercial consent."""
    pool = Pool()
    WebUser = pool.get('web.user')
    Record = pool.get('consent.record')
    Signup = pool.get('portal.signup')
    Signup.migrate_consents()
    users = WebUser.search([('party', '!=', None)], order=[('id', 'ASC')])
    companies = set()
    for index, user in enumerate(users):
        newcomer = user.party.name in NEWCOMERS
        answers = SIGNUP + ([] if newcomer else BEFORE_QUOTE + BEFORE_CONTRACT)
        marketing = ('privacy_marketing', 'given' if index % 2 else 'refused')
        parties = [(user.party, answers + [marketing])] + [
            (company, answers + ([] if newcomer else BEFORE_CONTRACT_LEGAL))
            for company in user.secondary_parties if company not in companies]
        companies.update(user.secondary_parties)
        for party, forms in parties:
            for code, answer in forms:
                Record.record_answer(
                    party, versions[code], answer, channel='staff',
                    language='it')


def publish_marketing_update(form):
    """Publish a second version of the commercial consent: the clients who
    gave or refused the first one review it at their next access. The first
    demo client answers it at once, as if done in the portal."""
    pool = Pool()
    Version = pool.get('consent.form.version')
    Record = pool.get('consent.record')
    WebUser = pool.get('web.user')
    with Transaction().set_context(language='en'):
        version, = Version.create([{'form': form.id}])
        translated(Version, version, {
                'text': MARKETING_V2, 'change_summary': MARKETING_V2_CHANGE})
        version = Version(version.id)
        Version.publish([version])
    for user in WebUser.search([('party', '!=', None)]):
        if user.email.startswith('daniela.spadafora@'):
            Record.record_answer(
                user.party, version, 'given', channel='portal',
                web_user=user.id, language='it')
