"""NHS acronyms, synonyms and stopwords used to normalise both the content and the questions.

Acronyms come from the glossary of the facts sheet (section 24) plus a few that
staff use for things the content covers (CoP, EGA, MLP, CEO, BME, PSIRF, RCN, RTW, SBAR). Expansion is
applied to documents and questions alike, so "ICB" in a question finds
"integrated care board" in the text and the other way round.
"""

from __future__ import annotations

from bm25s.tokenization import STOPWORDS_EN_PLUS

ACRONYMS: dict[str, str] = {
    "10yhp": "10 year health plan",
    "5yfv": "five year forward view",
    "aar": "after action review",
    "abc": "autonomy belonging contribution",
    "aequip": "advocating and educating for quality improvement",
    "alb": "arm's length body",
    "bmaf": "board member appraisal framework",
    "bme": "black and minority ethnic",
    "caf": "chair appraisal framework",
    "ccg": "clinical commissioning group",
    "ceo": "chief executive",
    "cmi": "chartered management institute",
    "cop": "code of practice",
    "cqc": "care quality commission",
    "dhsc": "department of health and social care",
    "dpic": "developing people improving care",
    "edi": "equality diversity and inclusion",
    "ega": "elizabeth garrett anderson",
    "esr": "electronic staff record",
    "fmlm": "faculty of medical leadership and management",
    "fnf": "florence nightingale foundation",
    "fppt": "fit and proper person test",
    "ftsu": "freedom to speak up",
    "hee": "health education england",
    "hlm": "healthcare leadership model",
    "icb": "integrated care board",
    "icp": "integrated care partnership",
    "ics": "integrated care system",
    "lcf": "leadership competency framework",
    "lfpse": "learn from patient safety events",
    "ltp": "long term plan",
    "ltwp": "long term workforce plan",
    "mip": "managers in partnership",
    "mlf": "management and leadership framework",
    "mlp": "management and leadership programme",
    "ned": "non-executive director",
    "ngo": "national guardian's office",
    "nhse": "nhs england",
    "nhsi": "nhs improvement",
    "pcn": "primary care network",
    "pdsa": "plan do study act",
    "phe": "public health england",
    "pna": "professional nurse advocate",
    "psii": "patient safety incident investigation",
    "psirf": "patient safety incident response framework",
    "qsir": "quality service improvement and redesign",
    "rcn": "royal college of nursing",
    "rtw": "return to work",
    "sbar": "situation background assessment recommendation",
    "stp": "sustainability and transformation plan partnership",
    "vsm": "very senior manager",
    "wdes": "workforce disability equality standard",
    "wres": "workforce race equality standard",
}

# One word a person may type -> words the content uses for the same idea.
SYNONYMS: dict[str, str] = {
    "beginner": "new first foundation",
    "beginners": "new first foundation",
    "boss": "manager",
    "burnout": "burnt out exhausted",
    "appreciate": "thanking recognise",
    "appreciated": "thanked recognised",
    "appreciation": "thanking recognition",
    "behavior": "behaviour",
    "behaviors": "behaviours",
    "center": "centre",
    "chief": "chief executive",
    "course": "programme",
    "courses": "programme",
    "empathetic": "empathising",
    "empathise": "empathising",
    "empathize": "empathising",
    "empathy": "empathising",
    "exec": "executive",
    "execs": "executives",
    "kindness": "compassion",
    "mates": "colleagues teammates",
    "program": "programme",
    "programs": "programmes",
    "supervisor": "manager",
    "whistleblower": "speak up",
    "whistleblowing": "speak up",
}

# Who is asking ("im a band 5 nurse", "as the nurse in charge", "hca here"): context, not topic. A
# question's role words count ROLE_WEIGHT (knowledge.index) of a topic word, so "the nurse in charge keeps
# snapping at me" is about incivility, not about leading a shift. ("Manager" and "leader" are topic words here.)
ROLE_WORDS = (
    "nurse nurses charge band hca hcas physio physios ot ots ahp registrar reg junior "
    "doctor doctors student matron sister hr"
)  # not "NED", "healthcare assistant" or "consultant": their stems are topic words ("executive", "consultation")

NUMBER_WORDS: dict[str, str] = {
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
}

# Words that carry no meaning in a question ("what does ... mean", "tell me about ...").
QUESTION_WORDS = frozenset(
    {
        "tell",
        "explain",
        "please",
        "pls",
        "plz",
        "thanks",
        "thank",
        "hi",
        "hello",
        "hey",
        "know",
        "mean",
        "means",
        "meaning",
        "whats",
        "hows",
        "whos",
        "wheres",
        "dont",
        "doesnt",
        "isnt",
        "cant",
        "im",
        "ive",
        "could",
        "would",
        "can",
        "get",
        "got",
        "want",
        "like",
        "list",
        "give",
        "say",
        "says",
        "said",
        "u",
        "ur",
        "anything",
        "something",
        "thing",
        "things",
        "stuff",
        "also",
        "us",
        "let",
        "lets",
        "try",
        "trying",
        "tried",
        "going",
        "really",
        "actually",
        "exactly",
        "basically",
        "many",
        "much",
    }
)

STOPWORDS = frozenset(STOPWORDS_EN_PLUS) | QUESTION_WORDS
