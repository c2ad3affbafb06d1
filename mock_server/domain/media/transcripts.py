"""Speech-to-text transcripts of calls: plausible Russian business dialogues, made up on demand.

The live service transcribes the recording word by word (guide 5.7.3): every
word has the channel that said it (``A`` the caller, ``B`` the callee), its
start and end in seconds with up to five decimals, and is written in lower
case without punctuation.  The mock writes the dialogue first and then says it:
the company side (``B``) opens with the recording notice the guide shows, the
two sides then take turns (greeting and names, a question about an order, a
delivery or an invoice, with dates, sums and order numbers spelled out in words
as a recogniser writes them), and the caller thanks and says goodbye before the
call ends.

This module is the one source of the dialogue and its timings.  ``lay_out``
asks a ``Voice`` how long each sentence lasts and where its words fall, and
places the sentences on the call's time line; the spoken recordings
(``spoken_recordings.py``) pass a voice that really speaks (eSpeak NG), so the
transcript's times are those of the words in the audio.  Without speech the
``ESTIMATED_VOICE`` times words by their vowels.

Everything comes from a ``random.Random`` seeded from a hash of ``seed``, never
from the global generator, so a record always gets the same transcript, on any
machine and under any ``PYTHONHASHSEED``.  Times are kept as integers (the
voice's ticks) while the dialogue is laid out, so rounding can never make a
word end before it starts or make two words overlap.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Protocol

__all__ = [
    "CALLEE",
    "CALLER",
    "ESTIMATED_VOICE",
    "RECORDING_NOTICE",
    "TOPICS",
    "Clip",
    "Dialogue",
    "PlacedClip",
    "Script",
    "SttWord",
    "Voice",
    "lay_out",
    "lay_out_script",
    "make_transcript",
    "speakers",
    "spoken_words",
]

CALLER = "A"
CALLEE = "B"
RECORDING_NOTICE = "информируем что разговор записывается"
"""The first words of every transcript, on channel B, as in the guide's example."""
TOPICS = ("order", "delivery", "invoice")
"""What the caller rings about; ``make_transcript(topic=...)`` takes one of these."""

_FIRST_WORD_AT = 0.3
"""Seconds into the call at which the notice starts, as in the guide's example."""
_WORD_BASE = 0.05
_WORD_PER_SYLLABLE = 0.13
"""Seconds per vowel: "информируем" lasts about 0.7 s, "что" about 0.18 s, as in the guide."""
_MIN_WORD = 0.08
_WORD_JITTER = (0.85, 1.15)
_WORD_GAP_CHANCE = 0.2
_WORD_GAP = (0.03, 0.25)
_SENTENCE_GAP = (0.4, 0.9)
_TURN_GAP = (0.35, 1.4)
_SPEECH_SHARE = (0.85, 0.95)
"""The dialogue ends somewhere in this share of the call: the rest is hanging up."""
_MAX_TAIL = 1.0
"""Seconds of silence at least kept at the end of the call (a tenth of a very short one)."""
_VOWELS = frozenset("аеёиоуыэюяaeiouy")
_WORD_PATTERN = re.compile(r"[0-9a-zа-яё]+")

_CALLER_NAMES = (
    "иван петров",
    "ольга смирнова",
    "сергей",
    "анна васильевна",
    "дмитрий козлов",
    "елена",
    "алексей николаевич",
    "татьяна морозова",
)
_CALLEE_NAMES = ("марина", "андрей", "екатерина", "павел", "наталья", "михаил", "светлана")
_COMPANIES = ("ромашка", "вектор", "альфа трейд", "северный ветер", "техносервис", "стройком")

