"""What kind of question was asked, so the answer can take the right shape.

- an **acronym** question ("what does DPIC stand for", "whats WRES") is answered with the
  expansion first;
- a **list** question ("what are the nine dimensions of the HLM", "list the People Promise
  elements") gets the whole list, as bullets;
- a **comparison** ("Messenger vs Kark", "difference between the HLM and the new framework")
  is answered for both sides, each from its own best section;
- anything else is a plain question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from knowledge.analysis import OWN_MISSED, OWN_SLIP, OWN_WRONG_DOSE, SAID_OF_ONESELF, WONT_COME
from knowledge.synonyms import ACRONYMS

Kind = Literal["acronym", "list", "comparison", "plain"]
Side = Literal["leader", "you"]  # whose side a question is asked from (side_asked_from)
COUNTS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12,
}  # fmt: skip
COUNT_WORD = r"(?:\d{1,2}|" + "|".join(COUNTS) + ")"
_TOKEN = r"(?P<acronym>[a-z0-9&:.\-]{2,8})"
_MEANS = r"(?:stand\s+for|stands\s+for|mean|means|meaning|short\s+for)"
_WHAT = r"(?:(?:what(?:'s| is| does| do)?|whats|wat(?:s)?)(?:\s+meant\s+by|\s+the\s+meaning\s+of)?|define|meaning of)"
_NAMED = r"(?:(?:acronym|abbreviation|abbrev|initials|letters)\s+)"  # "what does the abbreviation DP:IC mean"
ACRONYM_FORMS = (
    # "what does DPIC stand for", "whats WRES", "what does NED mean, someone said im meeting the NED tomorrow"
    re.compile(
        rf"^\s*{_WHAT}\s+(?:the\s+|an?\s+)?{_NAMED}?{_TOKEN}\s*(?:{_MEANS}\b.*|\??\s*(?:[,;]\s.*|\s[-–]\s.*)?)$",
        re.IGNORECASE,
    ),
    # "QSIR - what does that stand for, theres a course advertised"; "FPPT: meaning?"
    re.compile(rf"^\s*{_TOKEN}\s*(?:[-–:,?]+\s*)+(?:{_WHAT}\s+(?:that|it|this)\s+)?{_MEANS}\b", re.IGNORECASE),
    # "hlm stands for?", "lcf means what", "ftsu short for?"
    re.compile(rf"^\s*{_TOKEN}\s+{_MEANS}\b", re.IGNORECASE),
    # "NGO in a freedom to speak up context = ?": an acronym set equal to a question mark
    re.compile(rf"^\s*{_TOKEN}\b[^=]*=\s*\?+\s*$", re.IGNORECASE),
    # "fppt?? keeps coming up in board papers": a known acronym asked on its own
    re.compile(rf"^\s*{_TOKEN}\s*\?+(?:\s.*)?$", re.IGNORECASE),
)
# A number that counts what is asked for ("the 4 behaviours", "seven elements"), not a grade, a span of time, an amount
# or a number of people ("a band 5", "in the first 3 months", "the 2 million pound fund", "ive got 3 people on my list")
COUNTED = (
    r"(?<!band )(?<!year )(?<!level )(?<!stage )(?<!step )(?<!grade )(?<!£)(?<!got )(?<!have )(?<!had )"
    r"(?<!first )(?<!last )(?<!next )(?<!past )(?<!every )\b" + COUNT_WORD + r"\b"
    r"(?!\s*(?:months?|weeks?|wks?|days?|years?|yrs?|hours?|hrs?|mins?|minutes?|times|million|"
    r"thousand|grand|pounds?|k\b|m\b|x\b|%|percent|people(?! promise)|staff|of (?:my|us|them|our)\b))"
)
LIST_ASKED = re.compile(
    r"\b(?:what|which|name|list|tell me|give me)\b.*?\b(?:are|were|all|the)\b.*?" + COUNTED +
    r"|(?:^|[,.;:!?(]\s*|\b(?:please|pls|can you|could you|can u|could u|just|quickly)\s+)list\b|\ba list of\b"
    r"|(?<!waiting )(?<!barring )(?<!reading )(?<!mailing )(?<!short )(?<!wish )\blist\W*$"  # "nolan principles list?"
    r"|\blist (?:the|all|every|out|them|of|me)\b"
    r"|\b(?:what(?:'s| is| are| were)?|which|name|list|tell me|give me|show me)\b[^.?!]{0,20}\ball (?:the|of the)\b"
    r"(?! (?:time|way)\b)"
    r"|\bwhat are (?:the|its|their) (?:elements|dimensions|conditions|behaviours|"
    r"principles|values|steps|parts|stages|domains|themes|indicators|metrics|pillars|standards)\b"
    # … told the other way round ("can u remind me what the domains are": dev9, read)
    r"|\bwhat (?:the|its|their) (?:elements|dimensions|conditions|behaviours|principles|values|steps|parts|stages|"
    r"domains|themes|indicators|metrics|pillars|standards) (?:are|were)\b",
    re.IGNORECASE,
)
COMPARED = (
    re.compile(r"\b(?:dif?fe?re?nces?|differ|diff)\s+between\s+(?P<a>.+?)\s+(?:and|&|vs\.?|versus)\s+(?P<b>.+)", re.I),
    # (not "… compare with the new management and leadership framework": "how does A compare with B" is below; walk A,
    # 2026-12-07, had had the sides "with the new management" and "leadership framework")
    re.compile(r"\bcompare\s+(?!(?:with|to|against)\b)(?P<a>.+?)\s+(?:and|with|to|vs\.?|versus)\s+(?P<b>.+)", re.I),
    re.compile(r"^(?:what about\s+)?(?P<a>.+?)\s+(?:vs\.?|versus|v\.?)\s+(?P<b>.+)$", re.I),
    # "compared to" after a name, not after a statement ("our admin team feels like second class citizens compared to
    # the clinical staff": a team's feeling, answered as two sides)
    re.compile(
        r"^(?:what about\s+)?(?P<a>(?!(?:\S+\s+){0,6}?(?:feels?|felt|gets?|got|is|are|was|were|am|i'?m|seems?|treated|"
        r"paid|looks?)\b)(?:\S+\s+){0,5}?\S+)\s+compared (?:to|with)\s+(?P<b>.+)$",
        re.I,
    ),
    re.compile(
        r"\bhow (?:does|do|is|are)\s+(?P<a>.+?)\s+(?:differ from|different from|compare (?:to|with))\s+(?P<b>.+)", re.I
    ),
    re.compile(
        r"\b(?:is|are|isn'?t|aren'?t)\s+(?P<a>.+?)\s+(?:basically |just |really |actually )?"
        r"(?:the same as|the same thing as|different (?:from|to))\s+(?P<b>.+)",
        re.I,
    ),
)
DIFF_ASKED = re.compile(
    r"^(?P<a>.+?)\s+(?:and|or)\s+(?P<b>.+?)\s*,?\s*(?:what'?s|whats|wots) the (?:diff|dif?fe?re?nce)$", re.I
)
# "whats wres and wdes": two acronyms asked together are both explained, side by side
TWO_ACRONYMS = re.compile(
    r"^(?:what(?:'?s| is| are| r)|wat(?:s| is)|wots|explain|tell me about)\s+(?:the\s+)?(?P<a>[\w&]+)\s+(?:and|&)\s+"
    r"(?:the\s+)?(?P<b>[\w&]+)$",
    re.I,
)
# "mary seacole or rosalind franklin, which one should i apply for": two names offered as a choice
CHOICE = re.compile(r"^(?P<a>[^,]+?)\s+or\s+(?P<b>[^,]+)$", re.I)
# A third side after the second: "EGA vs nye bevan" within "mary seacole vs EGA vs nye bevan"
FURTHER_SIDE = re.compile(r"\s+(?:vs\.?|versus|v\.?)\s+", re.I)
MAX_SIDES = 3  # more than three names is a list to choose from, not a comparison
CHOOSING = re.compile(r"\b(?:which|difference|differences|better|compare)\b", re.I)
# "in 2 lines", "in a nutshell", "tldr", "briefly": a short answer is asked for (the rest stays one tap away)
BRIEF = re.compile(
    r"\bin (?:just )?(?:a |one |two |\d |a few )?(?:lines?|sentences?)\b|\bin (?:a nutshell|brief|short)\b"
    r"|\btl;? ?dr\b|\bbriefly\b|\b(?:quick|short|brief) (?:summary|overview|rundown)\b"
    r"|\b(?:shorter|briefer)\b|\b(?:too|way too|bit) long\b",  # a follow-up: "shorter pls" (handlers.follow_ups)
    re.I,
)
# Clauses of a question: a comparison is read within one ("messenger vs kark review - whats the difference?")
CLAUSE_BREAK = re.compile(r"\s+[-–—]\s+|[?;]\s*|\.\s+|,\s*")


# What a question wants its answer to hold, read from how it asks ("when was…", "how many…", "who wrote…")
Wanted = Literal["year", "number", "percent", "name"]
WANTS: tuple[tuple[Wanted, re.Pattern[str]], ...] = (
    ("year", re.compile(r"\b(?:when (?:was|were|did|is|will)|what year|which year|what date|since when)\b", re.I)),
    ("percent", re.compile(r"\b(?:what (?:percentage|per ?cent|proportion|share)|what %|how many per ?cent)", re.I)),
    ("number", re.compile(r"\bhow (?:many|much)\b", re.I)),
    ("name", re.compile(r"\b(?:who|whose|which (?:organisation|body|person|minister))\b", re.I)),
)
YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
# A number that is not a year ("1.3 million", "4,924", "seven"), and a share ("92%", "79 per cent")
NUMBER = re.compile(
    r"(?<![\d.,])(?!(?:19|20)\d{2}\b)\d[\d,.]*|\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"twenty|hundred|thousand|million|half|third|quarter)\b",
    re.I,
)
PERCENT = re.compile(r"\d\s*(?:%|per ?cent)", re.I)
# A name: two capitalised words together, or an organisation's capitals, not at the sentence's start
NAME = re.compile(r"(?<=\s)(?:[A-Z][a-z]+\s+(?:of\s+|for\s+|the\s+)?[A-Z][a-z]+|[A-Z]{2,}[a-z]?\b)")


@dataclass(frozen=True)
class Asked:
    """A question's kind, with what the kind needs: the acronym, the list's size, the two sides."""

    kind: Kind
    acronym: str | None = None
    count: int | None = None
    sides: tuple[str, ...] | None = None  # two, or three ("mary seacole vs EGA vs nye bevan")
    wants: Wanted | None = None  # what the answer must hold: a year, a number or a name
    about_people: bool = False  # advice about people at work (asks_about_people)
    brief: bool = False  # a short answer is asked for ("in 2 lines", "in a nutshell", "tldr")
    side: Side | None = None  # whose side it is asked from (`side_asked_from`)


def holds_wanted(sentence: str, wants: Wanted | None) -> bool:
    """Whether `sentence` holds what the question wants (a year, a number, a name); False when it wants none."""
    pattern = {"year": YEAR, "number": NUMBER, "percent": PERCENT, "name": NAME}.get(wants or "")
    return bool(pattern and pattern.search(sentence))


# Asking for advice ("how do i …", "what can i do", "any tips", "who do i talk to") about people at work (the team,
# a colleague, my manager, morale, someone burnt out or treated badly): a leadership question whatever everyday words
# it also holds ("we have 2 vacancies and im doing long days, how do i keep the team going")
ADVICE = re.compile(
    r"\bhow (?:do|can|should|would|could|d|to)\s+(?:i|we|u|you|one)\b|\bhow to\b"
    r"|\bwhat (?:should|can|could|do|would|shall)\s+(?:i|we|u)\s+(?:\w+\s+)?(?:do|say|try|be doing|offer|give)\b"
    # advice asked for a role ("what can a manager actually do", "what should the nurse in charge do")
    r"|\bwhat (?:should|can|could|do|would)\s+(?:a|the|my|our|their)\s+(?:\w+\s+){0,2}?(?:manager|leader|lead|"
    r"sister|matron|nurse in charge|supervisor|team leader|board|employer)s?\s+(?:\w+\s+)?(?:do|say|try|be doing)\b"
    r"|\bwhat(?:'s| is|s) the (?:right|best|fairest|kindest) way to\b"
    # what to ask for ("scared to tell my manager. what can i actually ask for")
    r"|\bwhat (?:can|could|should) (?:i|we) (?:\w+\s+)?(?:ask for|request)\b"
    r"|\bwhat (?:should|can|could) (?:leadership|leaders|managers|the board|the trust|we as leaders) (?:\w+\s+)?do\b"
    r"|\bany (?:tips|advice|ideas|suggestions)\b|\bwhere do (?:i|we) (?:even )?(?:start|begin)\b"
    r"|\bwho (?:do|can|should) (?:i|we) (?:even )?(?:talk|speak|go|turn|tell)\b"
    r"|\b(?:should|do) i (?:say|do|tell|report|raise) (?:something|anything|it|someone)\b"
    r"|\bcan i (?:actually )?do (?:something|anything)\b|\bis it (?:ok|okay|normal|alright|acceptable) (?:to|that|if)\b"
    # a judgement asked for ("the part timers say they never get study days, is that fair")
    r"|\bis (?:that|this|it) (?:even |really )?fair\b"
    r"|\bcan (?:i|we) (?:just )?(?:refuse|say no|turn (?:it|them|her|him|this) down)\b"
    r"|\bhelp\s*(?:me|pls|please)?\s*[!.?]*$",
    re.I,
)
# Staff of other professions, someone to lead or work with ("me and my crewmate", "my domestic staff") and, said of
# oneself ("paramedic here, …"), the asker's own role (ROLE below)
PROFESSIONS = r"midwi(?:fe|ves)|paramedics?|physios?|pharmacists?|porters?|receptionists?|ots?|therapists?"
PEOPLE = re.compile(
    r"\b(?:team|colleagues?|co-?workers?|managers?|boss|matron|sister|nurses?|hcas?|juniors?|doctors?|consultants?|"
    r"everyone|each other|people|them|her|him|someone|somebody|deputy|mates|peers?|band \d+s|morale|agency|locums?|"
    r"burn(?:t|ed)? ?out|knackered|exhausted|stressed|bullied|bullying|ignored|heard|payback|treated|rude|blamed?|"
    rf"upset|shaken|struggling|crying|cried|{PROFESSIONS}|obstetricians?|crew ?mates?|domestics?|clerks?|registrars?|"
    r"surgeons?|medics?|clinicians?|part[- ]?timers?|full[- ]?timers?)\b"
    r"|\b(?:the|this|that|a) person\b|\b(?:union|staff side) reps?\b"
    # someone named by their band ("a sickness absence meeting with a b5": walked 2026-12-07, declined as leave)
    r"|\b(?:with|for|to) (?:a|an|my|our|one of my) (?:b[2-9]|band [2-9])\b"
    r"|\bppl\b|\b(?:retention|retain|retaining|participants?|delegates?|learners?|students?|trainees?|others|"
    r"terrified|scared|worried|anxious|nervous|dreading|overwhelmed|running on empty)\b"
    # speaking up about something at work ("how do i raise the concern and what protects me")
    r"|\braise (?:a|the|my|this|that|these|concerns?)\b|\bspeak(?:ing)? up\b|\bwhistle ?blow\w*"
    r"|(?:^|\b(?:my|our|the|his|their|night|day|support|all|other|some|junior|senior|new)\s+)staff\b"
    r"(?!\s+(?:parking|id|badge|car|room|discount|canteen|bank|benefits?|survey\s+results))",
    re.I,
)


# One's own mistake, told with or without a question ("i gave the wrong time on a drug chart, im terrified"): the
# person needs the section on having made a mistake, not a clinical-advice decline
# (the everyday words the search reads as a mistake, analysis.OWN_SLIP, and the plain ways of saying it)
OWN_MISTAKE = re.compile(
    rf"{OWN_SLIP.pattern}|{OWN_WRONG_DOSE.pattern}|{SAID_OF_ONESELF}{OWN_MISSED.pattern}"
    r"|\bi(?:'ve| have)? (?:made (?:a|an) (?:\w+ )?(?:mistake|error|blunder)|gave (?:the |a )?wrong)\b"
    # told without "i", first ("made a drug error on nights, patient ok": walk D, 2026-12-07: a colleague unsafe)
    r"|^\W*(?:just |so |ok |um+ )?(?:made|make) (?:a|an) (?:\w+ )?(?:mistake|error|blunder)\b"
    r"|\b(?:given|gave|done|sent|administered|missed)\b[^.?!]{0,40}\bby (?:mistake|accident)\b",
    re.I,
)


# The asker's own role is not someone to lead ("junior doc here, how do i manage k 6.8", "newly qualified nurse, how
# do i get a mortgage", "am i eligible as a bank hca"): a self-description is left out when looking for people
ROLE = (
    r"(?:nurses?|hcas?|docs?|doctors?|juniors?|consultants?|registrars?|fy[12]s?|matron|sister|agency|locums?|staff|"
    rf"{PROFESSIONS})"
)
SELF = re.compile(
    rf"\b(?:i'?m|i am|as|being)\s+(?:an?\s+|the\s+)?(?:\w+\s+){{0,3}}?{ROLE}\b"
    rf"|^\W*(?:\w+\s+){{0,3}}?{ROLE}(?:\s+here\b|(?:\s+\w+){{0,2}}?\s*[,:-])",
    re.I,
)


# Mistreatment at work told as a statement, with no question ("someone keeps making homophobic jokes at handover",
# "a senior nurse humiliated me at handover today"): the person needs the same answer as one who asks what to do
MISTREATED = re.compile(
    r"\b(?:homophobic|racist|racism|sexist|transphobic|discriminat\w*|bull(?:y|ying|ied|ies)|harass\w*|humiliat\w*|"
    r"belittl\w*|undermin\w*|gossip\w*|mock(?:s|ed|ing)?|(?:pick|picks|picking|picked) on|"
    r"(?:shout|shouts|shouting|shouted|scream|screams|screaming|screamed|snaps?|snapped|snapping) at|"
    r"(?:exclud|ignor)(?:e|es|ed|ing) me|jokes? about|rude to|sexual (?:comments?|jokes?|remarks?)|"
    r"comments about my (?:body|looks|figure|chest|bum)"
    # a senior who will not come to a patient ("doctor wont come to see my deteriorating patient", "reg refusing to
    # review my patient"): escalating past them, not a clinical question
    rf"|{WONT_COME.pattern})\b",
    re.I,
)


# Whose side a question is asked from: the leader handling something that happens to someone else ("one of my nurses",
# "my team", "how do i support her", "as her manager") or the person it happens to ("i made a drug error", "my manager
# keeps cancelling my appraisal", "the sister belittles me", "im going back after 4 months off"). A question that says
# neither has no side. The leader's words are looked for first: "one of my hcas told me she is being bullied" is theirs.
LEADS = re.compile(
    r"\b(?:my|our) (?:reception |admin |ward |nursing |night |day |clinic |practice |front desk )?"
    r"(?:team(?! lead)|teams|staff|nurses|hcas|band \d+s|juniors|trainees|students|reports|direct reports?|"
    r"porters|domestics|crew|department|unit|deputy|mentee|supervisee|student|trainee|apprentice|preceptee|"
    r"new starter)\b"
    r"|\b(?:one|some|two|three|several|a few|most|all|half|each) of (?:my|our|the) (?:\w+ )?(?:team|staff|nurses|hcas|"
    r"juniors|trainees|students|reports|porters|lads|girls|people|crew|band \d+s|b\d+s)\b"
    r"|\b(?:someone|member|people|person|everyone) (?:on|in|of) (?:my|our) (?:team|ward|unit|department|staff)\b"
    r"|\bas (?:ward|unit|team|line|department|practice) manager\b"
    r"|\b(?:as|being) (?:a|an|her|his|their|the|my) (?:\w+ )?(?:manager|supervisor|team leader|line manager|lead|"
    r"sister|matron|educator|mentor|practice assessor|educational supervisor|clinical supervisor|chair|ned)\b"
    r"|\bi (?:manage|supervise|line manage|run a team|lead a team)\b"
    # a request made to the writer as someone's manager ("my band 5 wants to go part time")
    r"|\b(?:my|a|an|one) (?:band \d+|nurse|hca|physio|porter|admin|receptionist|secretary|junior|trainee|student|"
    r"apprentice|team member|staff member|member of staff) (?:wants|has asked|asked|is asking|needs|would like|made|"
    r"has made|gave|missed)\b"
    r"|\bhow (?:do|can|should|would) (?:i|we) (?:support|help|manage|handle|approach|talk to|deal with|tackle) "
    r"(?:her|him|them|my|a|an|the|someone|staff|people|this person)\b",
    re.I,
)
HAPPENS_TO_ME = re.compile(
    r"\bmy (?:manager|boss|line manager|band \d+|sister|matron|senior|supervisor|team leader|team lead|consultant|reg|"
    r"registrar|"
    r"charge nurse|ward manager|colleague|crewmate|mentor|practice assessor|educational supervisor)s? (?:keeps|is|has|"
    r"won'?t|doesn'?t|never|always|just|said|told|shouted|screamed|refused|turned|cancell?ed|ignores|ignored|wants|"
    r"micromanages|undermines|rejected|rejects)\b"
    r"|\b(?:at|about|against) me\b"
    r"|\b(?:i|i'?ve|i have|i'?m|im|i am|i was|i got|ive|i just)\s+(?:been\s+|being\s+|just\s+|recently\s+)?(?:made a|"
    r"bullied|belittled|shouted at|harassed|accused|off sick|off with|going back|returning|coming back|burning out|"
    r"burnt out|burned out|pregnant|thinking of leaving|thinking about leaving|considering leaving|passed over|"
    r"overlooked|excluded|left out|targeted|singled out|picked on|called a|being called|stuck on|involved in)\b"
    # "made a drug calc error on scene", not "my junior made an error"
    r"|^\W*(?!(?:my|a|an|the|our|one|her|his|their|someone|somebody)\b)(?:\w+\W+){0,3}?made (?:a|an) (?:\w+ ){0,2}"
    r"(?:error|mistake)\b"
    r"|\b(?:i|im|i'?m|i am) (?:the only|scared|terrified|worried i|afraid i)\b"
    # a condition of one's own ("i have adhd", "im autistic"), or asking for something for oneself
    r"|\bi(?:'ve| have|'m| am|m)? (?:got )?(?:adhd|autism|autistic|dyslexia|dyslexic|dyspraxia|a disability|"
    r"disabled|diabetes|diabetic|endometriosis|endo|long covid|fibromyalgia|crohns|epilepsy|arthritis|ms|"
    r"a long term condition)\b"
    r"|\bhow (?:do|can|should) i ask (?:for|my)\b"
    r"|\b(?:belittles?|belittling|humiliates?|humiliated|undermines?|undermining|ignores|bullies|bullying|harass\w*|"
    r"(?:shouts?|shouting|screams?|screaming|snaps?|snapping|yells?|yelling) at|picks? on|picking on|excludes?|"
    r"talks? down to|speaks? down to) me\b"
    r"|^\W*(?:\w+ here,? )?(?:going|coming|getting) back (?:to work )?after\b"
    r"|^\W*(?:\w+ here,? )?back (?:in|at|to) work (?:\w+ )?after\b"
    r"|\bmy (?:own )?(?:appraisal|sickness|absence|return to work|flexible working request|flexi request|career|"
    r"progression|mistake|error|drug error|health|request)\b"
    # a death in the writer's own family ("my dad died on saturday, how much time off am i allowed"), or grief
    r"|\b(?:my|our) (?:mum|mam|mom|mother|dad|father|husband|wife|partner|son|daughter|baby|child|brother|sister|nan|"
    r"nana|gran|granny|grandma|grandad|granddad|grandpa|grandmother|grandfather|aunt|auntie|uncle|cousin|fiancée?|"
    r"boyfriend|girlfriend|best friend)(?:'?s)? (?:has |had |just |suddenly )?(?:died|passed away|passed|funeral)\b"
    r"|\blost (?:my|our) (?:mum|mam|mom|mother|dad|father|husband|wife|partner|son|daughter|baby|child|brother|"
    r"sister|nan|gran|grandma|grandad|grandpa)\b"
    r"|\bi(?:'ve| have|'m| am|m)? (?:been |just been )?(?:bereaved|grieving)\b",
    re.I,
)


# Weaker signs of asking as the one who leads, read only when nothing says it happens to the writer: someone "on my
# ward" whose conduct is the subject ("staff nurse on my ward keeps making med errors" had been answered as if the
# writer had made them; "a nurse on my ward keeps talking down to me" is still the writer's own), or a talk the writer
# has had with them already ("ive had a chat twice and nothing changes")
LEADS_IF_NOT_MINE = re.compile(
    r"\b(?:nurse|nurses|hca|hcas|doctor|physio|porter|midwife|student|colleague|member of staff|staff member|band \d+|"
    r"starters?) (?:on|in|from|joining) (?:my|our) (?:ward|team|unit|department|service)\b"
    # making someone's start good ("new hca starting on monday, how do i make her first week not awful": dev10, read)
    r"|\bhow (?:do|can|should) (?:i|we) (?:make|help|welcome|settle) (?:her|him|them)\b(?! feel (?:bad|guilty))"
    r"(?: \w+){0,2} (?:first|welcome|settle|feel|in)\b"
    r"|\bi(?:'ve| have)? (?:had|done) (?:a |an |two |several )?(?:chat|word|informal|conversation|meeting)s?"
    r"(?: \w+){0,3} (?:with (?:her|him|them)|twice|already|before)\b"
    r"|\bi(?:'ve| have)? (?:spoken|talked) to (?:her|him|them)\b"
    r"|\b(?:supervising|mentoring|precepting|assessing|looking after|teaching) (?:\w+ )?(?:students?|preceptees?|"
    r"learners?|trainees?|new starters?)\b"
    # a meeting the writer runs with someone ("how do I run a sickness absence meeting with a b5"), or reviews they do
    # for others ("first time doing appraisals next week"): walked 2026-12-07, both answered as the employee
    r"|\b(?:run|running|hold|holding|chair|chairing|conduct|conducting|do|doing|have|having)\s+(?:a|an|the|my|our|her|"
    r"his|their)?\s*(?:first\s+)?(?:\w+\s+){0,3}?(?:meeting|review|interview|hearing|conversation|chat|one to one|"
    r"1:1)s?\s+with\s+(?!(?:my|the|our)\s+(?:\w+\s+)?(?:manager|boss|supervisor|matron|sister|hr|team leader|"
    r"consultant|lead|educator|assessor|union)\b)(?:a|an|my|one|her|him|them|the|this|our|someone|staff)\b"
    r"|\b(?:doing|do|run|running|carry out|carrying out|conduct|conducting)\s+(?:my\s+|our\s+|the\s+)?(?:first\s+)?"
    r"(?:appraisals|pdrs|return to work interviews|sickness reviews|one to ones|1:1s)\b"
    r"|\bas (?:the )?(?:appraiser|reviewer|chair of the (?:meeting|panel)|investigating officer|investigator)\b",
    re.I,
)


TO_ME = re.compile(r"\b(?<!tell )(?<!help )(?<!give )(?<!show )(?<!let )me\b", re.I)


# Aimed at the writer: "one of the nurses is really sharp with me", "snaps at me" (walk B, 2026-12-07: "one of the
# nurses" had read as a leader's "one of my nurses", and an HCA had had the manager's advice)
AIMED_AT_ME = re.compile(r"\b(?:with|at|to|towards|about) me\b", re.I)


def side_asked_from(question: str) -> Side | None:
    """The side a question is asked from (LEADS, HAPPENS_TO_ME and LEADS_IF_NOT_MINE above), or None when it shows
    neither. Someone "of the" nurses or team, not "of my", who does something to the writer makes it the writer's."""
    leads = [m.group(0).lower() for m in LEADS.finditer(question)]
    if leads and all(" of the " in m for m in leads) and AIMED_AT_ME.search(question):
        return "you"
    if leads:
        return "leader"
    if HAPPENS_TO_ME.search(question) or OWN_MISTAKE.search(question):
        return "you"
    if LEADS_IF_NOT_MINE.search(question) and not TO_ME.search(question):
        return "leader"
    return None


