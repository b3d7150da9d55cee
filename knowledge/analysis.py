"""Turning any text into search terms: safe normalisation, acronym/synonym expansion, spelling, stemming.

User text is only ever treated as text: it is capped in length, folded to plain
lower-case letters and digits (any Unicode, markup or SQL-looking input just
loses its punctuation), and never raises.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import cache, lru_cache
from pathlib import Path

import Stemmer

from knowledge.synonyms import ACRONYMS, NUMBER_WORDS, STOPWORDS, SYNONYMS

MAX_QUESTION_CHARS = 500  # longer questions are cut here before analysis
WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MONEY = re.compile(r"£?(\d+)\s?(m|bn|k)\b")
MONEY_WORDS = {"m": "million", "bn": "billion", "k": "thousand"}
DPIC = re.compile(r"\bdp\s*[:\-]?\s*ic\b")
M_AND_L = re.compile(r"\bm\s*&\s*l\b")  # "M&L programme": the words, not two stray letters
# "just" is a stopword, but not in "just culture" ("just and learning culture"): there it names the idea
JUST_CULTURE = re.compile(r"\bjust(?=(?:\s+and\s+learning)?\s+cultures?\b)")
# "we're 2 down on nights", "3 RNs down": short of staff; "back to back long days" is one after another, not a return
SHORT_DOWN = re.compile(
    r"\b(?:\d{1,2}|one|two|three|four|five|six)\s+(?:\w+\s+)?down\b(?!\s+(?:the|to|from|with)\b)"
    r"|\b(?:\d{1,2}|two|three|four|five|six) (?:\w+ )?vacanc(?:y|ies)\b"  # "we've got 2 vacancies": short-staffed
)
BACK_TO_BACK = re.compile(r"\bback[ -]to[ -]back\b|\bin a row\b")  # shifts one after another; not a row (a quarrel)
# "Access to Work" is a named DWP scheme, not access (a login word) to work
ACCESS_TO_WORK = re.compile(r"\baccess to work\b")
# "who is in charge of the programme" asks who oversees it; "the nurse in charge" is a role, not oversight
IN_CHARGE_OF = re.compile(r"\bin charge of\b")
# "what counts as bullying" asks what bullying is; "a voice that counts" is a People Promise element
COUNTS_AS = re.compile(r"\b(?:count|counts|counted) as\b")
# "someone whos not pulling their weight" is about their work, not anyone's weight (a clinical word)
PULLING_WEIGHT = re.compile(r"\bpull(?:s|ing|ed)? (?:their|his|her|your|my|our|its) (?:own )?weight\b")
# "keeps leaving her work for the next shift": not doing their share, not quitting (a walk over HTTP, 2026-12-08: it
# had had when staff keep leaving, then two colleagues who argue)
LEAVES_WORK = re.compile(
    r"\b(?:leav(?:e|es|ing)|left)\s+(?:(?:her|his|their|my|your|all|all of|the|half (?:of )?(?:her|his|their|the)|"
    r"loads of)\s+)?(?:work|jobs|tasks|stuff|bits|obs|notes|drugs|meds|washes|jobs list)\s+(?:for|to)\s+(?:the\s+)?"
    r"(?:next|other|night|day|late|early|oncoming)\s+(?:shift|staff|team|lot)\b"
)
# "how do i give feedback to a newly qualified nurse … without making her cry": said kindly, not a tearful colleague
# (walk F, 2026-12-08: it had had the section on a colleague who is often tearful, with its crisis numbers)
WITHOUT_UPSETTING = re.compile(
    r"\bwithout (?:making (?:her|him|them|anyone|people|someone|the \w+) (?:cry|upset|feel (?:bad|awful|terrible))|"
    r"upsetting (?:her|him|them|anyone|people|someone)|(?:her|him|them) (?:crying|getting upset))\b"
)
# "4 sick episodes in 6 months": repeated short spells, not one long absence (walk F, 2026-12-08: it had had the section
# on coming back after long-term sickness)
SICK_EPISODES = re.compile(
    r"\b(?:\d+|two|three|four|five|six|seven|eight|several|lots of|loads of|multiple|repeated|frequent) (?:short )?"
    r"(?:sick(?:ness)? )?(?:episodes|spells|bouts)(?: of (?:sickness|absence))?\b"
)
# "without getting labelled a troublemaker": the fear of speaking up, not a diagnosis's label (walk H, 2026-12-08: it
# had had the section on neurodiversity)
LABELLED = re.compile(
    r"\b(?:labell?ed|branded|seen|known|called|marked) (?:as )?(?:a |the )?(?:troublemaker|trouble maker|moaner|"
    r"whinger|snitch|grass|whistleblower|difficult(?: one| person| nurse| colleague)?|problem)\b"
)
# "do we have to tell the patient", after a drug error: being open, the duty of candour (a final walk, 2026-12-08: it
# had been declined as a clinical question)
TELL_THE_PATIENT = re.compile(
    r"\b(?:tell|telling|told|inform|informing|let) (?:the |our |a |her |his |their )?(?:patient|patients|pt|pts|family|"
    r"families|relatives?|next of kin|nok)\b"
    r"(?! (?:some |the |their |his |her )?(?:bad news|diagnosis|results|prognosis))"
)
# "reg refusing to review my patient", "doctor wont come to see my deteriorating patient": escalating past a senior who
# will not come (the eleventh session's walk: the first had had a patient refusing a nurse for her race)
WONT_COME = re.compile(
    r"\b(?:wont|won't|will not|refus\w*(?: to)?) (?:come|review|see|attend)\b(?: \S+){0,4} (?:pt|patient)"
)
# "when she comes back how do i do a wellbeing convo", "before he comes back to work": a return to work after an absence
# (dev4, read: it had had preparing for one's own appraisal)
COMES_BACK = re.compile(
    r"\b(?:when|once|before|after|as soon as) (?:she|he|they|i|we)(?:'s| is| are| am)? "
    r"(?:comes?|came|coming|gets?|got) back\b(?! (?:to me|with))"
)
# "can i move wards without it looking like im running away": avoiding something, not an away day (walk K, 2026-12-08)
RUNNING_AWAY = re.compile(r"\b(?:running|run|runs|ran) away\b")
# "two of my hcas dont get on": every word of the idiom is a stopword, so it is named for what it means
NOT_GETTING_ON = re.compile(
    r"\b(?:do ?n'?t|does ?n'?t|did ?n'?t|do not|does not|never|can'?t|cannot|not) (?:really |always |even )?"
    r"(?:get|getting|got) (?:on|along)(?=\s*(?:$|[,.!?;]|with\b|at all\b|well\b|and\b|or\b|so\b|but\b|any ?more\b))"
)
# "two of my band 6s hate each other", "they've fallen out", "at each other's throats": a conflict, in other words
AT_ODDS = re.compile(
    r"\b(?:hate|hates|hated|hating|can'?t stand|cannot stand|resent|resents) (?:each other|one another)\b"
    r"|\bat (?:each other'?s|one another'?s) throats\b|\bat loggerheads\b|\b(?:fall|falls|falling|fell|fallen) out\b"
    r"|\b(?:won'?t|wont|don'?t|dont|do not|will not|not|never) (?:even )?(?:speak|speaking|talk|talking) to (?:each "
    r"other|one another)\b"
)
# "honestly winging it": improvising, not the left or right wing of politics
WINGING_IT = re.compile(r"\bwing(?:ing|ed)? it\b")
# "a leaving do", "leaving drinks": a farewell party, not quitting (LEAVING below)
LEAVING_DO = re.compile(r"\bleaving (?:do|dos|party|parties|drinks|card|collection|gift|present|meal|speech)\b")
# "two of my SLTs are talking about leaving", "leavers": quitting the job, not leave (time off), which stems alike
LEAVING = re.compile(
    r"\bleav(?:ing|ers?)\b"
    # resigning, said the everyday way ("hand my notice in", "done with nursing", "jack it in")
    r"|\bhand(?:ing|ed)? (?:in )?(?:my|her|his|their) notice(?: in)?\b|\bjack(?:ing)? it (?:all )?in\b"
    r"|\bdone with (?:nursing|medicine|midwifery|the nhs|this job|my job|the job)\b"
)
# "the labour ward", "in labour": birth, not the Labour Party (a toxic labour ward culture was declined as politics)
LABOUR_WARD = re.compile(r"\blabour wards?\b|\b(?:in|of|during|established) labour\b")
# "now others are freezing her out", "frozen out": shutting someone out, not a computer that froze
FROZEN_OUT = re.compile(r"\b(?:freez(?:e|es|ing)|froze|frozen)\s+(?:\w+\s+)?out\b(?!\s+of\b)")
# "code of practise": British English spells the verb with an s, and people mix the two; one spelling for both
PRACTISE = re.compile(r"\bpractis(?=(?:e|es|ed|ing)\b)")
# "a poster for the staff room": the staff's own room on a ward, not a room to book
STAFF_ROOM = re.compile(r"\bstaff ?rooms?\b")
# How staff say what the content names, in idioms whose words alone say nothing or something else:
# "walking on eggshells" is fear of speaking; "thrown under the bus", "hung out to dry" are being blamed
EGGSHELLS = re.compile(r"\bwalk(?:s|ing|ed)? on egg ?shells\b")
_SOMEONE = r"(?:me|us|him|her|them|you|my \w+) "
UNDER_THE_BUS = re.compile(
    rf"\b(?:throw|throws|threw|thrown|throwing|chucked) (?:{_SOMEONE})?under the bus\b"
    rf"|\bhung (?:{_SOMEONE})?out to dry\b"
)
TAKEN_FOR_GRANTED = re.compile(r"\btaken for granted\b")
OUT_OF_DEPTH = re.compile(r"\bout of (?:my|his|her|their|our|your) depth\b")
# "at breaking point", "running on empty", "on my knees": exhausted
WORN_OUT = re.compile(
    r"\b(?:at|near|reached|reaching) (?:breaking point|the end of (?:my|our) tether)\b|\brunning on (?:empty|fumes)\b"
    r"|\bon (?:my|our|their) knees\b"
)
# "a nurse came to me in confidence about …", "she confided in me": a concern or a disclosure brought to you
CONFIDED = re.compile(
    r"\b(?:came|come|comes|coming) to me in confidence\b|\bconfided in me\b|\bopened up to me\b"
    r"|\btold me in confidence\b"
    # a concern brought to the one asking ("raised a concern with me about a colleague"), not one about them
    r"|\b(?:raised|brought|reported|shared|voiced)\s+(?:a |an |their |her |his |some |this |the )?(?:concerns?|worry|"
    r"worries)\s+(?:with|to)\s+me\b|\b(?:came|come|comes|coming) to me (?:with|about) (?:a |an |their |her |his )?"
    r"(?:concerns?|worry|worries)\b"
)
# "picked on", "ganged up on", "singled out": bullying; "talked down to", "a dressing down": belittling
PICKED_ON = re.compile(r"\b(?:pick|picks|picked|picking) on\b|\bgang(?:s|ed|ing)? up on\b|\bsingl(?:e|ed|es|ing) out\b")
TALKED_DOWN = re.compile(
    rf"\btalk(?:s|ed|ing)? down to\b|\bspoken to like\b|\bdressing down\b|\btold {_SOMEONE}off\b"
)
# "can i report how she spoke to me", "the way my manager talks to us": a manner, not speaking up (walk E, 2026-12-07:
# it had had the board's Freedom to Speak Up lead)
SPOKE_TO_ME = re.compile(
    r"\b(?:how|the way) (?:she|he|they|my \w+|the \w+|our \w+|that \w+|this \w+|one \w+)(?: \w+)? "
    r"(?:spoke|speaks|spoken|talked|talks|speaking|talking) (?:to|at) (?:me|us|him|her|them|staff|people|everyone|"
    r"the (?:juniors|students|team|staff|nurses|hcas))\b"
)
# "i spoke up and now im being ignored", "ever since i raised concerns": treated badly after speaking up (walked
# 2026-12-08: it had had Speak Up Month)
AFTER_SPEAKING_UP = re.compile(
    r"(?:\b(?:i|we) (?:spoke|speak) up (?:and|but) (?:now|since)\b|\b(?:since|after) (?:i|we) (?:spoke up|raised "
    r"(?:a |my |the |our )?concerns?|whistle ?blew|blew the whistle)\b)(?!.*\bnothing (?:has )?(?:happened|changed))"
)
# "will i get in trouble if i report a doctor": the fear of what follows speaking up (walk J, 2026-12-08: it had had the
# section on witnessing poor care)
TROUBLE_FOR_REPORTING = re.compile(
    r"\b(?:get|be|end up) in(?:to)? trouble (?:if|for|because|when) (?:i |we )?(?:report|speak|raise|whistle|tell|"
    r"complain)\w*"
)
# "can i ask my hca to do obs on the poorly patient": delegating a task, not a clinical question (it had sat on the edge
# of the clinical profile, declined when the content's words shifted a little)
DELEGATE_TO = re.compile(
    r"\b(?:ask|asking|get|getting|let|letting|tell|telling|leave|leaving)\s+(?:my|the|a|an|our)\s+(?:hcas?|healthcare "
    r"assistants?|support workers?|nursing associates?|students?|student nurses?|assistants?|band [234]s?)\s+to\b"
)
# being undermined by a colleague: the ACAS definition of bullying names undermining
UNDERMINING = re.compile(r"\bundermin(?:e|es|ed|ing)\b")
# "they leave her out of everything", "i always get left out": excluded, not leave (time off) or leaving (quitting)
LEFT_OUT = re.compile(
    r"\b(?:leave|leaves|leaving|left|keep|keeps|keeping|kept)\s+(?:me|us|him|her|them|others|people|one person|"
    r"someone|everyone else)\s+out\b"
    r"|\b(?:get|gets|getting|got|being|been|feel|feels|felt|feeling|am|is|are|was|were)\s+(?:always\s+|often\s+)?"
    r"left\s+out\b"
)
BLEW_UP = re.compile(r"\b(?:blew|blows|blown|blowing) up at\b|\blost it (?:with|at)\b|\bkick(?:s|ed)? off at\b")
# Names of campaigns and schemes whose words alone mean other things: "Civility Saves Lives" is no answer to "which
# isa should i put my savings in", and "reverse mentoring" is not what "coaching vs mentoring" asks about
CIVILITY_SAVES_LIVES = re.compile(r"\bcivility saves? li(?:ves|fes|fe)\b")  # "civility saves lifes"
REVERSE_MENTORING = re.compile(r"\breverse[ -]mentor(?:ing|s|ed)?\b")
# "a one to one with my staff", "one-to-ones", "121s": one word, as the content's "one-to-one" (whose parts are
# stopwords and a number word); "part time", "part-timers": working flexibly
ONE_TO_ONE = re.compile(r"\bone[ -]to[ -]ones?\b|\b121s\b")
PART_TIME = re.compile(
    r"\bpart[ -]tim(?:e|ers?)\b"
    # a pattern of one's own asked for ("can i ask to only do days", "stop doing nights", "school hours only")
    r"|\b(?:only|just) (?:do|doing|work|working) (?:days|day shifts|nights|mornings|earlies|lates|weekdays)\b"
    r"|\bstop (?:doing |working )?(?:nights|night shifts|weekends|long days)\b|\bschool hours\b"
)
# "train times to leeds", "by train": the railway; "training" and "train" (teach) stay one stem
RAILWAY = re.compile(
    r"\btrains?\s+(?:times?|timetables?|stations?|tickets?|fares?|strikes?|home|back)\b|\b(?:by|the|a|next|last|first)\s+train\b"
    r"|\btrains?\s+(?:to|from)\s+(?!be\b|become\b|do\b|work\b|lead\b|manage\b|as\b|in\b)"
)
# "a tick box exercise", "box ticking": going through the motions, one word (not physical exercise, a health matter)
TICK_BOX = re.compile(
    r"\b(?:tick[- ]?box(?:es|ing)?|box[- ]?tick(?:ing)?)(?:\s+(?:exercises?|excercises?|exersises?))?\b"
)
# "i missed something", "i messed up", "i got the dose wrong": one's own mistake, told in everyday words
OWN_SLIP = re.compile(
    r"\bi(?:'ve| have)?\s+(?:(?:really|totally|completely)\s+)?(?:missed something|forgot to (?:give|do|check|document|"
    r"record|escalate|hand over|sign)|messed (?:up|it up)|screwed (?:up|it up)|cocked (?:up|it up)|got (?:it|something|"
    r"the (?:dose|drug|dosage|time|patient|bloods|obs|result)) wrong)"
    # the wrong dose given, told without the "i" ("gave the wrong insulin dose last night … terrified ill lose my pin":
    # walked over HTTP, 2026-12-08, it had been declined as a clinical question)
    r"|^\W*(?:gave|given|administered) (?:a|the|an) wrong (?:\w+ )?(?:dose|drugs?|medication|medicine|insulin|"
    r"injection|meds|tablets?)\b"
    # a dose given late, with or without the "i" ("gave the iv antibiotics 2 hours late")
    r"|\bgave (?:a|the|an|his|her|their) (?:\w+ )?(?:drugs?|meds?|medication|dose|antibiotics?|abx|insulin|ivs?|"
    r"fluids) (?:\w+ ){0,2}late\b"
    # a patient dropped, or a diagnosis missed, with or without the "i" ("F2. missed a diagnosis on a patient")
    r"|\bi(?:'ve| have)? dropped (?:a|the|my) (?:patient|pt|resident)\b"
)
# … and told with the "i", read as its words too ("i gave the wrong insulin dose …", walk J's left-open item, had had
# racism from a patient; "i gave a patient the wrong tablets" the clinical decline; what dose to give now stays a
# clinical question)
OWN_WRONG_DOSE = re.compile(
    r"\bi(?:'?ve| have)?\s+(?:gave|given|administered) (?:(?:a|the|my|our) (?:patient|pt|resident|lady|man) )?"
    r"(?:a|the|an) wrong (?:\w+ )?(?:dose|drugs?|medication|medicine|insulin|injection|meds|tablets?)\b"
)
# A diagnosis or result missed, said of oneself with or without the "i" ("F2. missed a diagnosis on a patient"; not "my
# junior missed a fracture"): what comes before is looked at apart (OWN_MISSED_BEFORE), as written into one pattern
# the start condition made every fold four times slower
OWN_MISSED = re.compile(r"\bmissed (?:a|the) (?:diagnosis|fracture|result|deterioration|sepsis)\b")
SAID_OF_ONESELF = r"(?:^|[.,]\s*|\bi(?:'ve| have)? )"  # what comes before: a sentence's start, or "i"
OWN_MISSED_BEFORE = re.compile(SAID_OF_ONESELF + "$")


def _own_missed(found: re.Match[str]) -> str:
    """ "missed a diagnosis" said of oneself, read as one's own mistake; else left as it is."""
    said = found.group(0)
    return f"i made a mistake {said}" if OWN_MISSED_BEFORE.search(found.string[: found.start()]) else said

