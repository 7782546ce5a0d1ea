"""The help texts and completion candidates of the command line, for mentorkit/entry.py.

Generated from the Typer app by `python -m mentorkit.cli.snapshot`: do not edit.
"""

# fmt: off
HELP_COLUMNS = 80  # the texts hold for a terminal at least this wide
HELP_OPTIONS = ('-h', '--help')
NO_ARGS_EXIT = 2  # `mentorkit` alone prints the help on stderr

HELP: dict[tuple[str, ...], str] = {
    (): (
        'Usage: mentorkit [OPTIONS] COMMAND [ARGS]...\n'
        '\n'
        '  Keep your personal board of directors: mentors, meetings and the follow-ups\n'
        '  they need.\n'
        '\n'
        'Options:\n'
        '  --db PATH             The store file (default: mentorkit.db in your user\n'
        '                        data directory).  [env var: MENTORKIT_DB]\n'
        '  --version             Show the version.\n'
        '  --install-completion  Install completion for the current shell.\n'
        '  --show-completion     Show completion for the current shell, to copy it or\n'
        '                        customize the installation.\n'
        '  -h, --help            Show this message and exit.\n'
        '\n'
        'Commands:\n'
        '  add-mentor  Add a mentor (or a prospect); prints the new id.\n'
        '  mentors     List mentors, active first.\n'
        '  edit        Change a mentor.\n'
        '  stage       Move a mentor to another stage; the history of stages is kept.\n'
        '  end         End a relationship.\n'
        '  arenas      List the arenas of your career and how many mentors cover...\n'
        '  show        One mentor: details, arenas, stages, meetings, open...\n'
        '  log         Record a meeting that took place, or an email or text...\n'
        "  plan        Schedule a meeting; shows it in your zone and the mentor's,...\n"
        '  followups   What needs doing now, most urgent first: action items,...\n'
        '  flag        Record a red flag on a relationship (lack of commitment,...\n'
        '  flags       List red flags, open ones unless --all.\n'
        '  unflag      Mark a red flag resolved; it stays in the history.\n'
        '  groups      List mastermind groups: members, cadence, meetings and the...\n'
        '  review      Re-evaluate the board: use, cadence, follow-ups, advice and...\n'
        '  search      Search notes, agendas, advice, follow-ups and pitches; best...\n'
        '  pitch       Draft a 30-second elevator pitch for an arena, from your...\n'
        '  summary     Draft the written summary of a meeting; for a planned one,...\n'
        '  board       Your personal board of directors: arenas by mentors, gaps,...\n'
        '  export      Export the store: JSON (every record, re-importable), CSV,...\n'
        '  import      Import a mentorkit JSON or CSV export, a CSV of people...\n'
        '  backup      Copy the whole store to a private, verified backup file...\n'
        '  restore     Replace the store with a backup; the current store is...\n'
        '  doctor      Check the store: integrity, links, schema version,...\n'
        '  demo        Fill a new, empty store with a realistic example board so...\n'
        '  profile     Your own profile, used to draft pitches and summaries.\n'
        '  arena       Manage arenas (research, career, personal, and your own).\n'
        '  meetings    List meetings; mark a planned one held, cancelled or missed.\n'
        '  followup    Action items: add, done, drop.\n'
        '  advice      The advice ledger: list advice (filters below), `advice...\n'
        '  group       Mastermind groups of near-peers: `group add`, `group edit`.\n'
        '  pitches     Your saved pitches: the outreach pipeline (draft, sent,...\n'
        '  templates   The drafting templates, and where your overrides live.\n'
    ),
    ('add-mentor',): (
        'Usage: mentorkit add-mentor [OPTIONS] {name}\n'
        '\n'
        '  Add a mentor (or a prospect); prints the new id.\n'
        '\n'
        'Arguments:\n'
        "  name <str>  Their full name, e.g. 'Dr. Teresa Alvarez'.  [required]\n"
        '\n'
        'Options:\n'
        '  --email <str>           Email address.\n'
        '  --institution <str>     Institution or company.\n'
        '  --location <str>        City or place.\n'
        '  --timezone, --tz <str>  Their IANA time zone, e.g. America/New_York.\n'
        '  --arena <list[str]>     An arena they cover; repeat for more.\n'
        '  --local / --remote      At your institution, or remote.\n'
        '  --stage <str>           prospect, pilot, active, paused.\n'
        '  --pilot-weeks <int>     Length of a pilot before its review (default 8).\n'
        '  --cadence <str>         How often to be in touch: weekly, biweekly, monthly,\n'
        '                          quarterly, every N days/weeks/months, or an RRULE.\n'
        '  --source <str>          How you found them (conference, podcast, LinkedIn,\n'
        '                          colleague...).\n'
        '  --hook <str>            How you know them, as a sentence a pitch opens with:\n'
        "                          'I heard your talk on rural sepsis care at SAEM in\n"
        "                          May'.\n"
        '  --tag <list[str]>       Expertise tag; repeat for more.\n'
        '  --channel <list[str]>   Preferred channel (email, video, phone, text);\n'
        '                          repeat.\n'
        "  --note <str>            Notes about them ('-' reads stdin).\n"
        '  --peer                  A near-peer (mastermind member) rather than a\n'
        '                          mentor.\n'
        '  --json                  Print JSON only, on stdout.\n'
        '  -h, --help              Show this message and exit.\n'
    ),
    ('mentors',): (
        'Usage: mentorkit mentors [OPTIONS]\n'
        '\n'
        '  List mentors, active first.\n'
        '\n'
        'Options:\n'
        '  --arena <str>  Only mentors in this arena.\n'
        '  --stage <str>  Only mentors in this stage.\n'
        '  --tag <str>    Only mentors with this tag.\n'
        '  --json         Print JSON only, on stdout.\n'
        '  -h, --help     Show this message and exit.\n'
    ),
    ('edit',): (
        'Usage: mentorkit edit [OPTIONS] {MENTOR}\n'
        '\n'
        '  Change a mentor. --arena and --tag add; --remove-arena and --remove-tag take\n'
        '  away.\n'
        '\n'
        'Arguments:\n'
        '  MENTOR <str>  Mentor id, or a unique part of the name.  [required]\n'
        '\n'
        'Options:\n'
        '  --name <str>                A new name.\n'
        '  --email <str>               Email address.\n'
        '  --institution <str>         Institution or company.\n'
        '  --location <str>            City or place.\n'
        '  --timezone, --tz <str>      Their IANA time zone, e.g. America/New_York.\n'
        '  --arena <list[str]>         An arena they cover; repeat for more.\n'
        '  --remove-arena <list[str]>  Stop listing them in an arena.\n'
        '  --local / --remote          At your institution, or remote.\n'
        '  --stage <str>               prospect, pilot, active, paused.\n'
        '  --pilot-weeks <int>         Length of a pilot before its review (default 8).\n'
        '  --cadence <str>             How often to be in touch: weekly, biweekly,\n'
        '                              monthly, quarterly, every N days/weeks/months,\n'
        '                              or an RRULE.\n'
        '  --source <str>              How you found them (conference, podcast,\n'
        '                              LinkedIn, colleague...).\n'
        '  --hook <str>                How you know them, as a sentence a pitch opens\n'
        "                              with: 'I heard your talk on rural sepsis care at\n"
        "                              SAEM in May'.\n"
        '  --tag <list[str]>           Expertise tag; repeat for more.\n'
        '  --remove-tag <list[str]>    Remove a tag.\n'
        '  --channel <list[str]>       Preferred channel (email, video, phone, text);\n'
        '                              repeat.\n'
        "  --note <str>                Notes about them ('-' reads stdin).\n"
        '  --json                      Print JSON only, on stdout.\n'
        '  -h, --help                  Show this message and exit.\n'
    ),
    ('stage',): (
        'Usage: mentorkit stage [OPTIONS] {MENTOR} {STAGE}\n'
        '\n'
        '  Move a mentor to another stage; the history of stages is kept.\n'
        '\n'
        'Arguments:\n'
        '  MENTOR <str>  Mentor id, or a unique part of the name.  [required]\n'
        '  STAGE <str>   prospect, pilot, active, paused or ended.  [required]\n'
        '\n'
        'Options:\n'
        '  --reason <str>       Why (required for ended).\n'
        '  --pilot-weeks <int>  Length of a pilot before its review (default 8).\n'
        '  --json               Print JSON only, on stdout.\n'
        '  -h, --help           Show this message and exit.\n'
    ),
    ('end',): (
        'Usage: mentorkit end [OPTIONS] {MENTOR}\n'
        '\n'
        '  End a relationship. Its meetings, advice and follow-ups stay; it leaves the\n'
        '  board.\n'
        '\n'
        'Arguments:\n'
        '  MENTOR <str>  Mentor id, or a unique part of the name.  [required]\n'
        '\n'
        'Options:\n'
        '  --reason <str>  Why the relationship ends (kept in the history).  [required]\n'
        '  --json          Print JSON only, on stdout.\n'
        '  -h, --help      Show this message and exit.\n'
    ),
    ('arenas',): (
        'Usage: mentorkit arenas [OPTIONS]\n'
        '\n'
        '  List the arenas of your career and how many mentors cover each.\n'
        '\n'
        'Options:\n'
        '  --json      Print JSON only, on stdout.\n'
        '  -h, --help  Show this message and exit.\n'
    ),
    ('show',): (
        'Usage: mentorkit show [OPTIONS] {MENTOR}\n'
        '\n'
        '  One mentor: details, arenas, stages, meetings, open follow-ups, advice and\n'
        '  flags.\n'
        '\n'
        'Arguments:\n'
        '  MENTOR <str>  Mentor id, or a unique part of the name.  [required]\n'
        '\n'
        'Options:\n'
        '  --json      Print JSON only, on stdout.\n'
        '  -h, --help  Show this message and exit.\n'
    ),
    ('log',): (
        'Usage: mentorkit log [OPTIONS] [MENTOR]\n'
        '\n'
        '  Record a meeting that took place, or an email or text exchange (--mode\n'
        '  email).\n'
        '\n'
        'Arguments:\n'
        '  MENTOR <str>  Mentor id or part of a name.\n'
        '\n'
        'Options:\n'
        '  --group <str>           A mastermind group instead of a mentor.\n'
        '  --when <str>            When it took place (default now): today, yesterday\n'
        '                          15:00, monday 9am, 2026-12-03 15:00, in 2 weeks\n'
        '                          10:00 ...\n'
        "  --tz <str>              Zone of --when (default: your profile's).\n"
        '  --mode <str>            video, phone, in-person, email, text or conference.\n'
        '                          [default: video]\n'
        '  --minutes <int>         How long, in minutes.\n'
        '  --agenda <str>          What you meant to discuss.\n'
        "  --notes <str>           What was discussed ('-' reads stdin).\n"
        '  --edit                  Write the notes in $EDITOR.\n'
        '  --advice <list[str]>    Advice received; repeat for more.\n'
        '  --followup <list[str]>  An action item; repeat for more.\n'
        '  --due <str>             Due date of the --followup items.\n'
        '  --owner <str>           Who owns the --followup items: me or mentor.\n'
        '                          [default: me]\n'
        '  --json                  Print JSON only, on stdout.\n'
        '  -h, --help              Show this message and exit.\n'
    ),
    ('plan',): (
        'Usage: mentorkit plan [OPTIONS] [MENTOR]\n'
        '\n'
        "  Schedule a meeting; shows it in your zone and the mentor's, and warns\n"
        '  outside working hours.\n'
        '\n'
        'Arguments:\n'
        '  MENTOR <str>  Mentor id or part of a name.\n'
        '\n'
        'Options:\n'
        '  --when <str>     Date and time: today, yesterday 15:00, monday 9am,\n'
        '                   2026-12-03 15:00, in 2 weeks 10:00 ...  [required]\n'
        '  --group <str>    A mastermind group instead of a mentor.\n'
        "  --tz <str>       Zone of --when (default: your profile's).\n"
        '  --mode <str>     video, phone, in-person, email, text or conference.\n'
        '                   [default: video]\n'
        '  --minutes <int>  How long, in minutes.  [default: 30]\n'
        "  --agenda <str>   What you want to discuss ('-' reads stdin).\n"
        '  --json           Print JSON only, on stdout.\n'
        '  -h, --help       Show this message and exit.\n'
    ),
    ('followups',): (
        'Usage: mentorkit followups [OPTIONS]\n'
        '\n'
        '  What needs doing now, most urgent first: action items, check-ins, summaries,\n'
        '  preparation, pilot reviews.\n'
        '\n'
        'Options:\n'
        '  --all           Everything open, whatever its date.\n'
        '  --mentor <str>  Only items for this mentor.\n'
        '  --within <int>  Items due within this many days (default 7).\n'
        '  --json          Print JSON only, on stdout.\n'
        '  -h, --help      Show this message and exit.\n'
    ),
    ('flag',): (
        'Usage: mentorkit flag [OPTIONS] {MENTOR} {TEXT}\n'
        '\n'
        '  Record a red flag on a relationship (lack of commitment, competition,\n'
        '  conflict of interest).\n'
        '\n'
        'Arguments:\n'
        '  MENTOR <str>  Mentor id, or a unique part of the name.  [required]\n'
        '  TEXT <str>    What happened, in a line.  [required]\n'
        '\n'
        'Options:\n'
        '  --kind <str>  commitment, competition, conflict-of-interest or other.\n'
        '                [default: other]\n'
        '  --on <str>    The day (default today): yesterday, 2026-03-02, 3 days ago...\n'
        '  --json        Print JSON only, on stdout.\n'
        '  -h, --help    Show this message and exit.\n'
    ),
    ('flags',): (
        'Usage: mentorkit flags [OPTIONS]\n'
        '\n'
        '  List red flags, open ones unless --all.\n'
        '\n'
        'Options:\n'
        '  --mentor <str>  Only this mentor (id or part of a name).\n'
        '  --all           Resolved flags too.\n'
        '  --json          Print JSON only, on stdout.\n'
        '  -h, --help      Show this message and exit.\n'
    ),
    ('unflag',): (
        'Usage: mentorkit unflag [OPTIONS] {FLAG_ID}\n'
        '\n'
        '  Mark a red flag resolved; it stays in the history.\n'
        '\n'
        'Arguments:\n'
        "  FLAG_ID <int>  The flag's id (see `mentorkit flags`).  [required]\n"
        '\n'
        'Options:\n'
        '  --on <str>  The day (default today): yesterday, 2026-03-02, 3 days ago...\n'
        '  --json      Print JSON only, on stdout.\n'
        '  -h, --help  Show this message and exit.\n'
    ),
    ('groups',): (
        'Usage: mentorkit groups [OPTIONS]\n'
        '\n'
        '  List mastermind groups: members, cadence, meetings and the next check-in.\n'
        '\n'
        'Options:\n'
        '  --json      Print JSON only, on stdout.\n'
        '  -h, --help  Show this message and exit.\n'
    ),
    ('review',): (
        'Usage: mentorkit review [OPTIONS]\n'
        '\n'
        '  Re-evaluate the board: use, cadence, follow-ups, advice and flags per\n'
        '  mentor; gaps; what to reconsider.\n'
        '\n'
        'Options:\n'
        '  --since <str>  Start of the period (default: 90 days ago).\n'
        '  --json         Print JSON only, on stdout.\n'
        '  -h, --help     Show this message and exit.\n'
    ),
    ('search',): (
        'Usage: mentorkit search [OPTIONS] {TEXT}...\n'
        '\n'
        '  Search notes, agendas, advice, follow-ups and pitches; best matches first.\n'
        '\n'
        'Arguments:\n'
        '  TEXT <list[str]>  Words to find; "a phrase" in quotes; word* for a prefix.\n'
        '                    [required]\n'
        '\n'
        'Options:\n'
        '  --mentor <str>  Only this mentor (id or part of a name).\n'
        '  --kind <str>    Only meeting, advice, followup or pitch.\n'
        '  --limit <int>   At most this many hits.  [default: 20]\n'
        '  --json          Print JSON only, on stdout.\n'
        '  -h, --help      Show this message and exit.\n'
    ),
    ('pitch',): (
        'Usage: mentorkit pitch [OPTIONS]\n'
        '\n'
        '  Draft a 30-second elevator pitch for an arena, from your profile.\n'
        '\n'
        'Options:\n'
        '  --arena <str>         The arena this pitch opens (research, career, ...).\n'
        '                        [required]\n'
        '  --to MENTOR           The mentor it is for (id or part of the name).\n'
        '  --request <str>       The directed request it ends with (default: one that\n'
        '                        fits the arena).\n'
        '  --template NAME|PATH  A template NAME (see `templates list`) or a template\n'
        '                        file PATH.\n'
        '  --save                Store the pitch, to mark it sent and record the reply\n'
        '                        later.\n'
        '  --json                Print JSON only, on stdout.\n'
        '  -h, --help            Show this message and exit.\n'
    ),
    ('summary',): (
        'Usage: mentorkit summary [OPTIONS] {MEETING_ID}\n'
        '\n'
        '  Draft the written summary of a meeting; for a planned one, the agenda to\n'
        '  send ahead.\n'
        '\n'
        'Arguments:\n'
        '  MEETING_ID <str>  The meeting (see `mentorkit meetings`).  [required]\n'
        '\n'
        'Options:\n'
        '  --template NAME|PATH  A template NAME (see `templates list`) or a template\n'
        '                        file PATH.\n'
        "  --mark-sent           Record that you sent it (clears the 'summary owed'\n"
        '                        follow-up).\n'
        '  --json                Print JSON only, on stdout.\n'
        '  -h, --help            Show this message and exit.\n'
    ),
    ('board',): (
        'Usage: mentorkit board [OPTIONS]\n'
        '\n'
        '  Your personal board of directors: arenas by mentors, gaps, single points,\n'
        '  local/remote mix.\n'
        '\n'
        'Options:\n'
        '  --json      Print JSON only, on stdout.\n'
        '  -h, --help  Show this message and exit.\n'
    ),
    ('export',): (
        'Usage: mentorkit export [OPTIONS]\n'
        '\n'
        '  Export the store: JSON (every record, re-importable), CSV, iCalendar or a\n'
        '  Markdown report.\n'
        '\n'
        'Options:\n'
        '  -f, --format <json|csv|ics|md>  json (everything), csv, ics or md.\n'
        '                                  [required]\n'
        '  -o, --output <file>             Write to FILE (a new file, 0600, written\n'
        '                                  whole or not at all) instead of stdout.\n'
        '  --force                         Replace FILE if it exists.\n'
        '  --what <mentors|meetings|followups>\n'
        '                                  csv only: mentors (default), meetings or\n'
        '                                  followups.\n'
        '  --todos-as-events               ics only: follow-ups as all-day events, for\n'
        '                                  calendars that ignore to-dos (Google).\n'
        '  --template <str>                md only: a template NAME or PATH instead of\n'
        "                                  'report'.\n"
        '  -h, --help                      Show this message and exit.\n'
    ),
    ('import',): (
        'Usage: mentorkit import [OPTIONS] {FILE}\n'
        '\n'
        '  Import a mentorkit JSON or CSV export, a CSV of people (LinkedIn\n'
        '  Connections.csv too) or vCards.\n'
        '\n'
        '  Records of a mentorkit export match by UUID, so importing a file twice\n'
        '  changes nothing. People from other tools become prospects unless already in\n'
        '  the store (same email, profile URL or name). The whole import is one\n'
        '  transaction: a malformed file writes nothing.\n'
        '\n'
        'Arguments:\n'
        '  FILE <str>  The file to import, or - for stdin.  [required]\n'
        '\n'
        'Options:\n'
        '  -f, --format <json|csv|vcard>  json, csv or vcard (default: recognised from\n'
        '                                 the content).\n'
        '  --dry-run                      Show what would change; write nothing.\n'
        '  --map HEADER=FIELD             CSV: fill FIELD (name, email, institution,\n'
        '                                 title, tags, ...) from the column HEADER;\n'
        '                                 repeat for more.\n'
        '  --encoding <str>               Text encoding of a CSV or vCard file.\n'
        '                                 [default: utf-8]\n'
        '  --json                         Print JSON only, on stdout.\n'
        '  -h, --help                     Show this message and exit.\n'
    ),
    ('backup',): (
        'Usage: mentorkit backup [OPTIONS] [[PATH]]\n'
        '\n'
        '  Copy the whole store to a private, verified backup file (safe while\n'
        '  mentorkit runs).\n'
        '\n'
        'Arguments:\n'
        '  [PATH] <str>  Where to write it (default: a timestamped file beside the\n'
        '                store).\n'
        '\n'
        'Options:\n'
        '  --force     Replace PATH if it exists.\n'
        '  --json      Print JSON only, on stdout.\n'
        '  -h, --help  Show this message and exit.\n'
    ),
    ('restore',): (
        'Usage: mentorkit restore [OPTIONS] {PATH}\n'
        '\n'
        '  Replace the store with a backup; the current store is backed up first.\n'
        '\n'
        'Arguments:\n'
        '  PATH <path>  A backup made by `mentorkit backup`.  [required]\n'
        '\n'
        'Options:\n'
        '  -y, --yes   Do not ask (required when not at a terminal).\n'
        '  --json      Print JSON only, on stdout.\n'
        '  -h, --help  Show this message and exit.\n'
    ),
    ('doctor',): (
        'Usage: mentorkit doctor [OPTIONS]\n'
        '\n'
        '  Check the store: integrity, links, schema version, permissions, WAL,\n'
        '  backups, where it lives.\n'
        '\n'
        'Options:\n'
        '  --rebuild-index  Rebuild the search index and review counts first.\n'
        '  --json           Print JSON only, on stdout.\n'
        '  -h, --help       Show this message and exit.\n'
    ),
    ('demo',): (
        'Usage: mentorkit demo [OPTIONS]\n'
        '\n'
        '  Fill a new, empty store with a realistic example board so you can try every\n'
        '  command.\n'
        '\n'
        'Options:\n'
        '  --json      Print JSON only, on stdout.\n'
        '  -h, --help  Show this message and exit.\n'
    ),
    ('profile',): (
        'Usage: mentorkit profile [OPTIONS] COMMAND [ARGS]...\n'
        '\n'
        '  Your own profile, used to draft pitches and summaries.\n'
        '\n'
        'Options:\n'
        '  -h, --help  Show this message and exit.\n'
        '\n'
        'Commands:\n'
        '  set   Set fields of your profile; fields you leave out keep their value.\n'
        '  show  Show your profile.\n'
    ),
    ('profile', 'set'): (
        'Usage: mentorkit profile set [OPTIONS]\n'
        '\n'
        '  Set fields of your profile; fields you leave out keep their value.\n'
        '\n'
        'Options:\n'
        '  --name <str>              Your name as you sign emails.\n'
        "  --role <str>              e.g. 'Assistant Professor of Emergency Medicine'.\n"
        '  --institution <str>       Where you work.\n'
        '  --timezone, --tz <str>    Your IANA time zone, e.g. America/Chicago.\n'
        "  --story <str>             Your career story in a few sentences ('-' reads\n"
        '                            stdin).\n'
        '  --goal ARENA=TEXT         Your goal in an arena; repeat for more. An empty\n'
        '                            TEXT clears it.\n'
        '  --story-for ARENA=TEXT    The story a pitch in this arena tells, instead of\n'
        '                            --story; repeat for more. Empty TEXT clears it.\n'
        '  --request-for ARENA=TEXT  The request a pitch in this arena ends with (a\n'
        '                            question); repeat for more. Empty TEXT clears it.\n'
        '  --email <str>             Your email address, for the sign-off of a pitch.\n'
        '  --date-order <str>        How you write numeric dates: DMY, MDY or YMD.\n'
        '  --json                    Print JSON only, on stdout.\n'
        '  -h, --help                Show this message and exit.\n'
    ),
    ('profile', 'show'): (
        'Usage: mentorkit profile show [OPTIONS]\n'
        '\n'
        '  Show your profile.\n'
        '\n'
        'Options:\n'
        '  --json      Print JSON only, on stdout.\n'
        '  -h, --help  Show this message and exit.\n'
    ),
    ('arena',): (
        'Usage: mentorkit arena [OPTIONS] COMMAND [ARGS]...\n'
        '\n'
        '  Manage arenas (research, career, personal, and your own).\n'
        '\n'
        'Options:\n'
        '  -h, --help  Show this message and exit.\n'
        '\n'
        'Commands:\n'
        '  add  Add an arena.\n'
    ),
    ('arena', 'add'): (
        'Usage: mentorkit arena add [OPTIONS] {name}\n'
        '\n'
        '  Add an arena.\n'
        '\n'
        'Arguments:\n'
        '  name <str>  e.g. teaching, clinical, leadership, writing.  [required]\n'
        '\n'
        'Options:\n'
        '  --description <str>  What the arena covers.\n'
        '  --json               Print JSON only, on stdout.\n'
        '  -h, --help           Show this message and exit.\n'
    ),
    ('meetings',): (
        'Usage: mentorkit meetings [OPTIONS] COMMAND [ARGS]...\n'
        '\n'
        '  List meetings; mark a planned one held, cancelled or missed.\n'
        '\n'
        'Options:\n'
        '  --upcoming / --past  Only planned ones, or only past ones.\n'
        '  --mentor <str>       Only meetings with this mentor.\n'
        '  --group <str>        A mastermind group instead of a mentor.\n'
        '  --limit <int>        At most this many past meetings.  [default: 20]\n'
        '  --json               Print JSON only, on stdout.\n'
        '  -h, --help           Show this message and exit.\n'
        '\n'
        'Commands:\n'
        '  mark  Mark a planned meeting held, cancelled or missed.\n'
    ),
    ('meetings', 'mark'): (
        'Usage: mentorkit meetings mark [OPTIONS] {MEETING_ID} {STATUS}\n'
        '\n'
        '  Mark a planned meeting held, cancelled or missed.\n'
        '\n'
        'Arguments:\n'
        '  MEETING_ID <str>  [required]\n'
        '  STATUS <str>      held, cancelled or missed.  [required]\n'
        '\n'
        'Options:\n'
        '  --json      Print JSON only, on stdout.\n'
        '  -h, --help  Show this message and exit.\n'
    ),
    ('followup',): (
        'Usage: mentorkit followup [OPTIONS] COMMAND [ARGS]...\n'
        '\n'
        '  Action items: add, done, drop.\n'
        '\n'
        'Options:\n'
        '  -h, --help  Show this message and exit.\n'
        '\n'
        'Commands:\n'
        '  add   Add an action item for you (or, with --owner mentor, one you are...\n'
        '  done  Mark an action item done.\n'
        '  drop  Drop an action item that no longer matters.\n'
    ),
    ('followup', 'add'): (
        'Usage: mentorkit followup add [OPTIONS] {MENTOR} {text}\n'
        '\n'
        '  Add an action item for you (or, with --owner mentor, one you are waiting\n'
        '  on).\n'
        '\n'
        'Arguments:\n'
        '  MENTOR <str>  Mentor id, or a unique part of the name.  [required]\n'
        '  text <str>    What needs doing.  [required]\n'
        '\n'
        'Options:\n'
        '  --due <str>      Due date: tomorrow, friday, in 2 weeks, 2026-12-03 ...\n'
        '  --owner <str>    me or mentor.  [default: me]\n'
        '  --meeting <int>  The meeting it came from.\n'
        '  --json           Print JSON only, on stdout.\n'
        '  -h, --help       Show this message and exit.\n'
    ),
    ('followup', 'done'): (
        'Usage: mentorkit followup done [OPTIONS] {ID}\n'
        '\n'
        '  Mark an action item done.\n'
        '\n'
        'Arguments:\n'
        '  ID <str>  [required]\n'
        '\n'
        'Options:\n'
        '  --json      Print JSON only, on stdout.\n'
        '  -h, --help  Show this message and exit.\n'
    ),
    ('followup', 'drop'): (
        'Usage: mentorkit followup drop [OPTIONS] {ID}\n'
        '\n'
        '  Drop an action item that no longer matters.\n'
        '\n'
        'Arguments:\n'
        '  ID <str>  [required]\n'
        '\n'
        'Options:\n'
        '  --json      Print JSON only, on stdout.\n'
        '  -h, --help  Show this message and exit.\n'
    ),
    ('advice',): (
        'Usage: mentorkit advice [OPTIONS] COMMAND [ARGS]...\n'
        '\n'
        '  The advice ledger: list advice (filters below), `advice add`, `advice rate`.\n'
        '\n'
        'Options:\n'
        '  --mentor <str>   Only this mentor (id or part of a name).\n'
        '  --arena <str>    Only advice in this arena.\n'
        '  --outcome <str>  helpful, mixed, unhelpful or untested.\n'
        '  --json           Print JSON only, on stdout.\n'
        '  -h, --help       Show this message and exit.\n'
        '\n'
        'Commands:\n'
        '  add   Record a piece of advice a mentor gave.\n'
        '  rate  Record what came of a piece of advice.\n'
    ),
    ('advice', 'add'): (
        'Usage: mentorkit advice add [OPTIONS] {MENTOR} {TEXT}\n'
        '\n'
        '  Record a piece of advice a mentor gave.\n'
        '\n'
        'Arguments:\n'
        '  MENTOR <str>  Mentor id, or a unique part of the name.  [required]\n'
        '  TEXT <str>    The advice, in their words or yours.  [required]\n'
        '\n'
        'Options:\n'
        "  --arena <str>  The arena it is about (default: the mentor's only arena).\n"
        '  --on <str>     The day (default today): yesterday, 2026-03-02, 3 days ago...\n'
        '  --json         Print JSON only, on stdout.\n'
        '  -h, --help     Show this message and exit.\n'
    ),
    ('advice', 'rate'): (
        'Usage: mentorkit advice rate [OPTIONS] {ID} {OUTCOME}\n'
        '\n'
        '  Record what came of a piece of advice.\n'
        '\n'
        'Arguments:\n'
        '  ID <int>       The advice id (see `mentorkit advice`).  [required]\n'
        '  OUTCOME <str>  helpful, mixed, unhelpful (or untested to undo).  [required]\n'
        '\n'
        'Options:\n'
        '  --note <str>  What came of it; replaces an earlier note.\n'
        '  --json        Print JSON only, on stdout.\n'
        '  -h, --help    Show this message and exit.\n'
    ),
    ('group',): (
        'Usage: mentorkit group [OPTIONS] COMMAND [ARGS]...\n'
        '\n'
        '  Mastermind groups of near-peers: `group add`, `group edit`.\n'
        '\n'
        'Options:\n'
        '  -h, --help  Show this message and exit.\n'
        '\n'
        'Commands:\n'
        '  add   Form a mastermind group.\n'
        "  edit  Change a group's members, cadence or name.\n"
    ),
    ('group', 'add'): (
        'Usage: mentorkit group add [OPTIONS] {name}\n'
        '\n'
        '  Form a mastermind group. Log its meetings with `mentorkit log --group NAME`.\n'
        '\n'
        'Arguments:\n'
        "  name <str>  The group's name, e.g. 'Writing circle'.  [required]\n"
        '\n'
        'Options:\n'
        '  --member <list[str]>  A member: a mentor or peer in the store (id or part of\n'
        '                        a name), or a new name, which adds a peer. Repeat for\n'
        '                        each.  [required]\n'
        '  --cadence <str>       How often the group meets: weekly, monthly, every 3\n'
        '                        weeks...\n'
        '  --note <str>          What the group is for.\n'
        '  --json                Print JSON only, on stdout.\n'
        '  -h, --help            Show this message and exit.\n'
    ),
    ('group', 'edit'): (
        'Usage: mentorkit group edit [OPTIONS] {GROUP}\n'
        '\n'
        "  Change a group's members, cadence or name.\n"
        '\n'
        'Arguments:\n'
        "  GROUP <str>  The group's name or id.  [required]\n"
        '\n'
        'Options:\n'
        '  --add-member <list[str]>     Add a member (a new name adds a peer).\n'
        '  --remove-member <list[str]>  Remove a member.\n'
        '  --cadence <str>              How often the group meets: weekly, monthly,\n'
        '                               every 3 weeks...\n'
        '  --name <str>                 A new name.\n'
        '  --json                       Print JSON only, on stdout.\n'
        '  -h, --help                   Show this message and exit.\n'
    ),
    ('pitches',): (
        'Usage: mentorkit pitches [OPTIONS] COMMAND [ARGS]...\n'
        '\n'
        '  Your saved pitches: the outreach pipeline (draft, sent, reply).\n'
        '\n'
        'Options:\n'
        '  --arena <str>  Only pitches in this arena.\n'
        '  --to MENTOR    Only pitches to this mentor.\n'
        '  --json         Print JSON only, on stdout.\n'
        '  -h, --help     Show this message and exit.\n'
        '\n'
        'Commands:\n'
        "  show   Print one saved pitch's text.\n"
        '  sent   Record that a pitch went out.\n'
        '  reply  Record the reply to a pitch.\n'
    ),
    ('pitches', 'show'): (
        'Usage: mentorkit pitches show [OPTIONS] {ID}\n'
        '\n'
        "  Print one saved pitch's text.\n"
        '\n'
        'Arguments:\n'
        '  ID <str>  The pitch id (see `mentorkit pitches`).  [required]\n'
        '\n'
        'Options:\n'
        '  --json      Print JSON only, on stdout.\n'
        '  -h, --help  Show this message and exit.\n'
    ),
    ('pitches', 'sent'): (
        'Usage: mentorkit pitches sent [OPTIONS] {ID}\n'
        '\n'
        '  Record that a pitch went out.\n'
        '\n'
        'Arguments:\n'
        '  ID <str>  The pitch id (see `mentorkit pitches`).  [required]\n'
        '\n'
        'Options:\n'
        '  --on DATE   When (default today): 2026-12-03, yesterday, monday...\n'
        '  --json      Print JSON only, on stdout.\n'
        '  -h, --help  Show this message and exit.\n'
    ),
    ('pitches', 'reply'): (
        'Usage: mentorkit pitches reply [OPTIONS] {ID} {REPLY}\n'
        '\n'
        '  Record the reply to a pitch. Accepted moves a prospect to a pilot\n'
        '  relationship.\n'
        '\n'
        'Arguments:\n'
        '  ID <str>     The pitch id (see `mentorkit pitches`).  [required]\n'
        '  REPLY <str>  accepted, declined or no-answer.  [required]\n'
        '\n'
        'Options:\n'
        '  --on DATE   When (default today): 2026-12-03, yesterday, monday...\n'
        '  --json      Print JSON only, on stdout.\n'
        '  -h, --help  Show this message and exit.\n'
    ),
    ('templates',): (
        'Usage: mentorkit templates [OPTIONS] COMMAND [ARGS]...\n'
        '\n'
        '  The drafting templates, and where your overrides live.\n'
        '\n'
        'Options:\n'
        '  -h, --help  Show this message and exit.\n'
        '\n'
        'Commands:\n'
        '  list  List the templates: the defaults, and which ones your own files...\n'
        "  show  Print a template's source: your override if you have one, else...\n"
        '  path  Print the directory your template overrides live in (it may not...\n'
        '  edit  Edit your own copy of a template in $EDITOR (the default is...\n'
    ),
    ('templates', 'list'): (
        'Usage: mentorkit templates list [OPTIONS]\n'
        '\n'
        '  List the templates: the defaults, and which ones your own files override.\n'
        '\n'
        'Options:\n'
        '  --json      Print JSON only, on stdout.\n'
        '  -h, --help  Show this message and exit.\n'
    ),
    ('templates', 'show'): (
        'Usage: mentorkit templates show [OPTIONS] {NAME}\n'
        '\n'
        "  Print a template's source: your override if you have one, else the default.\n"
        '\n'
        'Arguments:\n'
        '  NAME <str>  pitch, summary, report ... (see `templates list`).  [required]\n'
        '\n'
        'Options:\n'
        '  --default   Show the shipped default even when you override it.\n'
        '  --json      Print JSON only, on stdout.\n'
        '  -h, --help  Show this message and exit.\n'
    ),
    ('templates', 'path'): (
        'Usage: mentorkit templates path [OPTIONS]\n'
        '\n'
        '  Print the directory your template overrides live in (it may not exist yet).\n'
        '\n'
        'Options:\n'
        '  --json      Print JSON only, on stdout.\n'
        '  -h, --help  Show this message and exit.\n'
    ),
    ('templates', 'edit'): (
        'Usage: mentorkit templates edit [OPTIONS] {NAME}\n'
        '\n'
        '  Edit your own copy of a template in $EDITOR (the default is copied first; an\n'
        '  existing copy is never overwritten).\n'
        '\n'
        'Arguments:\n'
        '  NAME <str>  pitch, summary, report ... (see `templates list`).  [required]\n'
        '\n'
        'Options:\n'
        '  -h, --help  Show this message and exit.\n'
    ),
}