# A mistake made by someone the writer leads ("one of my nurses gave the wrong dose of paracetamol, no harm done"):
# handling it fairly is a leadership question, not a clinical one (walk C, 2026-12-07: declined as clinical advice)
THEIR_MISTAKE = re.compile(
    r"\b(?:one of my|my|our|a|one of our) (?:\w+ )?(?:nurses?|hcas?|juniors?|doctors?|students?|staff|team member|"
    r"band \d+s?|b[2-9]s?|midwi(?:fe|ves)|physios?|pharmacists?|trainees?|registrars?|regs?|f[12]s?)\s+"
    r"(?:has |have |had )?"
    r"(?:gave|given|made|missed|administered|drew up|documented|charted|hung|put up)\s+(?:\w+\s+){0,4}?"
    r"(?:wrong|error|mistake|late|twice|double)\b",
    re.I,
)


# A request someone the writer leads has made ("one of my band 5s has put in a flexible working request to only do days
# … rota is already a nightmare": walk K, 2026-12-08, declined for rotas): how to handle it is a leader's question
THEIR_REQUEST = re.compile(
    r"\b(?:one of my|my|our|a|one of our) (?:\w+ ){0,2}?(?:has|have|'s|just)? ?(?:put in|submitted|made|sent|handed in|"
    r"asked for|applied for|requested) (?:a |an |her |his |their )?(?:\w+ ){0,2}?request\b",
    re.I,
)