# The words a question starts with (`knowledge.safeguarding`'s statements and `knowledge.scope`'s telling are read by
# them), as a regular expression's alternatives
QUESTION_STARTS = "what|whats|how|who|when|where|why|which|is|are|can|could|do|does|should|would|will"
# What someone else might do, asked as a follow-up ("and if she denies it", "what if he says no"): a question about
# them, not a risk of the writer's own (walked 2026-12-07: the meaning model had read "and if she denies it" as a risk
# to life, and "and if she says no to going to the guardian", after the unsure line, had had the urgent numbers again)
IF_SOMEONE_ELSE = re.compile(
    r"^\W*(?:(?:and|but|so|ok|okay|or)\W+)?(?:what\s+)?if\s+(?:she|he|they|the|my|her|his|their|someone|somebody|"
    r"a|an|one|that|this|it)\b(?![^.?!]*\b(?:i|im|i'm|me|myself)\b)",
    re.IGNORECASE,
)
# Someone asking the bot who has talked to it ("has anyone on my team been talking to you about being stressed? i want
# to know who"): a question about others' use of the bot, not a disclosure (walk E, 2026-12-07: a word model had read a
# risk to life in it, and the manager had had the support for a colleague at risk)
WHO_TALKED = re.compile(
    r"\b(?:has|have|did|is|are)\s+(?:anyone|anybody|someone|somebody|any of (?:my|our|the) \w+|people|staff)\b"
    r"(?:\s+\w+){0,5}?\s+(?:talk(?:ed|ing)?|spoken|speaking|chatting|chatted|messag(?:ed|ing)|been in touch|told)\s+"
    r"(?:to\s+|with\s+)?(?:you|u|the bot|leadwell)\b"
    r"|\bwho\s+(?:has|have|'s)\s+been\s+(?:talking|speaking|messaging|chatting)\s+(?:to|with)\s+(?:you|u)\b"
    r"|\bi(?:'m| am|m)\s+(?:their|his|her|the)\s+(?:manager|boss|line manager)\b.{0,30}\b"
    r"(?:right to know|duty of care)\b"
    # what others said or asked (walk G, 2026-12-07: "can you tell me what my team have been saying to you", "my
    # colleague sarah said she used this app last week, what did she ask about", "if one of my staff tells you theyre
    # suicidal will you let me know")
    r"|\b(?:tell|show|give) me (?:what|who|the gist of what)\b.{0,60}\b(?:said|saying|asked|asking|typed|told you|"
    r"talked about|been saying)\b"
    r"|\bwhat (?:did|has|have) (?:she|he|they|my \w+|\w+) (?:ask(?:ed)?|say|said|type|typed|tell you|told you|"
    r"talk(?:ed)? about)\b(?=[^?]*\b(?:you|u|app|bot|here)\b)"
    r"|\b(?:used|uses|using|talks? to|talked to|been on) (?:this|the|your) (?:app|bot|chat|thing)\b.{0,40}\bwhat "
    r"(?:did|does|has) (?:she|he|they)\b"
    r"|\bwill (?:you|u) (?:let me know|tell me|inform me|alert me|warn me|notify me)\b.{0,20}\bif\b"
    r"|\bif (?:one of my|any of my|my) \w+ (?:tells|told|talks to|messages) (?:you|u)\b"
    r"|\b(?:venting|moaning|complaining|talking) (?:on here|to you|to the bot)(?: about me)?\b",
    re.IGNORECASE,
)
# Asking who can see what they write ("will my manager see what i type in here", "who else reads this", "is it saved
# somewhere, does HR get it"): walk G, 2026-12-07, had had answers about PSIRF and staff surveys
WHO_SEES = re.compile(
    r"\b(?:will|would|can|could|does|do|is)\s+(?:my\s+)?(?:manager|boss|line manager|hr|work|employer|trust|anyone|"
    r"anybody|they|matron|the trust|management)\s+(?:ever\s+)?(?:see|read|know about|find out about|get|be told about|"
    r"have access to)\s+(?:what i|this|these messages|my messages|my chats?|our (?:chat|conversation)|"
    r"any of (?:this|it)|it\b|that i)"
    r"|\bwho\s+(?:else\s+)?(?:reads|sees|can see|can read|has access to|looks at)\s+(?:this|these|what i|my)\b"
    r"|\bis\s+(?:it|this|what i (?:type|write|say))\s+(?:saved|stored|kept|recorded|logged|monitored)\b",
    re.IGNORECASE,
)
# What someone else might say or do, opened with them ("she made me promise not to say anything", "he said nobody would
# believe me"): the meaning model's read of a risk in it is not the writer's (walk E, 2026-12-07)
# … or any message opened with them and with no word of the writer's own ("she's upset, he says it was banter")
THEY_START = re.compile(
    r"^\W*(?:(?:and|but|so|ok|now|then)\W+)?(?:she|he|they)(?:'s|'re|s)?\b(?![^.?!]*\b(?:i|im|i'm|i'd|i've|me|my|myself)\b)",
    re.IGNORECASE,
)
THEY_DID = re.compile(
    r"^\W*(?:(?:and|but|so|ok|now|then)\W+)?(?:she|he|they)\s+(?:made|said|says|told|asked|wants|wanted|keeps|kept|"
    r"won'?t|wont|doesn'?t|doesnt|didn'?t|didnt|begged|threatened|promised|whispered|pleaded|swore)\b(?![^.?!]*\b(?:i|im|i'm|myself)\b)",
    re.IGNORECASE,
)
# A question asked anywhere in a message: a question mark, or a clause that opens with a question word
ASKS_ANYWHERE = re.compile(
    rf"\?|(?:^|[.!,;:]\s*|\b(?:and|so|but|then)\s+)(?:{QUESTION_STARTS})\b", re.IGNORECASE
)
# A concern or complaint about oneself ("someone raised a concern about me", "complained about me", "allegations made
# against me"): being on the other side of speaking up, one idea
ABOUT_ME = re.compile(
    r"\b(?:concerns?|complaints?|allegations?|grievances?|spoke(?:n)? up|complain(?:ed|ing|s)?|reported)"
    r"(?:\s+(?:have|has|had)\s+been|\s+(?:was|were|been))?(?:\s+(?:raised|made|put in|filed|lodged))?\s+"
    r"(?:about|against)\s+me\b"
    r"|\bi(?:'ve| have|'m| am)?\s+(?:been|was|got|being)\s+accused\b|\baccus(?:ed|ing|es) me\b"  # "ive been accused of"
    r"|\band (?:i )?(?:have|'ve) been accused\b"  # "im a consultant and have been accused of bullying"
    # "someone's reported me for bullying" (walk G, 2026-12-07: a matron had had "it isn't your fault")
    r"|\b(?:reported|complained about|grassed on|written up|put a complaint in about|made a complaint about) me\b"
    # "one of the registrars has told the TPD im intimidating in theatre" (walk B, 2026-12-07: had had "call anyway: the
    # patient comes before your fear")
    r"|\b(?:told|tells|says|said|thinks|thought|feels|felt|finds|found|reported)\b(?: \S+){0,4}? (?:that )?"
    r"(?:i'?m|i am|im|i was|i come across as|i came across as|i can be)\s+(?:too |very |really |quite |a bit )?"
    r"(?:intimidating|rude|aggressive|a bully|bullying|unapproachable|scary|harsh|abrupt|dismissive|hostile"
    r"|condescending|patronising)\b"
)
# "one of my hcas killed herself", "took his own life": a death by suicide, as the content names it (the safeguarding
# check reads the same words, `knowledge.safeguarding.DIED_BY_SUICIDE`), not "killed himself laughing"
# … or had someone do so ("had a caller kill himself while i was on the phone to him": walk E, 2026-12-07, a 111 call
# handler had been told to stay with him)
KILLED_ONESELF = (
    r"(?:\bkilled (?:himself|herself|themselves|themself)\b"
    r"|\bhad (?:a|an|my|the|one|our|one of (?:my|our|the)) (?:\w+ ){0,2}?(?:kill|hang|shoot|gas) "
    r"(?:himself|herself|themselves|themself)\b)"
)
EFFORT_OR_LAUGHTER = r"laughing|trying|working|doing|running|rushing|getting"
KILLED_SELF = re.compile(
    rf"{KILLED_ONESELF}(?! (?:{EFFORT_OR_LAUGHTER}))|\b(?:took|taken) (?:his|her|their) own life\b"
)
# to "fit in" with a team is to belong, not the fit and proper person test ("what can i actually do to fit in", a new
# HCA; walk A, 2026-12-07)
FIT_IN = re.compile(r"\bfit(?:ting)? (?:in|into)\b")
# "a fit note" is a sick note, not fitness (the fit and proper person test)
FIT_NOTE = re.compile(r"\b(?:fit|sick) notes?\b")
# "which pay point am i on" is pay; "whats the point of the code" is not
PAY_POINT = re.compile(r"\b(?:pay|spine) points?\b")
# "the CD cupboard", "CD book", "CD count" are controlled drugs, not a clinical director (walk E, 2026-12-07: a
# pharmacist's worry about oramorph taken from the CD cupboard had been declined)
CD_CUPBOARD = re.compile(
    r"\bcds? (?:cupboard|cupboards|book|books|register|count|counts|check|checks|key|keys|cabinet)\b"
)
# "our m&m", "M and M meeting": a morbidity and mortality meeting (walk B, 2026-12-07: "how do i run our m&m so its not
# a blame session" had lost "m&m" in tokenising and had had one-to-ones)
M_AND_M = re.compile(r"\bm ?(?:&|and) ?ms?\b(?! (?:sweets|chocolate))|\bmorbidity and mortality\b")
# "dying on their feet", "dead on my feet": exhausted (walk D, 2026-12-07: it had had the 10 Year Health Plan)
ON_THEIR_FEET = re.compile(r"\b(?:dying|dead) on (?:their|our|my|his|her|your) feet\b")
# a patient who "grabbed my bum" touched someone sexually (dev11, read: it had been a discriminatory remark)
GROPED = re.compile(
    r"\b(?:grab(?:bed|s|bing)?|touch(?:ed|es|ing)?|pinch(?:ed|es|ing)?|slap(?:ped|s)?|feel(?:s|ing)?|felt) "
    r"(?:my|her|his|their|our) (?:bum|bottom|backside|arse|ass|breasts?|boobs?|chest|crotch|groin)\b"
)


