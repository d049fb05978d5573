"""The text read from photos, stored in the catalog (schema 2, see index.migrations).

Rows are keyed by content hash: a moved, renamed or copied photo keeps its text without
being read again. Matching works on the normalised text (index.text_normalise): terms of
three or more characters go through the FTS5 trigram index (substrings, so Chinese with
no spaces matches); shorter ones ("发票", "23") through instr() over the same text.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from index.catalog import INDEXED, Catalog
from index.offline import offline_folder_ids
from index.text_normalise import contains, normalise

FTS_MIN_CHARS = 3  # the trigram tokenizer cannot match anything shorter


@dataclass(frozen=True)
class StoredLine:
    text: str
    score: float
    box: tuple[float, ...]  # four corners as fractions of the upright photo: x1, y1, ...


@dataclass
class TextMatch:
    hash: str
    coverage: float  # share of the query's characters found in the photo's text
    complete: bool  # every phrase and term was found
    snippet: str = ""
    boxes: list[tuple[float, ...]] = field(default_factory=list)


@dataclass(frozen=True)
class TextProgress:
    done: int  # indexed photos whose text has been read
    total: int  # indexed photos
    with_text: int  # of those read, photos with any text


class TextIndex:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    @property
    def ready(self) -> bool:
        """False on a catalog older than schema 2 opened read-only."""
        rows = self.catalog.read(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'photo_text'"
        )
        return bool(rows)

    def has_text(self) -> bool:
        return self.ready and bool(self.catalog.read("SELECT 1 FROM photo_text LIMIT 1"))

    # -- the OCR pass ---------------------------------------------------------------------
    def pending(self, engine: str) -> list[tuple[str, str]]:
        """(path, hash) of one indexed photo per content hash whose text is not yet read,
        among the photos of folders online now (an offline folder's wait, unread)."""
        offline = offline_folder_ids(self.catalog)
        leave_out = ", ".join("?" * len(offline))
        rows = self.catalog.read(
            "SELECT MIN(p.path), p.raw_path, p.hash FROM photos p"
            " LEFT JOIN photo_text t ON t.hash = p.hash AND t.engine = ?"
            " WHERE p.status = ? AND p.hash IS NOT NULL AND t.id IS NULL"
            f" AND p.folder_id NOT IN ({leave_out})"
            " GROUP BY p.hash ORDER BY MIN(p.path)",
            (engine, INDEXED, *offline),
        )
        # raw_path holds the exact bytes of a name that is not UTF-8 (the key is printable).
        return [(os.fsdecode(raw) if raw else path, h) for path, raw, h in rows]

    def save(self, content_hash: str, engine: str, lines: Sequence) -> None:
        """Store one photo's lines (objects with text, score, box) in one transaction."""
        norm = "\n".join(normalise(line.text) for line in lines)
        with self.catalog.transaction() as db:
            db.execute("DELETE FROM photo_text WHERE hash = ?", (content_hash,))
            cur = db.execute(
                "INSERT INTO photo_text(hash, engine, norm, read_at) VALUES (?, ?, ?, ?)",
                (content_hash, engine, norm, time.time()),
            )
            db.executemany(
                "INSERT INTO photo_text_lines(text_id, n, text, score, box) VALUES (?,?,?,?,?)",
                [
                    (cur.lastrowid, n, line.text, float(line.score), json.dumps(list(line.box)))
                    for n, line in enumerate(lines)
                ],
            )

    def prune(self) -> int:
        """Forget text whose content no longer belongs to any photo; returns rows dropped."""
        with self.catalog.transaction() as db:
            cur = db.execute(
                "DELETE FROM photo_text WHERE hash NOT IN"
                " (SELECT hash FROM photos WHERE hash IS NOT NULL)"
            )
            return cur.rowcount

    def progress(self, engine: str | None) -> TextProgress:
        """How far the OCR pass is; ``engine`` None counts text read by any engine."""
        if not self.ready:
            total = self.catalog.read(
                "SELECT COUNT(*) FROM photos WHERE status = ? AND hash IS NOT NULL", (INDEXED,)
            )[0][0]
            return TextProgress(0, total, 0)
        total, done, with_text = self.catalog.read(
            "SELECT COUNT(*), COUNT(t.id), COUNT(CASE WHEN t.norm != '' THEN 1 END)"
            " FROM photos p LEFT JOIN photo_text t ON t.hash = p.hash AND ? IN (t.engine, '')"
            " WHERE p.status = ? AND p.hash IS NOT NULL",
            (engine or "", INDEXED),
        )[0]
        return TextProgress(done, total, with_text)

    # -- reading it back ------------------------------------------------------------------
    def lines(self, content_hash: str) -> list[StoredLine]:
        if not self.ready:
            return []
        rows = self.catalog.read(
            "SELECT l.text, l.score, l.box FROM photo_text_lines l"
            " JOIN photo_text t ON t.id = l.text_id WHERE t.hash = ? ORDER BY l.n",
            (content_hash,),
        )
        return [StoredLine(text, score, tuple(json.loads(box))) for text, score, box in rows]

    def match(self, phrases: list[str], terms: list[str], limit: int = 200) -> list[TextMatch]:
        """Photos (by hash) whose text holds the query, best first.

        Every phrase must be present; terms count towards ``coverage``. Ordered by
        completeness, then coverage, then shorter text (the query is more of it). The
        index finds substrings; Latin words must also start a word (``contains``), so
        "red" does not find "Bread".
        """
        terms = [t for t in dict.fromkeys(terms) if t not in phrases]
        if not self.ready or not (phrases or terms):
            return []
        found: dict[int, set[str]] = {}
        for needle in phrases + terms:
            for text_id in self._containing(needle):
                found.setdefault(text_id, set()).add(needle)
        lines_of = self._lines_of(list(found))
        total = sum(map(len, phrases)) + sum(map(len, terms))
        scored = []
        for text_id, needles in found.items():
            content_hash, lines = lines_of[text_id]
            texts = [line.text for line in lines]
            hits = {n for n in needles if contains(texts, n, whole=n in phrases)}
            if not hits or any(p not in hits for p in phrases):
                continue
            coverage = sum(map(len, hits)) / total
            complete = all(t in hits for t in terms)
            scored.append((complete, coverage, sum(map(len, texts)), content_hash, lines, hits))
        scored.sort(key=lambda s: (not s[0], -s[1], s[2]))
        matches = []
        for complete, coverage, _, content_hash, lines, hits in scored[:limit]:
            match = TextMatch(content_hash, coverage, complete)
            _explain(match, lines, sorted(hits, key=len, reverse=True), phrases)
            matches.append(match)
        return matches

    def _containing(self, needle: str) -> set[int]:
        if len(needle) >= FTS_MIN_CHARS:
            quoted = '"' + needle.replace('"', '""') + '"'
            sql = "SELECT rowid FROM photo_text_fts WHERE photo_text_fts MATCH ?"
            return {r[0] for r in self.catalog.read(sql, (quoted,))}
        sql = "SELECT id FROM photo_text WHERE instr(norm, ?) > 0"
        return {r[0] for r in self.catalog.read(sql, (needle,))}

    def _lines_of(self, ids: list[int]) -> dict[int, tuple[str, list[StoredLine]]]:
        out: dict[int, tuple[str, list[StoredLine]]] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for text_id, content_hash, text, score, box in self.catalog.read(
                "SELECT t.id, t.hash, l.text, l.score, l.box FROM photo_text t"
                " LEFT JOIN photo_text_lines l ON l.text_id = t.id"
                f" WHERE t.id IN ({marks}) ORDER BY t.id, l.n",
                chunk,
            ):
                entry = out.setdefault(text_id, (content_hash, []))
                if text is not None:
                    entry[1].append(StoredLine(text, score, tuple(json.loads(box))))
        return out


def _explain(
    match: TextMatch, lines: list[StoredLine], wanted: list[str], phrases: list[str]
) -> None:
    """The snippet (lines holding the longest matched words) and every matched box."""

    def holds(line: StoredLine, needle: str) -> bool:
        return contains([line.text], needle, whole=needle in phrases)

    hits = [line for line in lines if any(holds(line, w) for w in wanted)]
    match.boxes = [line.box for line in hits]
    best = [line for line in hits if wanted and holds(line, wanted[0])]
    match.snippet = " / ".join(line.text for line in (best or hits)[:2])
