"""The words of a prompt to subscribe, one vocabulary for every rule that reads one.

The text cleanups drop a call to sign up or a newsletter box from a story's edges
(``pipelines.extraction.text``); the site-level boilerplate removes a learned line that
says it even between story lines (``archive.boilerplate``). Both read these fragments,
written for ``re`` with ``re.I`` inside ``\\b(?:...)\\b``, in the languages news is
written in: English, German, French, Spanish, Portuguese, Italian, Dutch, Russian, Polish.
"""

from __future__ import annotations

# A call to sign up, as the verb opening a clause ("Sign up", "Abonnez-vous", "Iscriviti").
SIGN_UP = (
    r"sign up|subscribe"
    r"|abonnieren sie|jetzt (?:kostenlos )?(?:abonnieren|anmelden|registrieren)"
    r"|abonnez-vous|inscrivez-vous"
    r"|suscr[ií]bete|suscr[ií]base"
    r"|inscreva-se|assine (?:já|agora)"
    r"|iscriviti|abbonati (?:ora|subito)"
    r"|abonneer|schrijf je (?:nu )?in|meld je (?:nu )?aan"
    r"|подпишитесь|подписывайтесь|zapisz się|(?:za)?subskrybuj"
)
# What a newsletter is called, and where it lands.
NEWSLETTER = (
    r"newsletters?|inbox|posteingang|infolettres?|bo[iî]te (?:mail|de r[eé]ception)"
    r"|bandeja de entrada|caixa de entrada|nieuwsbrie(?:f|ven)"
)
# The field a sign-up form asks to fill ("Enter your email address:", "Ihre E-Mail-Adresse").
EMAIL_FIELD = (
    r"e-?mail address|your e-?mail"
    r"|e-?mail-adresse|ihre e-?mail|deine e-?mail"
    r"|adresse (?:e-?mail|électronique|electronique)|votre (?:adresse )?e-?mail"
    r"|correo electr[oó]nico|tu (?:correo|e-?mail)"
    r"|endereço de e-?mail|seu e-?mail"
    r"|indirizzo (?:e-?mail|di posta)|la tua e-?mail"
    r"|e-?mailadres|je e-?mail|uw e-?mail"
    r"|электронн(?:ой|ая|ую) почт[аыу]|adres e-?mail|twój e-?mail"
)