def _also(meaning: str) -> Callable[[re.Match[str]], str]:
    """A phrase read as its own words and `meaning` too, so a section's text that holds it keeps its words."""
    return lambda found: f"{found[0]} {meaning}"


# Each phrase read for what it means, in this order (a later one sees what an earlier one wrote)
PHRASES = (
    (EGGSHELLS, "fear speaking up"),
    (KILLED_SELF, "died by suicide"),
    (UNDER_THE_BUS, "blamed"),
    (TAKEN_FOR_GRANTED, "not valued"),
    (OUT_OF_DEPTH, "unprepared lacking confidence"),
    (WORN_OUT, "exhausted"),
    (CONFIDED, "receiving a concern"),
    (PICKED_ON, "bullied"),
    (TALKED_DOWN, "belittled rude incivility"),
    (SPOKE_TO_ME, "belittled rude incivility"),
    (AFTER_SPEAKING_UP, _also("victimised detriment")),
    (DELEGATE_TO, _also("delegate")),
    (TROUBLE_FOR_REPORTING, _also("speak up victimised detriment")),
    (LEFT_OUT, "excluded"),
    (FIT_IN, "belong settle"),
    (BLEW_UP, "rude aggressive"),
    (UNDERMINING, "bullying incivility"),
    (NOT_GETTING_ON, "conflict"),
    (AT_ODDS, "conflict"),
    (SHORT_DOWN, "short staffed"),
    (BACK_TO_BACK, "consecutive"),
    (PULLING_WEIGHT, "performance"),
    (COUNTS_AS, "is"),
    (WINGING_IT, "unprepared"),
    (LEAVING_DO, "farewell party"),
    (LEAVES_WORK, "not pulling weight performance"),
    (WITHOUT_UPSETTING, "kindly"),
    (LABELLED, "fear speaking up"),
    (TELL_THE_PATIENT, _also("duty of candour be open")),
    (WONT_COME, _also("escalate")),
    (COMES_BACK, _also("return to work")),
    (RUNNING_AWAY, "avoiding"),
    (SICK_EPISODES, _also("repeated short term sickness")),
    (LEAVING, "quitting"),
    (LABOUR_WARD, "birth maternity"),
    (FROZEN_OUT, "excluded"),
    (PRACTISE, "practic"),
    (STAFF_ROOM, "staffroom"),
    (ACCESS_TO_WORK, "accesstowork"),
    (JUST_CULTURE, "justculture"),
    (PAY_POINT, "paypoint"),
    (FIT_NOTE, "fitnote"),
    (TICK_BOX, "tickbox"),
    (OWN_SLIP, "i made a mistake"),
    (OWN_WRONG_DOSE, _also("i made a mistake")),
    (OWN_MISSED, _own_missed),
    (ABOUT_ME, "complaintaboutme"),
    (RAILWAY, "railway"),
    (ONE_TO_ONE, "onetoone"),
    (PART_TIME, "part time flexible working"),
    (CIVILITY_SAVES_LIVES, "civilitysaveslives"),
    (REVERSE_MENTORING, "reversementoring"),
    (IN_CHARGE_OF, "oversees"),
    (DPIC, "dpic"),
    (M_AND_L, "management and leadership"),
    (M_AND_M, "morbidity mortality meeting case review"),
    (GROPED, "touched sexual harassment"),
    (ON_THEIR_FEET, "exhausted burnt out"),
    (CD_CUPBOARD, "controlled drugs cupboard"),
)
ANY_PHRASE = re.compile("|".join(f"(?:{phrase.pattern})" for phrase, _ in PHRASES))
AMERICAN_IZ = re.compile(r"iz(e|es|ed|ing|ation|ations)$")
# The combining marks NFKD splits off letters ("é" -> "e" + U+0301): the blocks of combining diacritical marks
COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9“\"(])")

