"""What one line of copied page text is, judged on its own shape: furniture to drop (ads, empty labels,
share rows, prompts, menus, live-blog stamps), a pointer away from the story ("Read more", "Related",
tag lists), a timestamp, a byline, or the wire dateline that opens a story.

``structure`` walks the lines in order and uses these to place each one; the HTML path uses the same
predicates on the text blocks of a page.
"""

from __future__ import annotations

import re

from generator.extract import credits, dates

AD = re.compile(
    r"^(?:advertisement|advertisement\s*\d+|ad|ads|sponsored(?: content)?|story continues below(?: advertisement)?|"
    r"article continues below(?: advertisement)?|continue reading below|skip (?:ad|advertisement)|close ad|"
    r"remove ads?|report (?:an )?ad|paid (?:post|content)|promoted(?: content)?|partner content|publicité|annonce|"
    r"this advertisement has not loaded yet.{0,60})\W*$", re.I)
EMPTY_LABEL = re.compile(
    r"^(?:updated|published|posted|last updated|print|email|e-mail|comments?|listen|listen to (?:this )?article|"
    r"\d+\s*min(?:ute)?s?(?: read| listen)?|font size|close|menu|search|home|"
    r"skip (?:to )?(?:main |the )?(?:content|navigation|search|footer|menu)|"
    r"sections?|log ?in|sign ?in|sign up|register|subscribe|subscribe now|play|pause|audio|watch|video|"
    r"photos?|gallery|open in app|follow|following|copy|copy link|link copied|save|saved|bookmark|"
    r"text size|a a a|aa|more|back to top|top|next|previous|loading\.*|image|caption|expand|collapse|"
    r"toggle caption|hide caption|view comments?|\d+ comments?|join the conversation|"
    r"opens? in (?:a )?new (?:window|tab)|to top|advertisement feature|breaking|live|exclusive|"
    r"trending|news|for subscribers|subscribers only|subscriber content|save for later|"
    r"save (?:this )?(?:article|story)|create (?:a )?free account|open this photo in gallery|view (?:the )?gallery|"
    r"translate|gift (?:this )?article|share (?:this )?article|listen to this story|join the conversation|"
    r"accept(?: all)?(?: cookies)?|reject all|manage (?:choices|preferences|cookies|settings)|"
    r"cookie settings|i agree|got it|dismiss|today[’']s paper|join|open|reply|reuse this content|"
    r"add to (?:your )?saved (?:stories|articles)|comment on this (?:story|article)|see all|view all|"
    r"article content|author of the article|listen now|listen live|watch live|live now|view (?:it )?online|"
    r"view (?:this (?:email|newsletter|message) )?in (?:your |a )?browser|web version|send feedback|feedback|help|"
    r"privacy (?:(?:&|and) cookies )?dashboard|open in (?:the )?app|get the app|\d{1,2}:\d{2}|"
    r"(?:print|digital|home delivery) subscriptions?|(?:international|us|uk|canada|canadian|australia|europe|"
    r"global|world) edition|my account|manage account|partager(?: l['’]article)?|"
    r"(?:aller|passer) au contenu(?: principal)?|lire plus tard|écouter|print this (?:article|story|page)|"
    r"reprints?(?: (?:&|and) permissions)?|corrections? (?:&|and) clarifications|leave a comment|"
    r"comments are closed|image \d+ of \d+|\d+ of \d+|(?:estimated )?reading time:? \d+ min(?:ute)?s?|"
    r"[A-Z][\w .'’-]{1,30} -?\d{1,2} ?°[CF]?)\W*$", re.I)
# Reader-forum furniture: "r/Subreddit", "u/name · 5 hr. ago", "Posted by u/name".
FORUM = re.compile(r"^(?:posted by\s+)?[ru]/[\w-]+(?:\s*[·•|]\s*.{0,30})?$", re.I)
SOCIAL = r"(?:facebook|twitter|x|linkedin|email|e-mail|whatsapp|reddit|pinterest|telegram|bluesky|threads|" \
          r"flipboard|messenger|sms|print|copy link|link|share|tumblr|mastodon)"
SHARE = re.compile(
    rf"^(?:share(?: this)?(?: article| story| page| on)?\s*:?\s*)?(?:{SOCIAL}(?:\s*[|·,/•]?\s*|\s+))*{SOCIAL}?\W*$",
    re.I)
