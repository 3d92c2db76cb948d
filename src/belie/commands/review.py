"""`belie review CASE [ID]`: review candidate claims in the terminal (belie.review)."""
from __future__ import annotations

import getpass
import os

import click

from belie.errors import InputError, Problem


class _Refused(click.ClickException):
    exit_code = 2

    def show(self, file=None) -> None:
        click.echo(f"error: {self.format_message()}", err=True)


def _reviewer(name: str | None) -> str:
    name = (name or os.environ.get("BELIE_REVIEWER") or "").strip()
    if name:
        return name
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name: ask for one
        raise _Refused("give your name with --reviewer NAME (or $BELIE_REVIEWER): "
                       "every decision records who took it") from None


def _context(review, cand) -> str | None:
    """The quote in its source's text, with a little around it."""
    from belie.store.quotes import locate_quote

    quote = cand["data"].get("quote") if isinstance(cand["data"], dict) else None
    rec = review.store.get_source(cand["source_id"]) if cand.get("source_id") else None
    if not quote or rec is None or not rec.text:
        return None
    m = locate_quote(str(quote), rec.text)
    if not m.found:
        return None
    a, b = max(0, m.start - 120), min(len(rec.text), m.end + 120)
    return ("…" if a else "") + rec.text[a:m.start] + "»" + rec.text[m.start:m.end] + "«" \
        + rec.text[m.end:b] + ("…" if b < len(rec.text) else "")


@click.command("review")
@click.argument("case", type=click.Path())
@click.argument("candidate", required=False)
@click.option("--accept", "action", flag_value="accepted", help="Accept the candidate: its claim is "
              "written to claims/reviewed.yaml.")
@click.option("--reject", "action", flag_value="rejected", help="Reject it (no case file changes).")
@click.option("--edit", "action", flag_value="edited", help="Edit its claim and accept the edit: opens "
              "$EDITOR on the claim's YAML, or reads it from --from.")
@click.option("--undo", "action", flag_value="proposed", help="Put a decided candidate back to "
              "proposed (its claim leaves claims/reviewed.yaml).")
@click.option("--from", "from_file", type=click.File("r", encoding="utf-8"),
              help="With --edit: read the edited claim (YAML or JSON) from this file ('-': stdin).")
@click.option("--reviewer", help="Your name, recorded with the decision (default: $BELIE_REVIEWER, "
              "else your login name).")
@click.option("--status", type=click.Choice(["proposed", "accepted", "rejected", "edited", "all"]),
              default="proposed", show_default=True, help="Which candidates to list.")
def command(case, candidate, action, from_file, reviewer, status):
    """Review the candidate claims that `belie extract` proposed, in the terminal.

    Without CANDIDATE, lists the candidates (id, kind, summary, source). With it (its id,
    or the start of it), shows one — the claim that accepting it writes, its quote in the
    source, its decisions — or, with --accept, --reject, --edit or --undo, decides on it.
    Decisions are the same as in `belie serve`: recorded in the case store's decisions log
    with your name and the time, accepted claims written to claims/reviewed.yaml, checked
    by the case loader first (a claim it refuses is not written, and you get its message).

    \b
    Examples:
      belie review mycase
      belie review mycase cand-3f2a --accept --reviewer "Ann Archivist"
      belie review mycase cand-3f2a --edit
      belie review mycase cand-3f2a --edit --from fixed.yaml
      belie review mycase cand-3f2a --undo
    """
    from pathlib import Path

    from belie.review import CandidateNotFound, ConflictError, Review, ReviewError
    from belie.review import reviewed as rv
    from belie.review.claim import summarise

    if not Path(case).is_dir():
        raise InputError(Problem(str(case), None, None, "no such case folder"))
    with Review(case) as review:
        loaded, _ = review.loaded()
        label = (lambda e: loaded.label(e) if e in loaded.entities else e) if loaded is not None \
            else (lambda e: e)
        if candidate is None:
            if action:
                raise _Refused("name the candidate to decide on: belie review CASE ID --accept")
            cands = review.candidates(None if status == "all" else status)
            if not cands:
                click.echo(f"no {'' if status == 'all' else status + ' '}candidates "
                           "(belie extract CASE proposes them)")
                return
            for c in cands:
                kind = next((k for k in ("presence", "meeting", "travel", "message", "register", "accuses",
                                         "accusation", "existed", "stance", "statement")
                             if isinstance(c["data"], dict) and k in c["data"]), "?")
                tag = "" if status != "all" else f"[{c['status']}] "
                click.echo(f"{c['id']}  {tag}{kind:<10} {summarise(c['data'], label)}  "
                           f"({c['source_id'] or '?'})")
            click.echo(f"{len(cands)} candidate(s). Show one: belie review {case} ID; "
                       "decide: --accept, --reject, --edit, --undo")
            return
        try:
            cand = review.get(candidate)
        except CandidateNotFound as exc:
            raise _Refused(str(exc)) from None
        if not action:
            _show(review, cand, label, summarise, rv)
            return
        if action == cand["status"] and action != "edited":
            click.echo(f"{cand['id']} is already {action} (by {cand['reviewer'] or '?'}, {cand['decided_at'] or '?'});"
                       " nothing to do")
            return
        edit = None
        if action == "edited":
            if from_file is not None:
                edit = from_file.read()
            else:
                claim, _ = review.claim_for(cand, edited=cand["status"] == "edited")
                edit = click.edit(rv.dump_mapping(claim), extension=".yaml", require_save=True)
                if edit is None:
                    raise _Refused("the edit was not saved; nothing was written")
        try:
            done = review.decide(cand["id"], action, _reviewer(reviewer), cand["version"], edit)
        except ConflictError as exc:
            raise _Refused(str(exc)) from None
        except ReviewError as exc:
            click.echo(f"belie review: {cand['id']} was not {'accepted' if action != 'proposed' else 'changed'}; "
                       "nothing was written:", err=True)
            raise InputError(exc.problems) from None
        verb = {"accepted": "accepted", "rejected": "rejected", "edited": "edited and accepted",
                "proposed": "back to proposed"}[action]
        click.echo(f"{cand['id']}: {verb} by {done.candidate['reviewer']} "
                   f"(version {done.candidate['version']})")
        if done.claim is not None:
            click.echo(f"written to {done.file}:")
            click.echo(rv.dump_mapping(done.claim).rstrip())
        elif done.written:
            click.echo(f"its claim was taken out of {done.file}")


def _show(review, cand, label, summarise, rv) -> None:
    click.echo(f"{cand['id']}  [{cand['status']}, version {cand['version']}]  source: {cand['source_id']}")
    click.echo(summarise(cand["data"], label))
    context = _context(review, cand)
    if context:
        click.echo("in the source: " + " ".join(context.split()))
    if isinstance(cand["data"], dict):
        claim, dropped = review.claim_for(cand, edited=cand["status"] == "edited")
        click.echo("the claim, as accepting it writes it:")
        click.echo("  " + rv.dump_mapping(claim).rstrip().replace("\n", "\n  "))
        extra = {k: v for k, v in dropped.items() if v not in (None, "")}
        if extra:
            click.echo("not written (kept in the decisions log): "
                       + ", ".join(f"{k}: {v}" for k, v in extra.items()))
    for d in review.store.decisions(cand["id"]):
        click.echo(f"  {d['at']}  {d['decision']} by {d['reviewer']}")