_stemmer = Stemmer.Stemmer("english")


# Where Snowball splits one idea in two: "compassion" stems to "compass" but "compassionate" to "compassion";
# "burnt out" to "burnt" but "burning out" and "burned out" to "burn"
STEM_FIXES = {
    "compass": "compassion", "burnt": "burn",
    # a condition and the word for the person who has it ("dyslexia", "dyslexic"), a feeling and its adjective
    # ("anxiety", "anxious"), a prejudice and its adjective ("homophobia", "homophobic"): one idea, which Snowball stems
    # apart. Not "racist": "got told by a patient im racist" is an accusation, which "racism" is not
    "dyslexia": "dyslex", "autist": "autism", "neurodiverg": "neurodivers", "pregnanc": "pregnant",
    "epilepsi": "epilept", "homophobia": "homophob", "transphobia": "transphob", "misogyni": "misogynist",
    "anxieti": "anxious", "griev": "grief", "traumat": "trauma", "traumatis": "trauma", "incivil": "uncivil",
    # a profession and its work ("clinicians", "clinical staff"; "administrator", "admin team")
    "clinician": "clinic", "administr": "admin",
    # a verb and its noun or adjective ("complained", "complaint"; "escalate", "escalation"; "merged", "merger"): not
    # "registration", which is the NMC's, not a register for managers
    "complaint": "complain", "summaris": "summari", "qualifi": "qualif",
    "strategi": "strateg", "honesti": "honest", "escalat": "escal", "diagnosi": "diagnos", "disclosur": "disclos",
    "disagr": "disagre", "prioritis": "prioriti", "financi": "financ", "deliveri": "deliv", "reduct": "reduc",
    "merger": "merg", "disciplinari": "disciplin",
}  # fmt: skip


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    stemmed = str(_stemmer.stemWord(word))
    return STEM_FIXES.get(stemmed, stemmed)


