"""Mongolian labels for the text that docutils itself generates (the Mongolian edition).

Docutils has no Mongolian module of its own; it looks for one named after the language code on
the Python path (docs/_ext is on it), so this module is found as "mn". Without it, docutils
warns and falls back to English.
"""

labels = {
    "author": "Зохиогч",
    "authors": "Зохиогчид",
    "organization": "Байгууллага",
    "address": "Хаяг",
    "contact": "Холбоо барих",
    "version": "Хувилбар",
    "revision": "Засвар",
    "status": "Төлөв",
    "date": "Огноо",
    "copyright": "Зохиогчийн эрх",
    "dedication": "Зориулал",
    "abstract": "Хураангуй",
    "attention": "Анхаар!",
    "caution": "Болгоомжил!",
    "danger": "!АЮУЛТАЙ!",
    "error": "Алдаа",
    "hint": "Зөвлөмж",
    "important": "Чухал",
    "note": "Тэмдэглэл",
    "tip": "Зөвлөгөө",
    "warning": "Сэрэмжлүүлэг",
    "contents": "Агуулга",
}

# Field names stay as written in the source (English); docutils maps them to its own names.
bibliographic_fields = {
    name: name
    for name in labels
    if name
    in (
        "author",
        "authors",
        "organization",
        "address",
        "contact",
        "version",
        "revision",
        "status",
        "date",
        "copyright",
        "dedication",
        "abstract",
    )
}

author_separators = [";", ","]
