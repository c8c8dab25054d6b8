"""The search syntax the analyst types, parsed once for the CLI, the dashboard and watch rules.

    glide bomb            both words, stemmed: finds "glide bombs" and "gliding bomb"
    kursk OR belgorod     either
    -kursk, NOT kursk     without
    "glide bomb"          the words in this order
    title:kharkiv         in the title (also title:"..." and title:kharkiv*)
    zelensk*              a prefix
    (drone OR missile) kharkiv   grouping
    where:Kharkiv         an article naming the place (any spelling the gazetteer resolves to it)
    who:Zelensky          an article naming the name (event-identity features, not the text index)

OR binds tighter than the implicit AND, as in web search engines: `a b OR c` is `a AND (b OR c)`.
where: and who: combine with the rest by AND (or are left out with -), never inside OR or ( ).
Operators are upper case; "or" and "not" in lower case are words. One dash excludes: a word written
with two (`--json`, after the CLI's `--`) is that word. Anything else is text: punctuation splits
words as the index does. The result is a small tree of frozen dataclasses holding stems; the
store turns it into an FTS5 expression (monitor/store/search.py). A malformed query raises
QuerySyntaxError with a one-line message.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from monitor.errors import MonitorError
from monitor.text.stem import stem_term, words

Field = Literal["title"] | None
MentionKind = Literal["where", "who"]


class QuerySyntaxError(MonitorError, ValueError):
    """A query that cannot be read; the message is one line, for the status bar or stderr."""


@dataclass(frozen=True)
class Term:
    """Stems that must appear in this order (one word, or the parts of a word like "Kharkiv's")."""

    stems: tuple[str, ...]
    prefix: bool = False  # the last stem is a prefix
    field: Field = None
    typed: str = ""  # as the analyst wrote it, for messages and highlighting


@dataclass(frozen=True)
class Phrase:
    """A quoted phrase: its words' stems in this order."""

    stems: tuple[str, ...]
    field: Field = None
    typed: str = ""


@dataclass(frozen=True)
class AllOf:
    """Every positive part, none of the excluded ones."""

    parts: tuple[Node, ...]
    excluded: tuple[Node, ...] = ()


@dataclass(frozen=True)
class AnyOf:
    parts: tuple[Node, ...]


@dataclass(frozen=True)
class Mention:
    """`where:Kharkiv`, `who:Zelensky`: an article whose event-identity features name it (matched
    in the store against stored places and names, not the text index)."""

    kind: MentionKind
    words: str  # the place or name as typed, unquoted
    typed: str = ""


Node = Term | Phrase | AllOf | AnyOf | Mention


@dataclass(frozen=True)
class SearchQuery:
    """A parsed query: `find` is what an article must match (None when the query only excludes),
    `excluded` what it must not match at the top level (for `-kursk` alone: everything but Kursk)."""

    text: str
    find: Node | None
    excluded: tuple[Node, ...] = ()
    mentions: tuple[Mention, ...] = ()  # where:/who: every one must be named
    excluded_mentions: tuple[Mention, ...] = ()  # -where:/-who: none may be named

    @property
    def words(self) -> tuple[str, ...]:
        """The positive words as typed, for highlighting and the status line."""
        return tuple(_typed(self.find)) if self.find is not None else ()


def _typed(node: Node) -> list[str]:
    if isinstance(node, (Term, Phrase)):
        return [node.typed]
    if isinstance(node, Mention):
        return []
    out: list[str] = []
    for part in node.parts:
        out += _typed(part)
    return out


_TOKEN = re.compile(r'\s+|(?P<lparen>\()|(?P<rparen>\))|(?P<quote>"[^"]*"?)|(?P<word>[^\s()"]+)')
_FIELD = re.compile(r"^(?P<field>title|where|who):(?P<rest>.*)$", re.IGNORECASE)
_FIELDS = ("title:", "where:", "who:")


@dataclass(frozen=True)
class _Token:
    kind: Literal["(", ")", "quote", "word", "OR", "NOT", "AND", "-"]
    text: str
    column: int