def fold(text: str, limit: int | None = None) -> str:
    """Plain lower-case ASCII-ish text: accents dropped, symbols and emoji removed, length capped."""
    if limit is not None:
        text = text[:limit]
    if not text.isascii():  # (building the index folds every sentence: ASCII text needs none of this)
        text = COMBINING.sub("", unicodedata.normalize("NFKD", text))
    text = text.casefold().replace("\u2019", "'").replace("\u2013", "-").replace("\u2014", "-")
    text = MONEY.sub(lambda m: f"{m[1]} {MONEY_WORDS[m[2]]}", text)
    if ANY_PHRASE.search(text):  # most sentences hold none: one pass to tell, instead of one per phrase
        for phrase, meaning in PHRASES:
            text = phrase.sub(meaning, text)
    return text


def sentences(text: str) -> list[str]:
    """The sentences of a section's text, paragraph by paragraph."""
    return [s.strip() for paragraph in text.split("\n\n") for s in SENTENCE_END.split(paragraph) if s.strip()]


def words(text: str) -> list[str]:
    """Word tokens; a hyphenated compound gives its parts and the joined form."""
    out: list[str] = []
    for token in WORD.findall(text):
        if "-" in token:
            parts = token.split("-")
            out.extend(parts)
            out.append("".join(parts))
        else:
            out.append(token)
    return out


