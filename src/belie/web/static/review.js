/* belie serve: the review page.  Candidates come as JSON (script#review-data) and every
   piece of data is put in the page with textContent, never innerHTML. */
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    const el = window.belie.el, api = window.belie.api;
    const state = JSON.parse(document.getElementById("review-data").textContent);
    const list = document.getElementById("candidates");
    const banner = document.getElementById("banner");
    const status = document.getElementById("findings-status");
    const who = document.getElementById("reviewer");
    const cands = new Map(state.candidates.map(function (c) { return [c.id, c]; }));
    let filter = ["proposed", "decided", "all"].indexOf(state.status) >= 0 ? state.status : "proposed";
    let shown = new Set();

    if (!who.getAttribute("data-fixed")) who.value = who.value || window.belie.reviewerName();
    who.addEventListener("input", function () { window.belie.rememberReviewer(who.value.trim()); });
    document.getElementById("reviewer-form").addEventListener("submit", function (e) { e.preventDefault(); });

    function say(kind, message) {
      banner.hidden = !message;
      banner.className = "banner " + kind;
      banner.textContent = message || "";
    }

    function wanted(c) {
      if (filter === "all") return true;
      if (filter === "decided") return c.status !== "proposed";
      return c.status === "proposed";
    }

    function decidedLine(c) {
      if (c.status === "proposed") return c.reviewer ? "back to proposed by " + c.reviewer + " at " + c.decided_at : "";
      const what = { accepted: "accepted", edited: "edited and accepted", rejected: "rejected" }[c.status] || c.status;
      let line = what + " by " + (c.reviewer || "?") + " at " + (c.decided_at || "?");
      if (c.in_case) line += " — in " + state.file + " as " + c.claim_id;
      return line;
    }

    function card(c) {
      const msg = el("div", { "class": "msg", role: "status" });
      const actions = el("div", { "class": "actions" });
      const textarea = el("textarea", { rows: Math.min(14, c.yaml.split("\n").length + 1), spellcheck: "false",
                                        "aria-label": "claim " + c.id + " as YAML or JSON" });
      textarea.value = c.yaml;
      const form = el("form", { "class": "edit", hidden: true }, [
        el("label", { text: "The claim, as YAML or JSON (keys of the case file):" }), textarea,
        el("div", { "class": "actions" }, [
          el("button", { type: "submit", "class": "primary", text: "Accept edited claim" }),
          el("button", { type: "button", "data-act": "cancel", text: "Cancel" })])]);
      const node = el("article", { "class": "cand status-" + c.status, id: "card-" + c.id,
                                   "data-id": c.id, "data-version": c.version, "data-status": c.status }, [
        el("header", null, [
          el("span", { "class": "badge status", text: c.status }), " ",
          el("code", { "class": "cid", text: c.id }), " ",
          el("span", { "class": "muted", text: "from " }),
          c.source_id ? el("a", { href: "/sources/" + encodeURIComponent(c.source_id), text: c.source_id }) : "?",
          el("span", { "class": "muted version", text: " · version " + c.version })]),
        el("p", { "class": "summary", text: c.summary }),
        c.context ? el("blockquote", { "class": "context" }, [
          c.context.before, el("mark", { "class": "q candidate", text: c.context.quote }), c.context.after]) :
          (c.data && c.data.quote ? el("blockquote", { "class": "context", text: "“" + c.data.quote + "”" }) : null),
        el("pre", { "class": "claim-yaml", text: c.yaml }),
        el("p", { "class": "decided muted", text: decidedLine(c) }),
        actions, form, msg]);

      function button(label, act, cls) {
        const b = el("button", { type: "button", "data-act": act, "class": cls || null, text: label });
        actions.append(b);
        return b;
      }
      if (c.status === "proposed") {
        button("Accept", "accepted", "primary");
        button("Reject", "rejected");
        button("Edit", "edit");
      } else {
        if (c.status === "rejected") button("Accept", "accepted", "primary");
        button("Edit", "edit");
        button("Undo", "proposed");
      }

      actions.addEventListener("click", function (e) {
        const act = e.target.getAttribute && e.target.getAttribute("data-act");
        if (!act) return;
        if (act === "edit") {
          form.hidden = false;
          actions.hidden = true;
          textarea.focus();
          return;
        }
        decide(c.id, act, {}, node);
      });
      form.addEventListener("click", function (e) {
        if (e.target.getAttribute && e.target.getAttribute("data-act") === "cancel") {
          form.hidden = true;
          actions.hidden = false;
          textarea.value = c.yaml;
          msg.replaceChildren();
        }
      });
      form.addEventListener("submit", function (e) {
        e.preventDefault();
        decide(c.id, "edited", { text: textarea.value }, node);
      });
      return node;
    }

    function showProblem(node, kind, message, problems, extra) {
      const msg = node.querySelector(".msg");
      msg.className = "msg " + kind;
      msg.setAttribute("role", "alert");
      const parts = [el("p", { text: message })];
      if (problems && problems.length) {
        parts.push(el("ul", { "class": "problems-list" }, problems.map(function (p) {
          return el("li", null, [el("code", { text: p.text || p.message })]);
        })));
      }
      if (extra) parts.push(extra);
      msg.replaceChildren.apply(msg, parts);
    }

    async function reloadOne(id) {
      const r = await api("GET", "/api/candidates/" + encodeURIComponent(id));
      if (r.ok) {
        cands.set(id, r.data.candidate);
        replaceCard(id);
        say("info", "Reloaded " + id + ": it is now " + r.data.candidate.status + ".");
      } else {
        say("error", r.data.error || "could not reload");
      }
    }

    function replaceCard(id) {
      const old = document.getElementById("card-" + id);
      const fresh = card(cands.get(id));
      if (old) old.replaceWith(fresh); else list.append(fresh);
      counts();
    }

    async function decide(id, decision, extra, node) {
      const c = cands.get(id);
      const reviewer = who.value.trim();
      if (!reviewer) {
        showProblem(node, "error", "Type your name in “Your name” first: every decision records who took it.");
        who.focus();
        return;
      }
      window.belie.rememberReviewer(reviewer);
      node.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
      const body = Object.assign({ decision: decision, expected_version: c.version, reviewer: reviewer }, extra);
      const r = await api("POST", "/api/candidates/" + encodeURIComponent(id) + "/decision", body);
      node.querySelectorAll("button").forEach(function (b) { b.disabled = false; });
      if (r.ok) {
        cands.set(id, r.data.candidate);
        replaceCard(id);
        const nc = r.data.candidate;
        say("ok", "Saved: " + id + " " + nc.status + " by " + nc.reviewer +
            (r.data.written ? " (" + r.data.file + " updated)." : "."));
        refreshFindings(r.data.case_hash_before);
      } else if (r.status === 409) {
        node.classList.add("conflict");
        const again = el("button", { type: "button", "class": "primary", text: "Reload" });
        again.addEventListener("click", function () { reloadOne(id); });
        showProblem(node, "conflict", r.data.error, null, again);
        say("error", "Not saved: " + id + " was decided elsewhere (another tab or reviewer). Reload it and decide again.");
      } else {
        showProblem(node, "error", r.data.error || ("HTTP " + r.status), r.data.problems);
        say("error", "Not saved: " + (r.data.error || ("HTTP " + r.status)));
      }
    }

    function render() {
      list.replaceChildren();
      shown = new Set();
      for (const c of cands.values()) {
        if (!wanted(c)) continue;
        shown.add(c.id);
        list.append(card(c));
      }
      if (!shown.size) {
        list.append(el("p", { "class": "empty", text: filter === "proposed" ?
          "Nothing left to review." : "No candidates here." }));
      }
      document.querySelectorAll("[data-filter]").forEach(function (b) {
        b.setAttribute("aria-pressed", b.getAttribute("data-filter") === filter ? "true" : "false");
      });
      counts();
    }

    function counts() {
      const n = { proposed: 0, decided: 0, all: 0 };
      for (const c of cands.values()) {
        n.all += 1;
        if (c.status === "proposed") n.proposed += 1; else n.decided += 1;
      }
      document.querySelectorAll("[data-count]").forEach(function (s) {
        s.textContent = "(" + n[s.getAttribute("data-count")] + ")";
      });
    }

    document.querySelectorAll("[data-filter]").forEach(function (b) {
      b.addEventListener("click", function () { filter = b.getAttribute("data-filter"); render(); });
    });

    function findingLine(f) {
      return f.severity + " · " + f.rule + " (" + (f.claims || []).join(", ") + ")";
    }

    let asked = 0;
    async function refreshFindings(since) {
      const mine = ++asked;
      status.className = "findings-status busy";
      status.textContent = "Checking the case…";
      const r = await api("GET", "/api/findings/summary" + (since ? "?since=" + encodeURIComponent(since) : ""));
      if (mine !== asked) return;
      status.className = "findings-status";
      if (!r.ok) { status.textContent = r.data.error || "The check failed."; return; }
      const d = r.data;
      const parts = [];
      if (d.problems && d.problems.length) {
        parts.push(el("p", { "class": "warn", text: "The case files cannot be read: " + d.problems[0].text }));
      } else if (d.error) {
        parts.push(el("p", { "class": "warn", text: d.error }));
      } else {
        parts.push(el("p", null, ["Findings now: ",
          el("strong", { text: d.counts.impossible + " impossible" }), ", " + d.counts.strained + " strained, " +
          d.counts.note + " notes. ", el("a", { href: "/findings", text: "See the findings" })]));
      }
      if (d["new"] && d["new"].length) {
        parts.push(el("div", { "class": "new-findings" }, [el("strong", { text: "New: " }),
          el("ul", null, d["new"].map(function (f) { return el("li", { text: findingLine(f) }); }))]));
      }
      if (d.gone && d.gone.length) {
        parts.push(el("div", { "class": "gone-findings" }, [el("strong", { text: "Gone: " }),
          el("ul", null, d.gone.map(function (f) { return el("li", { text: findingLine(f) }); }))]));
      }
      status.replaceChildren.apply(status, parts);
    }

    render();
    refreshFindings();
  });
})();