def asks_about_people(question: str) -> bool:
    """Whether `question` asks for advice about people at work (ADVICE and PEOPLE), tells of mistreatment by
    someone at work (MISTREATED and PEOPLE) or of one's own mistake (OWN_MISTAKE): such a question is answered, with
    where to go for the everyday part, rather than declined for the rota, pay or clinical words it holds, or for
    matching the content only weakly."""
    if OWN_MISTAKE.search(question) or THEIR_MISTAKE.search(question) or THEIR_REQUEST.search(question):
        return True
    return bool((ADVICE.search(question) or MISTREATED.search(question)) and PEOPLE.search(SELF.sub(" ", question)))


def wanted(question: str) -> Wanted | None:
    return next((kind for kind, pattern in WANTS if pattern.search(question)), None)


def acronym_key(text: str) -> str:
    """The form acronyms are looked up by: lower case, no punctuation ("DP:IC", "d.p.i.c" → "dpic")."""
    return re.sub(r"[^a-z0-9&]", "", text.lower())


def what_was_asked(question: str) -> Asked:
    """The kind of `question` (see the module docstring)."""
    text = " ".join(question.split()).rstrip("?!. ")
    sides = _compared(text)
    if sides is not None:
        return Asked("comparison", sides=sides)
    for form in ACRONYM_FORMS:
        acronym = form.match(question)
        if acronym and acronym_key(acronym.group("acronym")) in ACRONYMS:
            return Asked("acronym", acronym=acronym_key(acronym.group("acronym")))
    wants = wanted(text)
    if LIST_ASKED.search(text) and wants not in ("name", "year"):  # "who came up with all the …" asks a name
        count = re.search(COUNTED, text.lower())
        number = None if count is None else COUNTS.get(count.group(0)) or int(count.group(0))
        return Asked("list", count=number, about_people=asks_about_people(text))
    return Asked(
        "plain", wants=wants, about_people=asks_about_people(text), brief=bool(BRIEF.search(text)),
        side=side_asked_from(text),
    )