SHARE_PHRASE = re.compile(r"^(?:share (?:this|on)|click to share|share via|tap to share|"
                           r"send this (?:page|article|story|link) to)\b", re.I)
PROMPT = re.compile(
    r"(?:sign up (?:for|to)|subscribe (?:to (?:our|the)|for \$)|newsletter|by signing up|we use cookies|"
    r"cookie (?:policy|settings)|"
    r"accept (?:all )?cookies|privacy policy|terms of (?:use|service)|create (?:an|a free) account|"
    r"already (?:a subscriber|have an account)|download (?:our|the) app|follow us on|enable javascript|"
    r"your browser|get (?:the latest|breaking news)|delivered to your inbox|unlock (?:this|unlimited)|"
    r"to continue reading|log in to|sign in to|report (?:an )?error|report a typo|editorial standards|"
    r"our journalism|support (?:our|independent) journalism|notifications?|get alerts|story continues|"
    r"journalistic standards|code of conduct|use cookies|uses cookies|please log in|log in to|"
    r"read (?:this|the) (?:article|story) in|save this article|by registering|registering for free|"
    r"you(?: are|'re|’re) receiving this|you received this|unsubscribe|(?:update|manage) (?:your )?(?:email )?"
    r"(?:preferences|subscriptions)|views (?:and opinions )?expressed|opinions expressed|\bdonate\b|"
    r"forward this (?:email |newsletter )?to a friend|news tip|enter your e-?mail|free articles? (?:left|remaining)|"
    r"articles? remaining this month|thank you for (?:subscribing|signing up)|"
    r"\b(?:download|get|try|install|open)\b[^.]{0,40}\bapp\b|\ball (?:of )?your news\b|news,? all in one place)",
    re.I)
CUT = re.compile(
    r"^(?:read more|read also|also read|also see|see also|more stories|more from [\w .&’']{1,40}|related|"
    r"related (?:stories|articles|content|coverage|links|reading|news|topics)|trending(?: now| stories)?|"
    r"you may also like|you might also like|recommended(?: for you| reading| stories)?|most read|most popular|"
    r"popular (?:now|stories)|top stories|latest (?:news|stories)|editor'?s picks|what to read next|"
    r"more on this(?: story| topic)?|also watch|watch more|don'?t miss|more coverage|in case you missed it|"
    r"more in [\w .]{1,30}|further reading|up next|what'?s next|featured (?:stories|videos?)|"
    r"latest videos?|more videos?|trending videos?|most read from [\w .]{1,40}|more on this story|"
    r"related (?:stories|articles|topics|internet links)|"
    r"most (?:read|popular|viewed|shared)(?: (?:stories|articles|now))?|"
    r"explore more(?: on these topics)?|more posts you may like|also from this source|organi[sz]ation profile|"
    r"popular [\w ]{1,25} (?:articles|stories)|trending(?: in [\w .]{1,30})?|see more on|related posts|"
    r"more for you|continue reading|most watched|topics|tags|recommended videos?|"
    r"à lire (?:aussi|également)|lire aussi|"
    r"sur le même sujet)"
    r"\s*:?\s*$", re.I)
# Links to a section, printed as headings below a story ("More Business News", "World News"); above the
# headline the same words are a kicker.
SECTION_LINKS = re.compile(r"(?i)^(?:more [\w .&’']{1,30} (?:news|stories|headlines)|(?:world|national|local|"
                           r"business|canada|canadian|sports?|top|latest|breaking) news|"
                           r"latest [\w ]{1,25} (?:stories|news|headlines))\s*:?\s*$")
# Where the article ends and reader comments or press-release furniture begin: everything after is not story.
TAIL = re.compile(
    r"^(?:(?i:\d[\d,.]*k?\s+comments?|comments?|sort by\s*:.*|view all comments|show comments|"
    r"see more on\s*:.*|forward[- ]looking (?:information|statements?)|(?:cautionary|legal) (?:note|notice))|"
    r"(?i:about)\s+(?:the\s+)?[A-Z][\w.&’'-]*(?:\s+[\w.&’'-]+){0,6})\s*$")
INLINE_SEE_ALSO = re.compile(r"^(?:read more|read also|also read|also see|see also|watch|related|more|"
                              r"must read|recommended|click here|read the full story)\s*[:|>»-]\s*\S", re.I)
TAGS = re.compile(r"^(?:tags?|topics?|filed under|categories|category|keywords|more about|country|countries|"
                   r"region|mots[- ]clés|sujets|thèmes)\s*[:|]", re.I)