def expand(tokens: Iterable[str]) -> list[str]:
    """Each token, followed by what its acronym, synonym or number word stands for."""
    out: list[str] = []
    for token in tokens:
        token = _plain(token)
        out.append(token)
        for expansion in _stands_for(token):
            out.extend(words(expansion))
    return out


@lru_cache(maxsize=65536)
def _plain(token: str) -> str:
    token = NUMBER_WORDS.get(token, token)
    return AMERICAN_IZ.sub(lambda m: "is" + m[1], token) if "iz" in token else token


@lru_cache(maxsize=65536)
def _stands_for(token: str) -> tuple[str, ...]:
    """What an acronym ("neds": a plural too) or a synonym stands for."""
    acronym = token if token in ACRONYMS else token[:-1] if token.endswith("s") and token[:-1] in ACRONYMS else None
    return tuple(text for text in (ACRONYMS.get(acronym or ""), SYNONYMS.get(token)) if text)


def expansions(tokens: Iterable[str]) -> dict[str, int]:
    """The words an acronym or synonym in `tokens` added (not also said in the question), each with how many search
    terms its expansion has ("black and minority ethnic": three): such a word stands for a share of what was said."""
    tokens = [_plain(token) for token in tokens]
    said = set(tokens)
    added: dict[str, int] = {}
    for token in tokens:
        for expansion in _stands_for(token):
            parts = words(expansion)
            size = max(len(terms(parts)), 1)
            for part in parts:
                if part not in said:
                    added[part] = min(added.get(part, size), size)
    return added