def _tokens(text: str) -> list[_Token]:
    out: list[_Token] = []
    for match in _TOKEN.finditer(text):
        column = match.start() + 1
        if match.group("lparen"):
            out.append(_Token("(", "(", column))
        elif match.group("rparen"):
            out.append(_Token(")", ")", column))
        elif match.group("quote"):
            quoted = match.group("quote")
            if len(quoted) < 2 or not quoted.endswith('"'):
                raise QuerySyntaxError(f"unclosed quote at column {column}")
            out.append(_Token("quote", quoted[1:-1], column))
        elif match.group("word"):
            word = match.group("word")
            if word in ("OR", "NOT", "AND"):
                out.append(_Token(word, word, column))  # type: ignore[arg-type]
            elif word.startswith("-") and len(word) > 1 and not word.startswith("--"):  # "--json" is a word
                out.append(_Token("-", "-", column))
                out.append(_Token("word", word[1:], column + 1))
            elif word == "-" and text[match.end():match.end() + 1] == "(":  # "-(a OR b)" leaves out the group
                out.append(_Token("-", "-", column))
            else:
                out.append(_Token("word", word, column))
    return _join_field_quotes(out)


def _join_field_quotes(tokens: list[_Token]) -> list[_Token]:
    """`title:"glide bomb"` arrives as the word `title:` then a quote: make it one quoted token."""
    out: list[_Token] = []
    for token in tokens:
        field = out[-1].text.lower() if out and out[-1].kind == "word" else ""
        if token.kind == "quote" and field in _FIELDS and out[-1].column + len(field) == token.column:
            out[-1] = _Token("quote", field + token.text, out[-1].column)
        else:
            out.append(token)
    return out


class _Parser:
    """Recursive descent: query := group; group := item+; item := ['-'|NOT] alt; alt := atom (OR atom)*."""

    def __init__(self, text: str):
        self.text = text
        self.tokens = _tokens(text)
        self.at = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def parse(self) -> SearchQuery:
        find, excluded = self.group(top=True)
        token = self.peek()
        if token is not None:
            raise QuerySyntaxError(f"unbalanced \")\" at column {token.column}")
        mentions, find = _top_mentions(find)
        excluded_mentions = tuple(n for n in excluded if isinstance(n, Mention))
        excluded = [n for n in excluded if not isinstance(n, Mention)]
        for node in ([find] if find is not None else []) + excluded:
            if _nested_mention(node):
                raise QuerySyntaxError("where: and who: combine with the other words by AND (or -), "
                                       "not inside OR or ( )")
        if find is None and not excluded and not mentions and not excluded_mentions:
            raise QuerySyntaxError("nothing to search for")
        return SearchQuery(text=self.text, find=find, excluded=tuple(excluded), mentions=mentions,
                           excluded_mentions=excluded_mentions)

    def group(self, top: bool) -> tuple[Node | None, list[Node]]:
        parts: list[Node] = []
        excluded: list[Node] = []
        while (token := self.peek()) is not None and token.kind != ")":
            if token.kind == "AND":
                self.take()
                continue
            negated = token.kind in ("-", "NOT")
            if negated:
                self.take()
                if self.peek() is None or self.peek().kind in (")", "OR", "AND"):  # type: ignore[union-attr]
                    raise QuerySyntaxError(f"{token.text} at column {token.column} needs a word after it")
            node = self.alternatives()
            if node is None:
                continue  # a word of punctuation only: nothing to match
            (excluded if negated else parts).append(node)
        if not parts and excluded and not top:
            raise QuerySyntaxError("a group needs a word to find, not only words to leave out")
        if not parts:
            return None, excluded
        if len(parts) == 1 and (top or not excluded):
            return parts[0], excluded
        if top:
            return AllOf(tuple(parts)), excluded
        return AllOf(tuple(parts), tuple(excluded)), []

    def alternatives(self) -> Node | None:
        first = self.atom()
        options = [first] if first is not None else []
        while (token := self.peek()) is not None and token.kind == "OR":
            self.take()
            following = self.peek()
            if following is None or following.kind in (")", "OR", "AND", "-", "NOT"):
                raise QuerySyntaxError(f"OR at column {token.column} needs a word after it")
            option = self.atom()
            if option is not None:
                options.append(option)
        if not options:
            return None
        return options[0] if len(options) == 1 else AnyOf(tuple(options))

    def atom(self) -> Node | None:
        token = self.take()
        if token.kind == "OR":
            raise QuerySyntaxError(f"OR at column {token.column} needs a word before it")
        if token.kind == "(":
            find, _ = self.group(top=False)
            closing = self.peek()
            if closing is None or closing.kind != ")":
                raise QuerySyntaxError(f"unclosed \"(\" at column {token.column}")
            self.take()
            if find is None:
                raise QuerySyntaxError(f"empty group at column {token.column}")
            return find
        if token.kind == ")":
            raise QuerySyntaxError(f"unbalanced \")\" at column {token.column}")
        field: Field = None
        text = token.text
        match = _FIELD.match(text)
        if match:
            name, text = match.group("field").lower(), match.group("rest")
            if not text:
                raise QuerySyntaxError(f"{name}: at column {token.column} needs a word or a \"phrase\" after it")
            if name in ("where", "who"):
                if not words(text):
                    raise QuerySyntaxError(f"{name}: at column {token.column} needs a place or a name")
                return Mention("where" if name == "where" else "who", " ".join(text.split()), token.text)
            field = "title"
        if token.kind == "quote":
            stems = tuple(s for w in words(text) for s in stem_term(w))
            if not stems:
                raise QuerySyntaxError(f"empty phrase at column {token.column}")
            return Phrase(stems, field, token.text)
        prefix = text.endswith("*")
        stems = stem_term(text.rstrip("*"))
        if not stems:
            if prefix:
                raise QuerySyntaxError(f"* at column {token.column} needs letters before it")
            return None
        if prefix:
            stems = stems[:-1] + (_prefix_stem(text.rstrip("*")),)
        return Term(stems, prefix, field, token.text)