_GREETINGS = (
    "компания {company} здравствуйте меня зовут {callee} чем могу помочь",
    "компания {company} {callee} здравствуйте",
    "добрый день компания {company} меня зовут {callee} слушаю вас",
)
_INTRODUCTIONS = {
    "order": (
        "здравствуйте меня зовут {caller} я по поводу заказа номер {number}",
        "добрый день это {caller} хотел узнать по заказу номер {number}",
    ),
    "delivery": (
        "здравствуйте это {caller} подскажите когда будет доставка заказа номер {number}",
        "добрый день меня зовут {caller} я не получил доставку по заказу {number}",
    ),
    "invoice": (
        "здравствуйте меня зовут {caller} нам нужен счет на оплату по договору номер {number}",
        "добрый день это {caller} звоню по поводу счета номер {number}",
    ),
}
_ACKNOWLEDGEMENTS = (
    "да одну минуту сейчас посмотрю",
    "так вижу ваш заказ",
    "секунду уточняю информацию",
    "да конечно сейчас проверю",
)
_EXCHANGES = {
    "order": (
        ("когда заказ будет готов", "заказ будет готов {date}"),
        ("а можно забрать его самовывозом", "да конечно забрать можно с {opens} до {closes}"),
        ("сколько получается по сумме", "сумма заказа {amount}"),
        ("а можно добавить еще одну позицию", "да можно я добавлю и пришлю новый счет"),
        ("можно оплатить картой при получении", "да можно картой или наличными"),
    ),
    "delivery": (
        ("когда привезут заказ", "доставка запланирована на {date_accusative}"),
        ("а в какое время", "курьер приедет с {opens} до {closes}"),
        ("курьер позвонит заранее", "да курьер позвонит за час до приезда"),
        ("сколько стоит доставка", "доставка стоит {amount}"),
        ("можно перенести доставку на {date_accusative}", "да перенесли на {date_accusative}"),
        ("а доставка до двери", "да курьер поднимет заказ до двери"),
    ),
    "invoice": (
        ("на какую сумму будет счет", "счет будет на {amount}"),
        ("до какого числа нужно оплатить", "оплатить нужно до {date}"),
        ("пришлите пожалуйста счет на почту", "хорошо отправим сегодня до конца дня"),
        ("а закрывающие документы когда будут", "документы пришлем {date}"),
        ("оплата прошла {date} проверьте пожалуйста", "да вижу оплату спасибо"),
    ),
}
_SMALL_TALK = (
    ("подождите секунду", "да конечно жду"),
    ("а вы работаете в выходные", "в субботу с {opens} до {closes} в воскресенье выходной"),
    ("можно еще вопрос", "да конечно слушаю"),
    ("я записываю", "хорошо диктую еще раз номер {number}"),
    ("а как с вами связаться", "звоните по этому номеру или пишите на почту"),
    ("понятно", "что нибудь еще"),
)
_THANKS = ("спасибо большое", "все понятно спасибо", "отлично спасибо за помощь")
_YOU_ARE_WELCOME = (
    "пожалуйста обращайтесь",
    "рады помочь всего доброго",
    "пожалуйста если будут вопросы звоните",
)
_CALLER_GOODBYES = ("до свидания", "всего доброго до свидания")
_CALLEE_GOODBYES = ("до свидания хорошего дня", "всего доброго")

_UNITS = ("", "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять")
_TEENS = (
    "десять",
    "одиннадцать",
    "двенадцать",
    "тринадцать",
    "четырнадцать",
    "пятнадцать",
    "шестнадцать",
    "семнадцать",
    "восемнадцать",
    "девятнадцать",
)
_TENS = (
    "",
    "",
    "двадцать",
    "тридцать",
    "сорок",
    "пятьдесят",
    "шестьдесят",
    "семьдесят",
    "восемьдесят",
    "девяносто",
)
_HUNDREDS = (
    "",
    "сто",
    "двести",
    "триста",
    "четыреста",
    "пятьсот",
    "шестьсот",
    "семьсот",
    "восемьсот",
    "девятьсот",
)
_ORDINAL_STEMS = {
    1: "перв",
    2: "втор",
    3: "треть",
    4: "четверт",
    5: "пят",
    6: "шест",
    7: "седьм",
    8: "восьм",
    9: "девят",
    10: "десят",
    11: "одиннадцат",
    12: "двенадцат",
    13: "тринадцат",
    14: "четырнадцат",
    15: "пятнадцат",
    16: "шестнадцат",
    17: "семнадцат",
    18: "восемнадцат",
    19: "девятнадцат",
    20: "двадцат",
}
_MONTHS_GENITIVE = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)
_DAYS_IN_EVERY_MONTH = 28
_OPENING_HOURS = ("восьми", "девяти", "десяти")
_CLOSING_HOURS = ("пяти", "шести", "семи")


