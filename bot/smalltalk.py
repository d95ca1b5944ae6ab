"""Small talk: a post that is only a greeting, thanks, "ok" or goodbye gets a one-line reply.

Kept apart from `bot.reading` (which needs the matcher) so the interview can tell small talk
from an answer without loading the knowledge.
"""

from __future__ import annotations

import re

_GREETING_WORDS = frozenset(
    [
        "hi",
        "hii",
        "hiii",
        "hello",
        "helo",
        "hey",
        "heya",
        "hiya",
        "yo",
        "salam",
        "salaam",
        "assalamu",
        "assalam",
        "namaste",
        "greetings",
        "morning",
        "afternoon",
        "evening",
    ]
)
_THANKS_WORDS = frozenset(
    [
        "thanks",
        "thank",
        "thanx",
        "thx",
        "ty",
        "tysm",
        "thankyou",
        "thanku",
        "appreciated",
        "appreciate",
        "jazakallah",
        "bless",
    ]
)
_BYE_WORDS = frozenset(["bye", "goodbye", "cya", "later", "night"])
# Everything a reply-free courtesy may hold: the greetings, thanks and goodbyes above, and
# the words that pad them ("thanks a lot sir", "good morning everyone").
_SMALLTALK_WORDS = _GREETING_WORDS | _THANKS_WORDS | _BYE_WORDS | frozenset(
    [
        "alaikum", "alaykum", "walaikum", "wa", "aleikum", "good", "day", "all", "everyone",
        "guys", "folks", "friends", "sir", "madam", "maam", "mam", "doc", "doctor", "bot",
        "team", "there", "dear", "respected", "seniors", "so", "much", "very", "lot", "a", "you",
        "u", "for", "the", "help", "your", "great", "nice", "awesome", "cool", "perfect",
        "really", "it", "that", "this", "helpful", "useful", "ok", "okay", "okk", "okie", "k",
        "kk", "alright", "right", "got", "noted", "understood", "sure", "fine", "yes", "yeah",
        "yep", "see", "take", "care", "khair", "jazak", "allah", "god", "again", "amazing",
        "wonderful", "i", "will", "and", "too", "well", "lol", "haha",
    ]
)  # fmt: skip

# "what can you do?", "who are you": a greeting by another name.
_ABOUT_YOU = re.compile(
    r"\b(what can you do|what do you do|who are you|what are you|how are you)\b\??"
)


def smalltalk_kind(text: str) -> str | None:
    """ "greeting", "thanks", "bye" or "ok" when the post is nothing but small talk."""
    if _ABOUT_YOU.search(text):
        text = _ABOUT_YOU.sub(" hi ", text)
    words = re.findall(r"[a-z']+", text.replace("'", ""))
    if not words or any(w not in _SMALLTALK_WORDS for w in words) or re.search(r"\d", text):
        return None
    if any(w in _THANKS_WORDS for w in words):
        return "thanks"
    if any(w in _GREETING_WORDS for w in words) or words[0] in {"good", "hey"}:
        return "greeting"
    if any(w in _BYE_WORDS for w in words):
        return "bye"
    return "ok"