def _top_mentions(find: Node | None) -> tuple[tuple[Mention, ...], Node | None]:
    """The where:/who: parts ANDed at the top level, and what remains to find in the text."""
    if isinstance(find, Mention):
        return (find,), None
    if not isinstance(find, AllOf) or find.excluded:
        return (), find
    mentions = tuple(p for p in find.parts if isinstance(p, Mention))
    rest = tuple(p for p in find.parts if not isinstance(p, Mention))
    if not mentions:
        return (), find
    return mentions, (None if not rest else rest[0] if len(rest) == 1 else AllOf(rest))


def _nested_mention(node: Node) -> bool:
    if isinstance(node, Mention):
        return True
    if isinstance(node, (AllOf, AnyOf)):
        return any(_nested_mention(p) for p in node.parts + getattr(node, "excluded", ()))
    return False


def _prefix_stem(typed: str) -> str:
    """A prefix is matched against stems: its own stem when shorter ("running*" finds "run"), else as typed."""
    last = words(typed)[-1]
    stemmed = stem_term(last)[-1]
    return stemmed if len(stemmed) < len(last) and last.startswith(stemmed) else last


# Typographic quotes (“…”, „…“, «…») quote a phrase like '"'.
_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"'})


def parse_query(text: str, *, mentions: bool = True) -> SearchQuery:
    """Parse what the analyst typed; QuerySyntaxError (one line) when it cannot be read.

    `mentions=False` (watch rules, which match a poll's articles before they are clustered and
    their places and names read) refuses where: and who:."""
    if not text or not text.strip():
        raise QuerySyntaxError("nothing to search for")
    parsed = _Parser(text.strip().translate(_QUOTES)).parse()
    if not mentions and (parsed.mentions or parsed.excluded_mentions):
        raise QuerySyntaxError("where: and who: filter events and searches, not watch rules")
    return parsed
