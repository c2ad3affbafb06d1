"""Speech-to-text transcripts of calls: plausible Russian business dialogues, made up on demand.

The live service transcribes the recording word by word (guide 5.7.3): every
word has the channel that said it (``A`` the caller, ``B`` the callee), its
start and end in seconds with up to five decimals, and is written in lower
case without punctuation.  The mock has no audio to recognise, so it writes a
dialogue instead: the company side (``B``) opens with the recording notice the
guide shows, the two sides then take turns (greeting and names, a question
about an order, a delivery or an invoice, with dates, sums and order numbers
spelled out in words as a recogniser writes them), and the caller thanks and
says goodbye before the call ends.

Everything comes from a ``random.Random`` seeded from a hash of ``seed``, never
from the global generator, so a record always gets the same transcript, on any
machine and under any ``PYTHONHASHSEED``.  Times are kept as integers in units
of 10 µs while the dialogue is laid out, so rounding can never make a word end
before it starts or make two words overlap.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache

__all__ = [
    "CALLEE",
    "CALLER",
    "RECORDING_NOTICE",
    "TOPICS",
    "SttWord",
    "make_transcript",
]

CALLER = "A"
CALLEE = "B"
RECORDING_NOTICE = "информируем что разговор записывается"
"""The first words of every transcript, on channel B, as in the guide's example."""
TOPICS = ("order", "delivery", "invoice")
"""What the caller rings about; ``make_transcript(topic=...)`` takes one of these."""

_UNITS_PER_SECOND = 100_000
"""Times are laid out in 10 µs units: the guide's five decimals."""
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
_ROUND_END_CHANCE = 0.6
"""How often an end time is a whole hundredth, as many of the guide's are."""
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


_Word = tuple[str, int, int, str]
"""channel, start, end (10 µs units), word"""


class _Speaker:
    """Lays phrases out on the time line, word by word."""

    __slots__ = ("_rng", "words")

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self.words: list[_Word] = []

    def _seconds(self, bounds: tuple[float, float]) -> int:
        return round(self._rng.uniform(*bounds) * _UNITS_PER_SECOND)

    def turn(self, channel: str, sentences: Sequence[str], at: int) -> int:
        """Say ``sentences`` on ``channel`` from ``at``; the time the last word ends."""
        rng = self._rng
        now = at
        for index, sentence in enumerate(sentences):
            if index:
                now += self._seconds(_SENTENCE_GAP)
            for position, word in enumerate(sentence.split()):
                if position and rng.random() < _WORD_GAP_CHANCE:
                    now += self._seconds(_WORD_GAP)
                seconds = (_WORD_BASE + _WORD_PER_SYLLABLE * _syllables(word)) * rng.uniform(
                    *_WORD_JITTER
                )
                end = now + round(max(_MIN_WORD, seconds) * _UNITS_PER_SECOND)
                if rng.random() < _ROUND_END_CHANCE:
                    end = max(end // 1000 * 1000, now + round(_MIN_WORD * _UNITS_PER_SECOND))
                self.words.append((channel, now, end, word))
                now = end
        return now

    def gap(self) -> int:
        return self._seconds(_TURN_GAP)


def make_transcript(
    seed: str,
    duration_seconds: int,
    *,
    caller_name: str | None = None,
    callee_name: str | None = None,
    topic: str | None = None,
) -> list[SttWord]:
    """The transcript of a call of ``duration_seconds`` whose content is fixed by ``seed``.

    Channel B opens with the recording notice and greets, A introduces
    themselves and the matter (``topic``, one of TOPICS, else drawn from the
    seed), then A and B alternate question and answer until the caller thanks
    and both say goodbye, all over by 85 to 95 % of the call (drawn from the
    seed) whenever the goodbyes fit.
    A short call is cut off mid-dialogue: words that would not end before the
    call's last second (its last tenth, when shorter than ten seconds) are
    left out, but a call of one second or more always has at least one word.
    The names, lower-cased and stripped of punctuation, are those of the
    record when given, else drawn from the seed.

    The words are ordered by ``startTime``.  Phrases of A and B never overlap,
    so this is also the order in which they were spoken, and within each
    channel start times strictly increase and every word ends after it starts;
    the guide's example, where the B notice precedes A's answer, reads the
    same.  (The spec's wording "ordered by channel then time" describes that
    example; for a longer dialogue only time order keeps the turns readable.)
    A call shorter than one second has no words.
    """
    if topic is not None and topic not in TOPICS:
        raise ValueError(f"topic must be one of {TOPICS}, not {topic!r}")
    if duration_seconds < 1:
        return []
    rng = random.Random(_seed_int(seed))
    # Defaults are drawn even when not used, so that the names and the topic given do not
    # change the rest of the dialogue.
    drawn_caller, drawn_callee = rng.choice(_CALLER_NAMES), rng.choice(_CALLEE_NAMES)
    drawn_topic = rng.choice(TOPICS)
    slots = {
        "caller": _name_words(caller_name) or drawn_caller,
        "callee": _name_words(callee_name) or drawn_callee,
        "company": rng.choice(_COMPANIES),
        "number": " ".join(
            word for _ in range(rng.randint(2, 3)) for word in _cardinal(rng.randint(10, 99))
        ),
    }
    subject = topic if topic is not None else drawn_topic

    duration = duration_seconds * _UNITS_PER_SECOND
    last_end = duration - min(round(_MAX_TAIL * _UNITS_PER_SECOND), duration // 10)
    speech_end = min(last_end, round(duration * rng.uniform(*_SPEECH_SHARE)))

    def say(template: str, values: _Slots) -> str:
        return template.format_map(values)

    closing = _Speaker(rng)
    closing_values = _Slots(rng, slots)
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
        at = closing.turn(channel, [say(rng.choice(phrases), closing_values)], at)
    closing_length = at

    speaker = _Speaker(rng)
    opening_values = _Slots(rng, slots)
    now = min(round(_FIRST_WORD_AT * _UNITS_PER_SECOND), duration // 10)
    now = speaker.turn(CALLEE, [RECORDING_NOTICE, say(rng.choice(_GREETINGS), opening_values)], now)
    now = speaker.turn(
        CALLER, [say(rng.choice(_INTRODUCTIONS[subject]), opening_values)], now + speaker.gap()
    )
    now = speaker.turn(CALLEE, [rng.choice(_ACKNOWLEDGEMENTS)], now + speaker.gap())

    exchanges = _exchanges(rng, subject)
    while True:
        question, answer = next(exchanges)
        values = _Slots(rng, slots)
        trial = _Speaker(rng)
        end = trial.turn(CALLER, [say(question, values)], now + trial.gap())
        end = trial.turn(CALLEE, [say(answer, values)], end + trial.gap())
        closing_gap = trial.gap()
        if end + closing_gap + closing_length > speech_end:
            break
        speaker.words += trial.words
        now = end

    if now + closing_gap + closing_length <= speech_end:
        shift = now + closing_gap
        speaker.words += [
            (ch, start + shift, end + shift, w) for ch, start, end, w in closing.words
        ]

    words = speaker.words
    kept = 0
    while kept < len(words) and words[kept][2] <= last_end:
        kept += 1
    result = [
        SttWord(channel, start / _UNITS_PER_SECOND, end / _UNITS_PER_SECOND, word)
        for channel, start, end, word in words[:kept]
    ]
    if not result:
        channel, start, _, word = words[0]
        result = [SttWord(channel, start / _UNITS_PER_SECOND, last_end / _UNITS_PER_SECOND, word)]
    return result