# "UPDATE: 7:33 a.m.": a live-blog stamp between entries, not text.
LIVE_STAMP = re.compile(r"^(?:update[ds]?|mise à jour|màj)\s*[:—–-]?\s*\d{1,2}(?:[:.]\d{2}|\s?h\s?\d{2})\s*"
                         r"(?:[ap]\.?\s?m\.?)?(?:\s*\(?[A-Z]{1,4}\)?)?\W*$", re.I)
# "Click to play video: 'Title'": a video player; the title is printed again as its caption.
VIDEO = re.compile(r"^(?:click to play video|play video|watch video|video)\s*:\s*['‘’\"“](?P<title>.+?)['’\"”]?\s*$",
                    re.I)
# "News | Opinion | Sport | Culture": a menu copied onto one line.
MENU_ITEM = re.compile(r"[A-ZÀ-Ý][\w&'’.-]*(?: [\w&'’.-]+){0,2}")
LINK_LINE = re.compile(r"^[^:]{1,40}:\s*(?:https?://|www\.)\S+$", re.I)  # "AP MLB: https://…"
URL = re.compile(r"^(?:https?://|www\.)(?P<host>[\w.-]+\.[a-z]{2,})(?:[/?#]\S*)?$", re.I)
RELATIVE = re.compile(
    r"^(?:(?:(?:this\s+)?(?:article|story)\s+was\s+)?(?:updated|published|posted)\s*:?\s*)?"
    r"(?:\d+\s*(?:s|m|h|d|w|sec|secs|min|mins|hr|hrs|minutes?|hours?|days?|"
    r"weeks?|months?)\.?\s+ago|\d+[smhdw]|just now|yesterday|today|moments ago)\W*$", re.I)
BIO = re.compile(
    r"^[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){1,3}\s+(?:is|was)\s+(?:a|an|the)\s+[^.]{0,80}\b(?:reporter|correspondent|"
    r"writer|journalist|editor|columnist|producer|contributor|bureau chief|intern)\b", re.I)
BYLINE = re.compile(r"^(?:by|written by|story by|words by|par)\s*:?\s+[A-ZÀ-Ý]", re.I)
# A label printed as a kicker above an opinion piece; elsewhere it is a badge.
KICKER_LABEL = re.compile(r"(?i)^(?:opinion|analysis|news analysis|explainer|commentary|editorial|column|"
                          r"perspective|fact check|first person|point of view)$")
# Navigation links: never a section, even directly above the headline.
NAV = re.compile(r"(?i)^(?:home|accueil|contact(?: us)?|contests?|concours|events?|search|weather|traffic|"
                 r"obituaries|classifieds|jobs|careers|shop|store|about(?: us)?|advertise|newsletters?|podcasts?|"
                 r"videos?|watch|menu|sign in|log in|subscribe|e-edition|e-paper|puzzles|games|horoscopes?|"
                 r"community|calendar|deals|listen|radio|tv|schedule)$")
# "Special to The Capital Review": a contributor's line naming the outlet that publishes the piece.
SPECIAL_TO = re.compile(r"(?i)^special to\s+(?P<outlet>(?:the\s+)?[A-Z][\w.&'’ -]{1,60})$")
# "THE MORNING DISPATCH | Tuesday, June 10, 2025": a dated masthead, whose date is the issue's.
MASTHEAD = re.compile(r"^(?P<name>[^|—–]{2,60}?)\s+(?:[|—–]|-)\s+(?P<date>[^|—–]{6,40})$")
# "Home / World News / <headline>": a breadcrumb copied onto the headline's line.
GLUED_CRUMB = re.compile(r"^(?P<crumbs>(?:[\w&'’.-]+(?: [\w&'’.-]+){0,3}\s+[/>›»]\s+){1,4})(?P<title>[^/>›»]{20,})$")
# "Team: RHP Name starts Monday …": a labelled line that carries text under a heading such as "UP NEXT".
LABELLED = re.compile(r"^[A-Z][\w .'’&-]{1,30}:\s+(?:\S+\s+){4,}\S")
DESK = re.compile(r"(?i)^[\w.&' -]{0,40}\b(?:news desk|staff|digital staff|web desk|wire services|agencies)$")
DATELINE = re.compile(
    r"^(?P<place>[A-ZÀ-Ý][A-ZÀ-Ý.'’-]+(?:[ ,]+[A-ZÀ-Ý][A-ZÀ-Ýa-z.'’-]+){0,4})\s*(?:\((?P<tag>[A-Za-z]{2,10})\)\s*)?"
    r"(?:[—–]|--?|:)\s*")