def terms(tokens: Iterable[str]) -> list[str]:
    """Stopwords dropped, the rest stemmed (English Snowball stemmer)."""
    return [stem(token) for token in tokens if token not in STOPWORDS and (len(token) > 1 or token.isdigit())]


def document_terms(text: str) -> list[str]:
    return terms(expand(words(fold(text))))


COMMON_WORDS = Path(__file__).with_name("common_words.txt")


@cache
def common_words() -> frozenset[str]:
    """The 60,000 most frequent English words of pyspellchecker's list (knowledge.wording.english_words), kept as a
    file because loading the whole list takes half a second: such a word is never "corrected". (20,000 until dev11,
    read, 2026-12-07: "cringe" had become "cry", "compliant" "complaint", "snide" "side", "substantive" "substantial";
    the sets' answers were the same with 40,000 and 60,000.)"""
    return frozenset(COMMON_WORDS.read_text(encoding="utf-8").split())


class Speller:
    """Corrects words that are not in the vocabulary to the closest word that is (difflib, stdlib); never a common
    English word ("move" is not a misspelt "movie", which would make "how do i move up to band 7" a film question)."""

    def __init__(self, vocabulary: Iterable[str]) -> None:
        self.vocabulary = frozenset(vocabulary) | frozenset(ACRONYMS) | frozenset(SYNONYMS)
        self._by_start: dict[tuple[str, int], list[str]] = {}
        for word in self.vocabulary:
            if word.isalpha() and len(word) >= 4:
                self._by_start.setdefault((word[0], len(word)), []).append(word)
        self.correct = lru_cache(maxsize=8192)(self._correct)

    def known(self, word: str) -> bool:
        return word in self.vocabulary or word in STOPWORDS

    def _correct(self, word: str) -> str:
        """The closest vocabulary word (difflib ratio >= 0.8), else the word itself.

        A word whose stem the index knows is still checked: "programe" stems like
        "programming" but is meant as "programme", and a close surface word wins.
        """
        if len(word) < 4 or not word.isalpha() or self.known(word) or word in common_words():
            return word
        spread = 1 if len(word) <= 6 else 2  # a short word may gain or lose one letter, a longer one two
        candidates = [
            w for n in range(len(word) - spread, len(word) + spread + 1) for w in self._by_start.get((word[0], n), ())
        ]
        best = difflib.get_close_matches(word, candidates, n=1, cutoff=0.8)
        return best[0] if best else word