def _compared(text: str) -> tuple[str, ...] | None:
    """The sides of a comparison, read clause by clause; None when the question compares nothing."""
    found = DIFF_ASKED.match(text)  # "WRES and WDES whats the diff"
    if found:
        return _side(found.group("a")), _side(found.group("b"))
    found = TWO_ACRONYMS.match(text)
    if found and all(acronym_key(found.group(side)) in ACRONYMS for side in ("a", "b")):
        return found.group("a"), found.group("b")
    clauses = [c.strip() for c in CLAUSE_BREAK.split(text) if c.strip()]
    for clause in clauses:
        for pattern in COMPARED:
            found = pattern.search(clause)
            if found:
                a, b = (_side(found.group(side)) for side in ("a", "b"))
                if a and b and not a.lower().startswith(("on ", "them", "they")):
                    more = [_side(part) for part in FURTHER_SIDE.split(b)]
                    if 1 < len(more) < MAX_SIDES and all(more):  # two more sides at most
                        return (a, *more)  # "mary seacole vs EGA vs nye bevan"
                    return a, b
    # two names offered as a choice, then which ("… medical director in a couple of years. nye bevan or EGA, which fits
    # better": dev7, read; the choice had been looked for in the first clause only)
    for i, clause in enumerate(clauses[:-1]):
        if not CHOOSING.search(" ".join(clauses[i + 1 :])):
            break
        found = CHOICE.match(clause)
        if found:
            a, b = (_side(found.group(side)) for side in ("a", "b"))
            if a and b and len(a.split()) <= 6 and len(b.split()) <= 6:
                return a, b
    return None