@dataclass(frozen=True, slots=True)
class SttWord:
    """One recognised word: who said it (``A`` caller, ``B`` callee) and when, in seconds."""

    channel: str
    start_time: float
    end_time: float
    word: str

    def __post_init__(self) -> None:
        if self.channel not in (CALLER, CALLEE):
            raise ValueError(f"channel must be {CALLER!r} or {CALLEE!r}, not {self.channel!r}")
        if not 0 <= self.start_time <= self.end_time:
            raise ValueError(f"bad times {self.start_time}-{self.end_time} for {self.word!r}")

    def to_json(self) -> dict[str, object]:
        """The spec's ``SttWord``: ``channel``, ``startTime``, ``endTime``, ``word``."""
        return {
            "channel": self.channel,
            "startTime": self.start_time,
            "endTime": self.end_time,
            "word": self.word,
        }


def _plural(count: int, one: str, few: str, many: str) -> str:
    """The Russian noun form that goes with ``count`` (1 рубль, 2 рубля, 5 рублей)."""
    if 11 <= count % 100 <= 14:
        return many
    if count % 10 == 1:
        return one
    if 2 <= count % 10 <= 4:
        return few
    return many


def _below_thousand(number: int, *, feminine: bool = False) -> list[str]:
    hundreds, rest = divmod(number, 100)
    words = [_HUNDREDS[hundreds]] if hundreds else []
    if 10 <= rest < 20:
        words.append(_TEENS[rest - 10])
        return words
    tens, units = divmod(rest, 10)
    if tens:
        words.append(_TENS[tens])
    if units:
        words.append({1: "одна", 2: "две"}.get(units, _UNITS[units]) if feminine else _UNITS[units])
    return words


def _cardinal(number: int) -> list[str]:
    """``number`` (0 to 999 999) in words, masculine, as a recogniser spells it."""
    if not 0 <= number < 1_000_000:
        raise ValueError(f"{number} is out of range")
    if number == 0:
        return ["ноль"]
    thousands, rest = divmod(number, 1000)
    words: list[str] = []
    if thousands:
        # "тысяча рублей", not "одна тысяча рублей"
        words += _below_thousand(thousands, feminine=True) if thousands != 1 else []
        words.append(_plural(thousands, "тысяча", "тысячи", "тысяч"))
    return words + _below_thousand(rest)


def _ordinal(day: int, *, genitive: bool) -> str:
    """Day 1 to 31 as an ordinal: "двенадцатого" (genitive) or "двенадцатое" (accusative)."""
    tens, units = divmod(day, 10)
    if day in _ORDINAL_STEMS:
        stem = _ORDINAL_STEMS[day]
    elif units == 0:
        stem = "тридцат"
    else:
        return f"{_TENS[tens]} {_ordinal(units, genitive=genitive)}"
    if stem.endswith("ь"):  # "третий" is soft: третьего, третье
        return stem + ("его" if genitive else "е")
    return stem + ("ого" if genitive else "ое")


@cache
def _syllables(word: str) -> int:
    return sum(letter in _VOWELS for letter in word)


def _seed_int(seed: str) -> int:
    return int.from_bytes(hashlib.sha256(seed.encode("utf-8")).digest()[:8], "big")


def _name_words(name: str | None) -> str | None:
    if name is None:
        return None
    words = _WORD_PATTERN.findall(name.lower())
    return " ".join(words) if words else None


