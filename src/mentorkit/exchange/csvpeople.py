"""CSVs of people from other tools (LinkedIn's Connections.csv, any contact list) as contacts.

LinkedIn's columns are known (Position is the title, URL the profile URL); any other file's
header is mapped to mentor fields by common names (Name, Full name, First/Last name, E-mail,
Company, Organization, Title, Time zone, Tags, ...). `--map HEADER=FIELD` works on both (on
LinkedIn it changes or adds to the known columns), and the columns left out are always reported. The file itself is read and checked by `csvio.read_csv`.
"""

from __future__ import annotations

from datetime import date

from mentorkit.errors import InvalidInput
from mentorkit.exchange.contacts import Contact
from mentorkit.exchange.csvio import LINKEDIN_HEADER, LOCAL_WORDS, CsvFile, normal_header, split_list

LINKEDIN_FIELDS = ("first_name", "last_name", "url", "email", "institution", "title", "connected")
"""What LinkedIn's columns (csvio.LINKEDIN_HEADER) hold; "connected" becomes a line of the notes."""

FIELDS = (
    "name",
    "first_name",
    "last_name",
    "email",
    "institution",
    "title",
    "location",
    "timezone",
    "url",
    "notes",
    "tags",
    "arenas",
    "stage",
    "source",
    "cadence",
    "local",
    "channels",
    "connected",
    "ignore",
)
SYNONYMS = {
    "name": ("name", "full name", "fullname", "display name", "contact", "contact name", "mentor", "person"),
    "first_name": ("first name", "firstname", "given name", "first", "forename"),
    "last_name": ("last name", "lastname", "family name", "surname", "last"),
    "email": ("email", "e mail", "email address", "e mail address", "mail", "e mail 1 value", "email 1 value"),
    "institution": (
        "institution",
        "company",
        "organization",
        "organisation",
        "org",
        "affiliation",
        "employer",
        "organization 1 name",
        "organization name",
        "university",
        "hospital",
    ),
    "title": ("title", "job title", "position", "role", "organization 1 title"),
    "location": ("location", "city", "place", "address"),
    "timezone": ("timezone", "time zone", "tz", "zone"),
    "url": ("url", "linkedin", "linkedin url", "profile url", "website", "web page", "homepage"),
    "notes": ("notes", "note", "comments", "comment", "description"),
    "tags": ("tags", "tag", "keywords", "expertise", "labels", "categories"),
    "arenas": ("arenas", "arena"),
    "stage": ("stage", "status"),
    "source": ("source", "how found", "how met", "met at"),
    "cadence": ("cadence", "frequency"),
    "local": ("local", "is local"),
    "channels": ("channels", "channel", "preferred channel"),
}


def parse_mapping(pairs: list[str]) -> dict[str, str]:
    """`--map "Their Header=name"` options as {normalised header: field}."""
    mapping = {}
    for pair in pairs:
        header, sep, target = pair.rpartition("=")
        target = target.strip().lower().replace("-", "_").replace(" ", "_")
        if not sep or not header.strip():
            raise InvalidInput(f'--map needs HEADER=FIELD, e.g. --map "Full Name=name"; got {pair!r}')
        if target not in FIELDS:
            raise InvalidInput(f"--map: unknown field {target!r}; use one of: {', '.join(FIELDS)}")
        mapping[normal_header(header)] = target
    return mapping


def map_header(header: list[str], mapping: dict[str, str]) -> tuple[dict[int, str], list[str]]:
    """Which field each column fills, and the columns left out."""
    lookup = {syn: name for name, synonyms in SYNONYMS.items() for syn in synonyms}
    columns: dict[int, str] = {}
    ignored = []
    for index, title in enumerate(header):
        key = normal_header(title)
        target = mapping.get(key) or lookup.get(key)
        if target and target != "ignore" and target not in columns.values():
            columns[index] = target
        else:
            ignored.append(title)
    unused = set(mapping) - {normal_header(h) for h in header}
    if unused:
        raise InvalidInput(f"--map names columns the file does not have: {', '.join(sorted(unused))}")
    if not {"name", "first_name", "last_name"} & set(columns.values()):
        raise InvalidInput(
            f'no column holds the person\'s name (columns: {", ".join(header)}); say which with --map "HEADER=name"'
        )
    return columns, ignored


def _connected_on(text: str, today: date) -> str:
    from mentorkit.dates import parse_date

    try:
        return parse_date(text, today=today).isoformat()
    except InvalidInput:
        return text.strip()


def contacts_from_csv(
    csvfile: CsvFile, mapping: dict[str, str], source: str, today: date
) -> tuple[list[Contact], list[str]]:
    """The people in a LinkedIn or generic CSV; the notes say what was left out."""
    notes: list[str] = []
    if csvfile.kind == "linkedin":  # its own columns first; --map may change or add to them
        mapping = {**dict(zip(LINKEDIN_HEADER, LINKEDIN_FIELDS, strict=True)), **mapping}
    columns, ignored = map_header(csvfile.header, mapping)
    if ignored:
        notes.append(f"ignored columns: {', '.join(ignored)}")
    contacts, nameless = [], 0
    for line, cells in csvfile.rows():
        values = {target: cells[i].strip() for i, target in columns.items() if cells[i].strip()}
        name = values.get("name") or " ".join(v for v in (values.get("first_name"), values.get("last_name")) if v)
        if not name:
            nameless += 1
            continue
        contact = Contact(
            where=f"{source} line {line}",
            name=name,
            email=values.get("email"),
            institution=values.get("institution"),
            title=values.get("title"),
            location=values.get("location"),
            timezone=values.get("timezone"),
            url=values.get("url"),
            notes=values.get("notes"),
            stage=values.get("stage"),
            source=values.get("source"),
            cadence=values.get("cadence"),
            tags=split_list(values.get("tags", "").replace(",", ";")),
            arenas=split_list(values.get("arenas", "").replace(",", ";")),
            channels=split_list(values["channels"].replace(",", ";")) if "channels" in values else None,
        )
        if "local" in values:
            flag = LOCAL_WORDS.get(values["local"].casefold())
            if flag is None:
                raise InvalidInput(f"{contact.where}: local must be yes or no")
            contact.local = flag
        if csvfile.kind == "linkedin" and not contact.source:
            contact.source = "LinkedIn"
        if values.get("connected"):
            where = " on LinkedIn" if csvfile.kind == "linkedin" else ""
            contact.extra.append(f"Connected{where}: {_connected_on(values['connected'], today)}")
        contacts.append(contact)
    if nameless:
        notes.append(f"skipped {nameless} row(s) without a name")
    return contacts, notes