# "kark v messenger in a nutshell": how the person wants it said, not part of the second side
ASIDE_AT_END = r"\s+(?:in a nutshell|in short|in brief|briefly|in simple terms|in plain english|explained)$"


# The question's own words before the first side or after the last ("what is wres vs wdes", "WDES vs WRES whats the
# difference", "so whats mary seacole vs edward jenner"): they had been shown as part of a side's name ("What is wres:")
ASKED_BEFORE = (
    r"^(?:(?:so|ok|okay|and|but|quick one|sorry)\W+)*(?:what(?:'?s| is| are)|whats|explain|compare|tell me about|"
    r"describe|define)\s+(?:the\s+)?"
)
ASKED_AFTER = (
    r"\W+(?:what(?:'?s| is| are)|whats|which is|how do they|how does it)\s+(?:the\s+)?(?:diff?(?:erence)?s?|"
    r"better|best|different|differ|compare)\b.*$"
)


def _side(text: str) -> str:
    """One side of a comparison, without the question's own words around it."""
    text = re.sub(ASKED_AFTER, "", re.sub(ASKED_BEFORE, "", text.strip(" ,.?!"), flags=re.I), flags=re.I)
    text = re.sub(r"^(?:the|a|an)\s+", "", text.strip(" ,.?!"), flags=re.I)
    text = re.sub(ASIDE_AT_END, "", text, flags=re.I)
    # "the mary seacole one" is Mary Seacole (walk B, 2026-12-07: headed "Mary seacole one")
    return re.sub(r"\s+(?:is|are|in the nhs|please|ones?)$", "", text, flags=re.I).strip()