class _Slots(dict[str, str]):
    """Template values; dates, sums and hours are drawn only when a phrase asks for them."""

    def __init__(self, rng: random.Random, fixed: dict[str, str]) -> None:
        super().__init__(fixed)
        self._rng = rng

    def __missing__(self, key: str) -> str:
        rng = self._rng
        if key in ("date", "date_accusative"):
            day = rng.randint(1, _DAYS_IN_EVERY_MONTH)
            month = rng.choice(_MONTHS_GENITIVE)
            self["date"] = f"{_ordinal(day, genitive=True)} {month}"
            self["date_accusative"] = f"{_ordinal(day, genitive=False)} {month}"
        elif key == "amount":
            rubles = rng.randrange(3, 600) * 100 + rng.choice((0, 0, 0, 50))
            currency = _plural(rubles, "рубль", "рубля", "рублей")
            self[key] = " ".join([*_cardinal(rubles), currency])
        elif key == "opens":
            self[key] = rng.choice(_OPENING_HOURS)
        elif key == "closes":
            self[key] = rng.choice(_CLOSING_HOURS)
        else:
            raise KeyError(key)
        return self[key]


def _exchanges(rng: random.Random, topic: str) -> Iterator[tuple[str, str]]:
    """Question and answer pairs for as long as the call lasts, drawn like cards from a deck
    that is shuffled anew when used up, so that no pair comes back before the others have
    been used and never twice in a row."""
    deck = [*_EXCHANGES[topic], *_SMALL_TALK]
    last: tuple[str, str] | None = None
    while True:
        rng.shuffle(deck)
        if deck[0] == last:
            deck[0], deck[-1] = deck[-1], deck[0]
        yield from deck
        last = deck[-1]


@dataclass(frozen=True, slots=True)
class Clip:
    """What a voice made of one sentence, in the voice's ticks: how long it occupies the time
    line and where each of its words lies, from the clip's start."""

    length: int
    words: tuple[tuple[int, int], ...]
    """``(start, end)`` of each word of the sentence, in order."""

    def __post_init__(self) -> None:
        end = 0
        for start, stop in self.words:
            if not end <= start < stop <= self.length:
                raise ValueError(f"word span {start}-{stop} is out of order or outside the clip")
            end = stop
        if not self.words:
            raise ValueError("a clip says at least one word")


class Voice(Protocol):
    """Says sentences; ``lay_out`` places what it says on the call's time line.

    ``ticks_per_second`` is the unit of its clips; ``step`` is how the clips may be placed
    (a clip starts at a multiple of ``step`` ticks: an MP3 frame for the spoken recordings).
    """

    @property
    def ticks_per_second(self) -> int: ...

    @property
    def step(self) -> int: ...

    def say(self, channel: str, sentence: str) -> Clip: ...


@dataclass(frozen=True, slots=True)
class PlacedClip:
    """A clip on the call's time line: ``sentence`` said on ``channel`` from tick ``start``."""

    channel: str
    start: int
    sentence: str
    clip: Clip

    @property
    def end(self) -> int:
        return self.start + self.clip.length


@dataclass(frozen=True, slots=True)
class Dialogue:
    """A call's dialogue laid out by a voice: its clips, and the words of its transcript."""

    ticks_per_second: int
    clips: tuple[PlacedClip, ...]
    """In time order, never overlapping."""
    words: tuple[SttWord, ...]