# How the person wants the answer said, not what it is about: "in 2 lines", "in a nutshell", "like im 5", "tldr"
HOW_TO_SAY_IT = re.compile(
    r"\b(?:in|into) (?:just )?(?:a |one |two |three |a few |few |\d{1,2} |simple |plain |short |brief )?"
    r"(?:lines?|sentences?|words|paragraphs?|bullet points|bullets)\b"
    r"|\bin (?:a nutshell|plain english|simple terms|simple english|laym[ae]n'?s terms|brief|short)\b"
    r"|\blike (?:i'?m|i am|im) (?:5|five|a child|a kid)\b|\beli5\b|\btl;? ?dr\b"
    r"|\b(?:a )?(?:quick|short|brief) (?:summary|overview|rundown) of\b"
)


# "nice" in lower case is the everyday word ("is compassion just being nice"), not NICE, the institute, which people
# write in capitals
# What a question says it is not about is not searched for: "what?? nothing to do with body odour. its about his work
# quality, late letters" had had the hygiene section again (walk A, 2026-12-07), "not asking about the clinical review -
# how do i get them working together" the clinical review (dev7, read)
NOT_ASKED = re.compile(
    r"\b(?:nothing to do with|not about|(?:is ?n'?t|is not|it'?s not|its not|not really) about"
    r"|not asking (?:about|what)|(?:did ?n'?t|do ?n'?t|did not|do not) mean)\b[^.,;:!?()\-\u2013\u2014]*",
    re.IGNORECASE,
)
PLAIN_NICE = re.compile(r"\b(?!NICE\b)[Nn]ice\b")


def question_words(question: str, speller: Speller) -> list[str]:
    """The question's words, capped, folded and spelling-corrected (before expansion), without the words that only
    say how to answer ("in 2 lines", HOW_TO_SAY_IT).

    Two neighbouring words that the vocabulary knows as one ("work stream",
    "confed expo") also give the joined word.
    """
    asked = NOT_ASKED.sub(" ", question)
    tokens = words(HOW_TO_SAY_IT.sub(" ", fold(PLAIN_NICE.sub("kind", asked), MAX_QUESTION_CHARS)))
    joined = [
        a + b
        for a, b in zip(tokens, tokens[1:], strict=False)
        if a + b in speller.vocabulary and a not in STOPWORDS  # "speak up" is "speakup"; "day to day" is not "today"
    ]
    return [speller.correct(word) for word in tokens] + joined