TAKES_ARGUMENTS: frozenset[tuple[str, ...]] = frozenset({
    ('add-mentor',),
    ('edit',),
    ('stage',),
    ('end',),
    ('show',),
    ('log',),
    ('plan',),
    ('flag',),
    ('unflag',),
    ('search',),
    ('summary',),
    ('import',),
    ('backup',),
    ('restore',),
    ('arena', 'add'),
    ('meetings', 'mark'),
    ('followup', 'add'),
    ('followup', 'done'),
    ('followup', 'drop'),
    ('advice', 'add'),
    ('advice', 'rate'),
    ('group', 'add'),
    ('group', 'edit'),
    ('pitches', 'show'),
    ('pitches', 'sent'),
    ('pitches', 'reply'),
    ('templates', 'show'),
    ('templates', 'edit'),
})

SUBCOMMANDS: dict[tuple[str, ...], tuple[tuple[str, str | None], ...]] = {
    (): (
        ('add-mentor', 'Add a mentor (or a prospect); prints the...'),
        ('mentors', 'List mentors, active first.'),
        ('edit', 'Change a mentor.'),
        ('stage', 'Move a mentor to another stage; the...'),
        ('end', 'End a relationship.'),
        ('arenas', 'List the arenas of your career and how...'),
        ('show', 'One mentor: details, arenas, stages,...'),
        ('log', 'Record a meeting that took place, or an...'),
        ('plan', 'Schedule a meeting; shows it in your zone...'),
        ('followups', 'What needs doing now, most urgent first:...'),
        ('flag', 'Record a red flag on a relationship (lack...'),
        ('flags', 'List red flags, open ones unless --all.'),
        ('unflag', 'Mark a red flag resolved; it stays in the...'),
        ('groups', 'List mastermind groups: members, cadence,...'),
        ('review', 'Re-evaluate the board: use, cadence,...'),
        ('search', 'Search notes, agendas, advice, follow-ups...'),
        ('pitch', 'Draft a 30-second elevator pitch for an...'),
        ('summary', 'Draft the written summary of a meeting;...'),
        ('board', 'Your personal board of directors: arenas...'),
        ('export', 'Export the store: JSON (every record,...'),
        ('import', 'Import a mentorkit JSON or CSV export, a...'),
        ('backup', 'Copy the whole store to a private,...'),
        ('restore', 'Replace the store with a backup; the...'),
        ('doctor', 'Check the store: integrity, links, schema...'),
        ('demo', 'Fill a new, empty store with a realistic...'),
        ('profile', 'Your own profile, used to draft pitches...'),
        ('arena', 'Manage arenas (research, career, personal,...'),
        ('meetings', 'List meetings; mark a planned one held,...'),
        ('followup', 'Action items: add, done, drop.'),
        ('advice', 'The advice ledger: list advice (filters...'),
        ('group', 'Mastermind groups of near-peers: `group...'),
        ('pitches', 'Your saved pitches: the outreach pipeline...'),
        ('templates', 'The drafting templates, and where your...'),
    ),
    ('profile',): (
        ('set', 'Set fields of your profile; fields you...'),
        ('show', 'Show your profile.'),
    ),
    ('arena',): (
        ('add', 'Add an arena.'),
    ),
    ('meetings',): (
        ('mark', 'Mark a planned meeting held, cancelled or...'),
    ),
    ('followup',): (
        ('add', 'Add an action item for you (or, with...'),
        ('done', 'Mark an action item done.'),
        ('drop', 'Drop an action item that no longer matters.'),
    ),
    ('advice',): (
        ('add', 'Record a piece of advice a mentor gave.'),
        ('rate', 'Record what came of a piece of advice.'),
    ),
    ('group',): (
        ('add', 'Form a mastermind group.'),
        ('edit', "Change a group's members, cadence or name."),
    ),
    ('pitches',): (
        ('show', "Print one saved pitch's text."),
        ('sent', 'Record that a pitch went out.'),
        ('reply', 'Record the reply to a pitch.'),
    ),
    ('templates',): (
        ('list', 'List the templates: the defaults, and...'),
        ('show', "Print a template's source: your override..."),
        ('path', 'Print the directory your template...'),
        ('edit', 'Edit your own copy of a template in...'),
    ),
}