CRUMB = r"[\w&'’.-]+(?: [\w&'’.-]+){0,3}"
BREADCRUMB = re.compile(rf"^(?:{CRUMB}\s*(?:/|>|›|»|\|)\s*){{1,5}}{CRUMB}$")
LIST_ITEM = re.compile(r"^\s*(?:[-*+•·▪►]|\d{1,2}[.)])\s+")
TERMINAL = re.compile(r"[.!?…\"”’)\]:]$")


def is_noise(line: str) -> bool:
    """Furniture that is dropped wherever it appears."""
    words = len(line.split())
    if AD.match(line) or EMPTY_LABEL.match(line) or RELATIVE.match(line) or FORUM.match(line) \
            or LIVE_STAMP.match(line) or URL.match(line) or is_menu(line) or LINK_LINE.match(line):
        return True
    if credits.copyright_line(line):
        return False  # "© 2025 Paper. All rights reserved. | Privacy Policy": a footer naming the outlet
    if words <= 8 and (SHARE.match(line) or SHARE_PHRASE.match(line)):
        return True
    return words <= 30 and bool(PROMPT.search(line)) and not _looks_like_quote(line)


def is_pointer(line: str) -> bool:
    """A line that points away from the story ("Read more: …", "Related stories", "Tags: …"); what follows
    it is for the layout's position rules to judge (the HTML path keeps it when the page says it is text)."""
    return bool(CUT.match(line) or TAGS.match(line)
                or (INLINE_SEE_ALSO.match(line) and len(line.split()) <= 30))


def is_menu(line: str) -> bool:
    """"News | Opinion | Sport | Culture": three or more short capitalised items between bars."""
    if line.count("|") < 2:
        return False
    items = [i.strip() for i in line.split("|")]
    return len(items) >= 3 and all(MENU_ITEM.fullmatch(i) for i in items) and not re.search(r"\d", line)


def _looks_like_quote(line: str) -> bool:
    return bool(re.search(r"[“\"]", line))


def is_timestamp(line: str) -> bool:
    if len(line.split()) > 24:
        return False
    date, _ = dates.labelled_date(line)
    if date is not None and re.match(r"(?i)^\W*(?:published|posted|updated|last updated|first published|"
                                     r"modified|released|date|publié|mis à jour|mise à jour)", line):
        return True
    return dates.bare_date_line(line)


def is_byline(line: str) -> bool:
    if len(line.split()) > 18:
        return False
    if BYLINE.match(line):
        return True
    if DESK.match(line.strip()):
        return True
    parts = [p.strip() for p in re.split(r"\s*[·|•]\s*", line) if p.strip()]
    if len(parts) >= 2 and any(credits.normalise_outlet(p) for p in parts) and any(
            credits.looks_like_name(re.sub(r"(?i)^by\s+", "", p)) for p in parts):
        return True
    # "Maria Ostapenko, The Canadian Press": names, a comma, an outlet
    m = re.fullmatch(r"(?P<names>[^,]{3,60}),\s*(?P<outlet>[^,]{2,50})", line.strip())
    return bool(m and (credits.normalise_outlet(m["outlet"]) or credits.outlet_shaped(m["outlet"]))
                and credits.split_names(m["names"]))


def dateline_of(paragraph: str) -> tuple[str | None, str | None]:
    """("OTTAWA", "AP") for "OTTAWA (AP) — …"; places are upper-case or end in a wire tag."""
    m = DATELINE.match(paragraph)
    if not m:
        return None, None
    place = m["place"].strip(" ,")
    letters = re.sub(r"[^A-Za-zÀ-ÿ]", "", place.split(",")[0])
    if not letters or (not letters.isupper() and not m["tag"]) or len(place) > 45:
        return None, None
    if len(paragraph) - m.end() < 20:
        return None, None
    return place, m["tag"]


def strip_dateline(paragraph: str) -> str:
    """The lead without its "OTTAWA (AP) —" dateline: a summary reads as a sentence, not a wire slug."""
    place, _tag = dateline_of(paragraph)
    if place is None:
        return paragraph
    m = DATELINE.match(paragraph)
    rest = paragraph[m.end():].lstrip(" —–-:") if m else paragraph
    return rest[:1].upper() + rest[1:] if rest else paragraph
