/* belie serve: helpers shared by every page.  No data is ever written with innerHTML. */
(function () {
  "use strict";

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "text") node.textContent = String(v);
      else if (k === "class") node.className = v;
      else if (k.startsWith("data-")) node.setAttribute(k, String(v));
      else if (k === "hidden") node.hidden = Boolean(v);
      else node.setAttribute(k, String(v));
    }
    for (const child of [].concat(children || [])) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  async function api(method, url, body) {
    const init = { method: method, credentials: "same-origin", headers: { "Accept": "application/json" } };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    let res;
    try {
      res = await fetch(url, init);
    } catch (err) {
      return { ok: false, status: 0, data: { error: "belie serve cannot be reached (" + err.message + "); is it still running?" } };
    }
    let data;
    try {
      data = await res.json();
    } catch (err) {
      data = { error: "unexpected answer from the server (HTTP " + res.status + ")" };
    }
    return { ok: res.ok, status: res.status, data: data };
  }

  const KEY = "belie.reviewer";
  function reviewerName() {
    try { return localStorage.getItem(KEY) || ""; } catch (err) { return ""; }
  }
  function rememberReviewer(name) {
    try { localStorage.setItem(KEY, name); } catch (err) { /* private mode: not remembered */ }
  }

  // Source page: pick a claim in the side list to light its quote up in the text.
  function wireSourcePage() {
    const text = document.getElementById("source-text");
    if (!text) return;
    document.querySelectorAll("[data-claim]").forEach(function (item) {
      item.addEventListener("click", function () {
        const id = item.getAttribute("data-claim");
        text.querySelectorAll("mark.active").forEach(function (m) { m.classList.remove("active"); });
        let first = null;
        text.querySelectorAll("mark[data-claims]").forEach(function (m) {
          if (m.getAttribute("data-claims").split(" ").indexOf(id) >= 0) {
            m.classList.add("active");
            first = first || m;
          }
        });
        if (first) first.scrollIntoView({ block: "center", behavior: "smooth" });
      });
    });
  }

  window.belie = { el: el, api: api, reviewerName: reviewerName, rememberReviewer: rememberReviewer };
  document.addEventListener("DOMContentLoaded", wireSourcePage);
})();