OPTIONS: dict[tuple[str, ...], tuple[tuple[str, str | None], ...]] = {
    (): (
        ('--db', 'The store file (default: mentorkit.db in your user data directory).'),
        ('--version', 'Show the version.'),
        ('--install-completion', 'Install completion for the current shell.'),
        ('--show-completion', 'Show completion for the current shell, to copy it or customize the installation.'),
        ('-h', 'Show this message and exit.'),
        ('--help', 'Show this message and exit.'),
    ),
    ('add-mentor',): (
        ('--email', 'Email address.'),
        ('--institution', 'Institution or company.'),
        ('--location', 'City or place.'),
        ('--timezone', 'Their IANA time zone, e.g. America/New_York.'),
        ('--tz', 'Their IANA time zone, e.g. America/New_York.'),
        ('--arena', 'An arena they cover; repeat for more.'),
        ('--local', 'At your institution, or remote.'),
        ('--remote', 'At your institution, or remote.'),
        ('--stage', 'prospect, pilot, active, paused.'),
        ('--pilot-weeks', 'Length of a pilot before its review (default 8).'),
        ('--cadence', 'How often to be in touch: weekly, biweekly, monthly, quarterly, every N days/weeks/months, or an RRULE.'),
        ('--source', 'How you found them (conference, podcast, LinkedIn, colleague...).'),
        ('--hook', "How you know them, as a sentence a pitch opens with: 'I heard your talk on rural sepsis care at SAEM in May'."),
        ('--tag', 'Expertise tag; repeat for more.'),
        ('--channel', 'Preferred channel (email, video, phone, text); repeat.'),
        ('--note', "Notes about them ('-' reads stdin)."),
        ('--peer', 'A near-peer (mastermind member) rather than a mentor.'),
        ('--json', 'Print JSON only, on stdout.'),
        ('-h', 'Show this message and exit.'),
        ('--help', 'Show this message and exit.'),
    ),
    ('mentors',): (
        ('--arena', 'Only mentors in this arena.'),
        ('--stage', 'Only mentors in this stage.'),
        ('--tag', 'Only mentors with this tag.'),
        ('--json', 'Print JSON only, on stdout.'),
        ('-h', 'Show this message and exit.'),
        ('--help', 'Show this message and exit.'),
    ),
    ('edit',): (
        ('--name', 'A new name.'),
        ('--email', 'Email address.'),
        ('--institution', 'Institution or company.'),
        ('--location', 'City or place.'),
        ('--timezone', 'Their IANA time zone, e.g. America/New_York.'),
        ('--tz', 'Their IANA time zone, e.g. America/New_York.'),
        ('--arena', 'An arena they cover; repeat for more.'),
        ('--remove-arena', 'Stop listing them in an arena.'),
        ('--local', 'At your institution, or remote.'),
        ('--remote', 'At your institution, or remote.'),
        ('--stage', 'prospect, pilot, active, paused.'),
        ('--pilot-weeks', 'Length of a pilot before its review (default 8).'),
        ('--cadence', 'How often to be in touch: weekly, biweekly, monthly, quarterly, every N days/weeks/months, or an RRULE.'),
        ('--source', 'How you found them (conference, podcast, LinkedIn, colleague...).'),
        ('--hook', "How you know them, as a sentence a pitch opens with: 'I heard your talk on rural sepsis care at SAEM in May'."),
        ('--tag', 'Expertise tag; repeat for more.'),
        ('--remove-tag', 'Remove a tag.'),
        ('--channel', 'Preferred channel (email, video, phone, text); repeat.'),
        ('--note', "Notes about them ('-' reads stdin)."),
        ('--json', 'Print JSON only, on stdout.'),
        ('-h', 'Show this message and exit.'),
        ('--help', 'Show this message and exit.'),
    ),
    ('stage',): (
        ('--reason', 'Why (required for ended).'),
        ('--pilot-weeks', 'Length of a pilot before its review (default 8).'),
        ('--json', 'Print JSON only, on stdout.'),
        ('-h', 'Show this message and exit.'),
        ('--help', 'Show this message and exit.'),
    ),
    ('end',): (
        ('--reason', 'Why the relationship ends (kept in the history).'),
        ('--json', 'Print JSON only, on stdout.'),
        ('-h', 'Show this message and exit.'),
        ('--help', 'Show this message and exit.'),
    ),
    ('arenas',): (
        ('--json', 'Print JSON only, on stdout.'),
        ('-h', 'Show this message and exit.'),
        ('--help', 'Show this message and exit.'),
    ),
    ('show',): (
        ('--json', 'Print JSON only, on stdout.'),
        ('-h', 'Show this message and exit.'),
        ('--help', 'Show this message and exit.'),
    ),
    ('log',): (
        ('--group', 'A mastermind group instead of a mentor.'),
        ('--when', 'When it took place (default now): today, yesterday 15:00, monday 9am, 2026-12-03 15:00, in 2 weeks 10:00 ...'),
        ('--tz', "Zone of --when (default: your profile's)."),
        ('--mode', 'video, phone, in-person, email, text or conference.'),
        ('--minutes', 'How long, in minutes.'),
        ('--agenda', 'What you meant to discuss.'),
        ('--notes', "What was discussed ('-' reads stdin)."),
        ('--edit', 'Write the notes in $EDITOR.'),
        ('--advice', 'Advice received; repeat for more.'),
        ('--followup', 'An action item; repeat for more.'),
        ('--due', 'Due date of the --followup items.'),
        ('--owner', 'Who owns the --followup items: me or mentor.'),
        ('--json', 'Print JSON only, on stdout.'),
        ('-h', 'Show this message and exit.'),
        ('--help', 'Show this message and exit.'),
    ),
    ('plan',): (
        ('--when', 'Date and time: today, yesterday 15:00, monday 9am, 2026-12-03 15:00, in 2 weeks 10:00 ...'),
        ('--group', 'A mastermind group instead of a mentor.'),
        ('--tz', "Zone of --when (default: your profile's)."),
        ('--mode', 'video, phone, in-person, email, text or conference.'),
        ('--minutes', 'How long, in minutes.'),
        ('--agenda', "What you want to discuss ('-' reads stdin)."),
        ('--json', 'Print JSON only, on stdout.'),
        ('-h', 'Show this message and exit.'),
        ('--help', 'Show this message and exit.'),
    ),
    ('followups',): (
        ('--all', 'Everything open, whatever its date.'),
        ('--mentor', 'Only items for this mentor.'),
        ('--within', 'Items due within this many days (default 7).'),
        ('--json', 'Print JSON only, on stdout.'),
        ('-h', 'Show this message and exit.'),
        ('--help', 'Show this message and exit.'),
    ),
    ('flag',): (
        ('--kind', 'commitment, competition, conflict-of-interest or other.'),
        ('--on', 'The day (default today): yesterday, 2026-03-02, 3 days ago...'),
        ('--json', 'Print JSON only, on stdout.'),
        ('-h', 'Show this message and exit.'),
        ('--help', 'Show this message and exit.'),
    ),
    ('flags',): (
        ('--mentor', 'Only this mentor (id or part of a name).'),
        ('--all', 'Resolved flags too.'),
        ('--json', 'Print JSON only, on stdout.'),
        ('-h', 'Show this message and exit.'),
        ('--help', 'Show this message and exit.'),
    ),
    ('unflag',): (
        ('--on', 'The day (default today): yesterday, 2026-03-02, 3 days ago...'),
        ('--json', 'Print JSON only, on stdout.'),
        ('-h', 'Show this message and exit.'),
        ('--help', 'Show this message and exit.'),
    ),
    ('groups',): (
        ('--json', 'Print JSON only, on stdout.'),
        ('-h', 'Show this message and exit.'),
        ('--help', 'Show this message and exit.'),
    ),
    ('review',): (
        ('--since', 'Start of the period (default: 90 days ago).'),
        ('--json', 'Print JSON only, on stdout.'),
        ('-h', 'Show this message and exit.'),
        ('--help', 'Show this message and exit.'),
    ),
    ('search',): (
        ('--mentor', 'Only this mentor (id or part of a name).'),
        ('--kind', 'Only meeting, advice, followup or pitch.'),
        ('--limit', 'At most this many hits.'),
        ('--json', 'Print JSON only, on stdout.'),
        ('-h', 'Show this message and exit.'),
        ('--help', 'Show this message and exit.'),
    ),
    ('pitch',): (
        ('--arena', 'The arena this pitch opens (research, career, ...).'),
        ('--to', 'The mentor it is for (id or part of the name).'),
        ('--request', 'The directed request it ends with (default: one that fits the arena).'),
        ('--template', 'A template NAME (see `templates list`) or a template file PATH.'),
        ('--save', 'Store the pitch, to mark it sent and record the reply later.'),
        ('--json', 'Print JSON only, on stdout.'),
        ('-h', 'Show this message and exit.'),
        ('--help', 'Show this message and exit.'),
    ),
    ('summary',): (
        ('--template', 'A template NAME (see `templates list`) or a template file PATH.'),
        ('--mark-sent', "Record that you sent it (clears the 'summary owed' follow-up)."),
        ('--json', 'Print JSON only, on stdout.'),
        ('-h', 'Show this message and exit.'),
        ('--help', 'Show this message and exit.'),
    ),
    ('board',): (
        ('--json', 'Print JSON only, on stdout.'),
        ('-h', 'Show this message and exit.'),
        ('--help', 'Show this message and exit.'),
    ),
    ('export',): (
        ('--format', 'json (everything), csv, ics or md.'),
        ('-f', 'json (everything), csv, ics or md.'),
        ('--output', 'Write to FILE (a new file, 0600, written whole or not at all) instead of stdout.'),
        ('-o', 'Write to FILE (a new file, 0600, written whole or not at all) instead of stdout.'),
        ('--force', 'Replace FILE if it exists.'),
        ('--what', 'csv only: mentors (default), meetings or followups.'),
        ('--todos-as-events', 'ics only: follow-ups as all-day events, for calendars that ignore to-dos (Google).'),
        ('--template', "md only: a template NAME or PATH instead of 'report'."),
        ('-h', 'Show this message and exit.'),
        ('--help', 'Show this message and exit.'),
    ),
    ('import',): (
        ('--format', 'json, csv or vcard (default: recognised from the content).'),
        ('-f', 'json, csv or vcard (default: recognised from the content).'),
        ('--dry-run', 'Show what would change; write nothing.'),
        ('--map', 'CSV: fill FIELD (name, email, institution, title, tags, ...) from the column HEADER; repeat for more.'),
        ('--encoding', 'Text encoding of a CSV or vCard file.'),
        ('--json', 'Print JSON only, on stdout.'),
        ('-h', 'Show this message and exit.'),
        ('--help', 'Show this message and exit.'),
    ),
    ('backup',): (
        ('--force', 'Replace PATH if it exists.'),
        ('--json', 'Print JSON only, on stdout.'),
        ('-h', 'Show this message and exit.'),
        ('--help', 'Show this message and exit.'),
    ),
    ('restore',): (
        ('--yes', 'Do not ask (required when not at a terminal).'),
        ('-y', 'Do not ask (required when not at a terminal).'),
        ('--json', 'Print JSON only, on stdout.'),
        ('-h', 'Show this message and exit.'),
        ('--help', 'Show this message and exit.'),
    ),
    ('doctor',): (
        ('--rebuild-index', 'Rebuild the search index and review counts first.'),
        ('--json', 'Print JSON only, on stdout.'),
        ('-h', 'Show this message and exit.'),
        ('--help', 'Show this message and exit.'),
    ),
    ('demo',): (
        ('--json', 'Print JSON only, on stdout.'),
        ('-h', 'Show this message and exit.'),
        ('--help', 'Show this message and exit.'),
    ),
    ('profile',): (
        ('-h', 'Show this message and exit.'),
        ('--help', 'Show this message and exit.'),
    ),
    ('profile', 'set'): (
        ('--name', 'Your name as you sign emails.'),
        ('--role', "e.g. 'Assistant Professor of Emergency Medicine'."),
        ('--institution', 'Where you work.'),
        ('--timezone', 'Your IANA time zone, e.g. America/Chicago.'),
        ('--tz', 'Your IANA time zone, e.g. America/Chicago.'),
        ('--story', "Your career story in a few sentences ('-' reads stdin)."),
        ('--goal', 'Your goal in an arena; repeat for more. An empty TEXT clears it.'),
        ('--story-for', 'The story a pitch in this arena tells, instead of --story; repeat for more. Empty TEXT clears it.'),
        ('--request-for', 'The request a pitch in this arena ends with (a question); repeat for more. Empty TEXT clears it.'),
        ('--email', 'Your email address, for the sign-off of a pitch.'),
        ('--date-order', 'How you write numeric dates: DMY, MDY or YMD.'),
        ('--json', 'Print JSON only, on stdout.'),
        ('-h', 'Show this message and exit.'),
        ('--help', 'Show this message and exit.'),
    ),
    ('profile', 'show'): (
        ('--json', 'Print JSON only, on stdout.'),
        ('-h', 'Show this message and exit.'),
        ('--help', 'Show this message and exit.'),
    ),
    ('arena',): (
        ('-h', 'Show this message and exit.'),
        ('--help', 'Show this message and exit.'),
    ),
    ('arena', 'add'): (
        ('--description', 'What the arena covers.'),
        ('--json', 'Print JSON only, on stdout.'),
        ('-h', 'Show this message and exit.'),
        ('--help', 'Show this message and exit.'),
    ),
    ('meetings',): (
        ('--upcoming', 'Only planned ones, or only past ones.'),
        ('--past', 'Only planned ones, or only past ones.'),
        ('--mentor', 'Only meetings with this mentor.'),
        ('--group', 'A mastermind group instead of a mentor.'),
        ('--limit', 'At most this many past meetings.'),
        ('--json', 'Print JSON only, on stdout.'),
        ('-h', 'Show this message and exit.'),
        ('--help', 'Show this message and exit.'),
    ),
    ('meetings', 'mark'): (
        ('--json', 'Print JSON only, on stdout.'),
        ('-h', 'Show this message and exit.'),
        ('--help', 'Show this message and exit.'),
    ),
    ('followup',): (
        ('-h', 'Show this message and exit.'),
        ('--help', 'Show this message and exit.'),
    ),
    ('followup', 'add'): (
        ('--due', 'Due date: tomorrow, friday, in 2 weeks, 2026-12-03 ...'),
        ('--owner', 'me or mentor.'),
        ('--meeting', 'The meeting it came from.'),
        ('--json', 'Print JSON only, on stdout.'),
        ('-h', 'Show this message and exit.'),
        ('--help', 'Show this message and exit.'),
    ),
    ('followup', 'done'): (
        ('--json', 'Print JSON only, on stdout.'),
        ('-h', 'Show this message and exit.'),
        ('--help', 'Show this message and exit.'),
    ),
    ('followup', 'drop'): (
        ('--json', 'Print JSON only, on stdout.'),
        ('-h', 'Show this message and exit.'),
        ('--help', 'Show this message and exit.'),
    ),
    ('advice',): (
        ('--mentor', 'Only this mentor (id or part of a name).'),
        ('--arena', 'Only advice in this arena.'),
        ('--outcome', 'helpful, mixed, unhelpful or untested.'),
        ('--json', 'Print JSON only, on stdout.'),
        ('-h', 'Show this message and exit.'),
        ('--help', 'Show this message and exit.'),
    ),
    ('advice', 'add'): (
        ('--arena', "The arena it is about (default: the mentor's only arena)."),
        ('--on', 'The day (default today): yesterday, 2026-03-02, 3 days ago...'),
        ('--json', 'Print JSON only, on stdout.'),
        ('-h', 'Show this message and exit.'),
        ('--help', 'Show this message and exit.'),
    ),
    ('advice', 'rate'): (
        ('--note', 'What came of it; replaces an earlier note.'),
        ('--json', 'Print JSON only, on stdout.'),
        ('-h', 'Show this message and exit.'),
        ('--help', 'Show this message and exit.'),
    ),
    ('group',): (
        ('-h', 'Show this message and exit.'),
        ('--help', 'Show this message and exit.'),
    ),
    ('group', 'add'): (
        ('--member', 'A member: a mentor or peer in the store (id or part of a name), or a new name, which adds a peer. Repeat for each.'),
        ('--cadence', 'How often the group meets: weekly, monthly, every 3 weeks...'),
        ('--note', 'What the group is for.'),
        ('--json', 'Print JSON only, on stdout.'),
        ('-h', 'Show this message and exit.'),
        ('--help', 'Show this message and exit.'),
    ),
    ('group', 'edit'): (
        ('--add-member', 'Add a member (a new name adds a peer).'),
        ('--remove-member', 'Remove a member.'),
        ('--cadence', 'How often the group meets: weekly, monthly, every 3 weeks...'),
        ('--name', 'A new name.'),
        ('--json', 'Print JSON only, on stdout.'),
        ('-h', 'Show this message and exit.'),
        ('--help', 'Show this message and exit.'),
    ),
    ('pitches',): (
        ('--arena', 'Only pitches in this arena.'),
        ('--to', 'Only pitches to this mentor.'),
        ('--json', 'Print JSON only, on stdout.'),
        ('-h', 'Show this message and exit.'),
        ('--help', 'Show this message and exit.'),
    ),
    ('pitches', 'show'): (
        ('--json', 'Print JSON only, on stdout.'),
        ('-h', 'Show this message and exit.'),
        ('--help', 'Show this message and exit.'),
    ),
    ('pitches', 'sent'): (
        ('--on', 'When (default today): 2026-12-03, yesterday, monday...'),
        ('--json', 'Print JSON only, on stdout.'),
        ('-h', 'Show this message and exit.'),
        ('--help', 'Show this message and exit.'),
    ),
    ('pitches', 'reply'): (
        ('--on', 'When (default today): 2026-12-03, yesterday, monday...'),
        ('--json', 'Print JSON only, on stdout.'),
        ('-h', 'Show this message and exit.'),
        ('--help', 'Show this message and exit.'),
    ),
    ('templates',): (
        ('-h', 'Show this message and exit.'),
        ('--help', 'Show this message and exit.'),
    ),
    ('templates', 'list'): (
        ('--json', 'Print JSON only, on stdout.'),
        ('-h', 'Show this message and exit.'),
        ('--help', 'Show this message and exit.'),
    ),
    ('templates', 'show'): (
        ('--default', 'Show the shipped default even when you override it.'),
        ('--json', 'Print JSON only, on stdout.'),
        ('-h', 'Show this message and exit.'),
        ('--help', 'Show this message and exit.'),
    ),
    ('templates', 'path'): (
        ('--json', 'Print JSON only, on stdout.'),
        ('-h', 'Show this message and exit.'),
        ('--help', 'Show this message and exit.'),
    ),
    ('templates', 'edit'): (
        ('-h', 'Show this message and exit.'),
        ('--help', 'Show this message and exit.'),
    ),
}
