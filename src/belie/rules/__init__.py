"""The rules of casefile.md section 5, and `check()` which runs them all.

Each rule is a module here defining ``RULE``; `all_rules()` finds them.  `check()`
returns a `CheckResult` with the findings sorted by severity, statistics, and (unless
turned off) the global view from ``belie.reason``: the smallest sets of claims that
cannot all be true and the most plausible reading.  With ``reliability=True`` it also
estimates each source's accuracy by truth discovery over the case's disputed facts
(`belie.sources.reliability.case_reliability`) and weighs the reading with it.
"""
from __future__ import annotations

import importlib
import pkgutil
import time
from dataclasses import dataclass, field

from belie.errors import UnknownRule
from belie.rules.base import SEVERITY_RANK, Context, Finding, Rule
from belie.util import paused_gc

__all__ = ["check", "all_rules", "CheckResult", "Finding", "Rule", "Context"]

_NOT_RULES = {"base"}


def all_rules() -> list[Rule]:
    rules = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if info.name.startswith("_") or info.name in _NOT_RULES:
            continue
        mod = importlib.import_module(f"{__name__}.{info.name}")
        rule = getattr(mod, "RULE", None)
        if isinstance(rule, Rule):
            rules.append(rule)
    return rules


@dataclass
class CheckResult:
    case: object
    findings: list[Finding]
    stats: dict = field(default_factory=dict)
    conflicts: list = field(default_factory=list)   # minimal sets that cannot all be true
    reading: object = None                          # the most plausible reading (belie.reason)
    reliability: object = None                      # truth discovery (check(..., reliability=True))
    groups: list = field(default_factory=list)      # findings by shared conflict (belie.reason.groups)

    @property
    def warnings(self) -> list[str]:
        """What the check could not judge for want of data: each place without
        coordinates (with the gazetteer's nearest name, where one is close)."""
        return [str(p) for p in getattr(self.case.places, "problems", [])]

    def only(self, severities) -> "CheckResult":
        """The same result with only the findings of these severities (and their groups);
        the counts, conflicts and reading stay those of the whole check."""
        keep = set(severities)
        groups = []
        for g in self.groups:
            fs = [f for f in g.findings if f.severity in keep]
            if fs:
                groups.append(type(g)(findings=fs, claims=g.claims, rejected=g.rejected, conflicts=g.conflicts,
                                      is_conflict=g.is_conflict))
        return CheckResult(case=self.case, findings=[f for f in self.findings if f.severity in keep],
                           stats=self.stats, conflicts=self.conflicts, reading=self.reading,
                           reliability=self.reliability, groups=groups)

    def by_severity(self) -> dict[str, list[Finding]]:
        out: dict[str, list[Finding]] = {"impossible": [], "strained": [], "note": []}
        for f in self.findings:
            out[f.severity].append(f)
        return out


def check(case, *, rules: list[str] | None = None, reason: bool = True,
          reliability: bool | str = False) -> CheckResult:
    """Run the rules (all, or those named) over a loaded case.

    ``reliability``: also run truth discovery over the case's disputed facts
    (`belie.sources.reliability.case_reliability`; True for its default method, or a
    method's name) and weigh the most plausible reading by each source's estimated
    accuracy blended with its kind's weight (`belie.reason.blend_weight`).  Off by
    default, to keep `check` fast; the result is in ``CheckResult.reliability``.
    """
    # Millions of small objects are built and kept: the cyclic collector would walk
    # them again and again for nothing.  Paused for the run, restored after.
    with paused_gc():
        return _check(case, rules=rules, reason=reason, reliability=reliability)



def merge_findings(case, findings: list[Finding], rule_names: list[str], timings: dict,
                   notes: dict | None = None) -> CheckResult:
    """The rules' findings made into a check's result: the one place that drops what
    another finding explains, sorts and counts (a run on a cluster merges through it).

    A finding may explain others (alibi's joint window explains the pair findings of the
    claims that cut it, impossible-travel's too): those are not repeated.
    """
    explained = {k for f in findings for k in getattr(f, "explains", ())}
    if explained:
        findings = [f for f in findings if f.key not in explained]
    findings.sort(key=lambda f: (SEVERITY_RANK[f.severity], f.rule, f.claims))
    counts = {s: 0 for s in SEVERITY_RANK}
    by_rule = dict.fromkeys(rule_names, 0)
    for f in findings:
        counts[f.severity] += 1
        if f.rule in by_rule:
            by_rule[f.rule] += 1
    stats = {
        "claims": len(case.claims),
        "sources": len(case.sources),
        "entities": len(case.entities),
        "findings": len(findings),
        "by_severity": counts,
        "by_rule": by_rule,
        "seconds_by_rule": timings,
    }
    if notes:
        stats["skipped"] = notes
    return CheckResult(case=case, findings=findings, stats=stats)


def add_reliability(result: CheckResult, reliability) -> dict | None:
    """With ``reliability`` (True or a truth-discovery method's name), estimate each
    source's accuracy into ``result.reliability`` and its timing into the stats; return
    the weights the most plausible reading uses (None without it)."""
    if not reliability:
        return None
    from belie.sources.reliability import case_reliability

    t0 = time.perf_counter()
    method = reliability if isinstance(reliability, str) else "accucopy"
    result.reliability = case_reliability(result.case, method=method)
    result.stats["seconds_reliability"] = round(time.perf_counter() - t0, 4)
    return result.reliability.accuracy

def _check(case, *, rules, reason, reliability=False) -> CheckResult:
    ctx = Context(case)
    chosen = all_rules()
    if rules:
        unknown = set(rules) - {r.name for r in chosen}
        if unknown:
            raise UnknownRule(unknown)
        chosen = [r for r in chosen if r.name in rules]
    findings: list[Finding] = []
    timings = {}
    seen = set()
    for rule in chosen:
        t0 = time.perf_counter()
        for f in rule.check(ctx):
            if f.key in seen and f.rule != "shifting-accusation":
                continue
            seen.add(f.key)
            findings.append(f)
        timings[rule.name] = round(time.perf_counter() - t0, 4)
    result = merge_findings(case, findings, [r.name for r in chosen], timings,
                            getattr(ctx, "stats_notes", None))
    findings = result.findings
    weights = add_reliability(result, reliability)
    if reason:
        from belie.reason import global_view

        if weights is None:
            result.conflicts, result.reading = global_view(case, findings)
        else:
            result.conflicts, result.reading = global_view(case, findings, source_weights=weights)
    from belie.reason.groups import group_findings

    result.groups = group_findings(case, findings, result.conflicts, result.reading)
    return result