class _EstimatedVoice:
    """Word lengths estimated from their vowels, for the transcript when nothing speaks.

    The same sentence always gets the same timings (its own generator, seeded from it).
    """

    ticks_per_second = 100_000
    """10 µs, the guide's five decimals."""
    step = 1

    def say(self, channel: str, sentence: str) -> Clip:
        rng = random.Random(_seed_int(f"{channel}:{sentence}"))
        tps = self.ticks_per_second
        now = 0
        spans: list[tuple[int, int]] = []
        for position, word in enumerate(sentence.split()):
            if position and rng.random() < _WORD_GAP_CHANCE:
                now += round(rng.uniform(*_WORD_GAP) * tps)
            seconds = (_WORD_BASE + _WORD_PER_SYLLABLE * _syllables(word)) * rng.uniform(
                *_WORD_JITTER
            )
            end = now + round(max(_MIN_WORD, seconds) * tps)
            spans.append((now, end))
            now = end
        return Clip(now, tuple(spans))


ESTIMATED_VOICE: Voice = _EstimatedVoice()
"""The voice of ``make_transcript`` when none is given: timings without audio."""


class _Timeline:
    """Clips placed one after another on a call's time line, never overlapping."""

    __slots__ = ("_rng", "_voice", "clips", "free")

    def __init__(self, rng: random.Random, voice: Voice, free: int = 0) -> None:
        self._rng = rng
        self._voice = voice
        self.free = free
        """The first tick after every clip placed so far."""
        self.clips: list[PlacedClip] = []

    def ticks(self, bounds: tuple[float, float]) -> int:
        return round(self._rng.uniform(*bounds) * self._voice.ticks_per_second)

    def gap(self) -> int:
        """A pause between two turns."""
        return self.ticks(_TURN_GAP)

    def fork(self) -> _Timeline:
        """A trial continuation: placed after these clips, adopted only if it fits."""
        return _Timeline(self._rng, self._voice, self.free)

    def adopt(self, trial: _Timeline) -> None:
        self.clips += trial.clips
        self.free = trial.free

    def placement(self, word_at: int, lead: int) -> int:
        """Where a clip whose first word starts ``lead`` ticks in goes, for that word to start
        at ``word_at`` or as soon after as the clips before and the voice's step allow."""
        step = self._voice.step
        start = max(self.free, word_at - lead)
        return -(-start // step) * step

    def turn(self, channel: str, sentences: Sequence[str], at: int) -> int:
        """Say ``sentences`` on ``channel``, the first word from ``at``; when the last word
        ends."""
        now = at
        for index, sentence in enumerate(sentences):
            if index:
                now += self.ticks(_SENTENCE_GAP)
            clip = self._voice.say(channel, sentence)
            start = self.placement(now, clip.words[0][0])
            self.clips.append(PlacedClip(channel, start, sentence, clip))
            self.free = start + clip.length
            now = start + clip.words[-1][1]
        return now


def _draw_names(
    rng: random.Random, caller_name: str | None, callee_name: str | None
) -> dict[str, str]:
    # Drawn even when not used, so that the names given do not change the rest of the dialogue.
    drawn_caller, drawn_callee = rng.choice(_CALLER_NAMES), rng.choice(_CALLEE_NAMES)
    return {
        CALLER: _name_words(caller_name) or drawn_caller,
        CALLEE: _name_words(callee_name) or drawn_callee,
    }


def speakers(
    seed: str, *, caller_name: str | None = None, callee_name: str | None = None
) -> dict[str, str]:
    """The names the two sides say in the dialogue of ``seed``, by channel (``A``, ``B``)."""
    return _draw_names(random.Random(_seed_int(seed)), caller_name, callee_name)


def lay_out(
    seed: str,
    duration_seconds: int,
    *,
    caller_name: str | None = None,
    callee_name: str | None = None,
    topic: str | None = None,
    voice: Voice = ESTIMATED_VOICE,
) -> Dialogue:
    """The dialogue of a call of ``duration_seconds`` whose content is fixed by ``seed``,
    timed by ``voice``.

    Channel B opens with the recording notice and greets, A introduces
    themselves and the matter (``topic``, one of TOPICS, else drawn from the
    seed), then A and B alternate question and answer until the caller thanks
    and both say goodbye, all over by 85 to 95 % of the call (drawn from the
    seed) whenever the goodbyes fit.
    A short call is cut off mid-dialogue: words that would not end before the
    call's last second (its last tenth, when shorter than ten seconds) are
    left out of the transcript, but a call of one second or more always has at
    least one word. The names, lower-cased and stripped of punctuation, are
    those of the record when given, else drawn from the seed.

    What is said depends only on the seed, the names and the topic; the voice decides how
    long each sentence lasts, and so where the words fall and how many exchanges fit.
    """
    if topic is not None and topic not in TOPICS:
        raise ValueError(f"topic must be one of {TOPICS}, not {topic!r}")
    tps = voice.ticks_per_second
    if duration_seconds < 1:
        return Dialogue(tps, (), ())
    rng = random.Random(_seed_int(seed))
    names = _draw_names(rng, caller_name, callee_name)
    drawn_topic = rng.choice(TOPICS)
    slots = {
        "caller": names[CALLER],
        "callee": names[CALLEE],
        "company": rng.choice(_COMPANIES),
        "number": " ".join(
            word for _ in range(rng.randint(2, 3)) for word in _cardinal(rng.randint(10, 99))
        ),
    }
    subject = topic if topic is not None else drawn_topic

    duration = duration_seconds * tps
    last_end = duration - min(round(_MAX_TAIL * tps), duration // 10)
    speech_end = min(last_end, round(duration * rng.uniform(*_SPEECH_SHARE)))

    def say(template: str, values: _Slots) -> str:
        return template.format_map(values)

    # One date, one sum, one pair of opening hours per call: a question that comes round
    # again in a long call gets the same answer (and the same sound: a sentence said twice
    # is synthesised once).
    values = _Slots(rng, slots)

    # The goodbyes are laid out first, from tick 0, to know how much room they need.
    closing = _Timeline(rng, voice)
    at = 0
    for index, (channel, phrases) in enumerate(
        (
            (CALLER, _THANKS),
            (CALLEE, _YOU_ARE_WELCOME),
            (CALLER, _CALLER_GOODBYES),
            (CALLEE, _CALLEE_GOODBYES),
        )
    ):
        if index:
            at += closing.gap()
        at = closing.turn(channel, [say(rng.choice(phrases), values)], at)
    closing_length = at
    closing_lead = closing.clips[0].clip.words[0][0]

    timeline = _Timeline(rng, voice)
    now = min(round(_FIRST_WORD_AT * tps), duration // 10)
    now = timeline.turn(CALLEE, [RECORDING_NOTICE, say(rng.choice(_GREETINGS), values)], now)
    now = timeline.turn(
        CALLER, [say(rng.choice(_INTRODUCTIONS[subject]), values)], now + timeline.gap()
    )
    now = timeline.turn(CALLEE, [rng.choice(_ACKNOWLEDGEMENTS)], now + timeline.gap())

    exchanges = _exchanges(rng, subject)
    while True:
        question, answer = next(exchanges)
        trial = timeline.fork()
        end = trial.turn(CALLER, [say(question, values)], now + trial.gap())
        end = trial.turn(CALLEE, [say(answer, values)], end + trial.gap())
        closing_gap = trial.gap()
        if trial.placement(end + closing_gap, closing_lead) + closing_length > speech_end:
            break
        timeline.adopt(trial)
        now = end

    shift = timeline.placement(now + closing_gap, closing_lead)
    if shift + closing_length <= speech_end:
        timeline.clips += [
            PlacedClip(c.channel, c.start + shift, c.sentence, c.clip) for c in closing.clips
        ]

    words = [
        (placed.channel, placed.start + start, placed.start + end, word)
        for placed in timeline.clips
        for (start, end), word in zip(placed.clip.words, placed.sentence.split(), strict=True)
    ]
    kept = 0
    while kept < len(words) and words[kept][2] <= last_end:
        kept += 1
    result = [
        SttWord(channel, round(start / tps, 5), round(end / tps, 5), word)
        for channel, start, end, word in words[:kept]
    ]
    if not result:
        channel, start, _, word = words[0]
        result = [SttWord(channel, round(start / tps, 5), round(last_end / tps, 5), word)]
    return Dialogue(tps, tuple(timeline.clips), tuple(result))


Script = tuple[tuple[str, float | None, str], ...]
"""What a tenant file says a recording says: (channel, where the sentence's first word starts
in seconds or None, the sentence)."""


def spoken_words(text: str) -> list[str]:
    """The words of ``text`` as the recogniser writes them: lower case, no punctuation."""
    return _WORD_PATTERN.findall(text.lower())


def lay_out_script(
    seed: str, duration_seconds: int, script: Script, *, voice: Voice = ESTIMATED_VOICE
) -> Dialogue:
    """The dialogue a tenant file wrote for a call of ``duration_seconds``, timed by
    ``voice``: each sentence on its channel, its first word at ``at`` seconds when given (or
    as soon after as the sentence before lets it), else after a pause behind the sentence
    before (a turn's pause when the channel changes, a sentence's within a turn; the pauses
    drawn from ``seed``). Words that would not end before the call's last second are left
    out, as in ``lay_out``; a sentence of no word is skipped."""
    tps = voice.ticks_per_second
    if duration_seconds < 1:
        return Dialogue(tps, (), ())
    rng = random.Random(_seed_int(seed))
    duration = duration_seconds * tps
    last_end = duration - min(round(_MAX_TAIL * tps), duration // 10)
    timeline = _Timeline(rng, voice)
    now = min(round(_FIRST_WORD_AT * tps), duration // 10)
    previous: str | None = None
    for channel, at, text in script:
        words = spoken_words(text)
        if not words:
            continue
        if at is not None:
            start = round(at * tps)
        elif previous is None:
            start = now
        else:
            start = now + (timeline.gap() if channel != previous else timeline.ticks(_SENTENCE_GAP))
        now = timeline.turn(channel, [" ".join(words)], start)
        previous = channel
    return _words_of(timeline.clips, tps, last_end)


def _words_of(clips: Sequence[PlacedClip], tps: int, last_end: int) -> Dialogue:
    """The dialogue of ``clips``: its words that end by ``last_end``, in time order."""
    words = sorted(
        (
            (placed.channel, placed.start + start, placed.start + end, word)
            for placed in clips
            for (start, end), word in zip(placed.clip.words, placed.sentence.split(), strict=True)
        ),
        key=lambda word: word[1],
    )
    result = [
        SttWord(channel, round(start / tps, 5), round(end / tps, 5), word)
        for channel, start, end, word in words
        if end <= last_end
    ]
    return Dialogue(tps, tuple(sorted(clips, key=lambda c: c.start)), tuple(result))


def make_transcript(
    seed: str,
    duration_seconds: int,
    *,
    caller_name: str | None = None,
    callee_name: str | None = None,
    topic: str | None = None,
    voice: Voice = ESTIMATED_VOICE,
    script: Script | None = None,
) -> list[SttWord]:
    """The transcript of a call of ``duration_seconds`` whose content is fixed by ``seed``:
    the words of ``lay_out``'s dialogue, timed by ``voice``.

    The words are ordered by ``startTime``.  Phrases of A and B never overlap,
    so this is also the order in which they were spoken, and within each
    channel start times strictly increase and every word ends after it starts;
    the guide's example, where the B notice precedes A's answer, reads the
    same.  (The spec's wording "ordered by channel then time" describes that
    example; for a longer dialogue only time order keeps the turns readable.)
    A call shorter than one second has no words. A ``script`` (a tenant file's sentences)
    is said instead of the made-up dialogue (``lay_out_script``).
    """
    if script is not None:
        return list(lay_out_script(seed, duration_seconds, script, voice=voice).words)
    dialogue = lay_out(
        seed,
        duration_seconds,
        caller_name=caller_name,
        callee_name=callee_name,
        topic=topic,
        voice=voice,
    )
    return list(dialogue.words)
