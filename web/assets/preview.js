// The intake form's live triage preview. The form works without this script; with it, each change
// posts the form, turned into a request document, to POST /api/v1/triage (which stores nothing)
// and shows the decision. Controls are named by JSON pointer, optionally ending in "[]" (a list of
// strings) or ":bool" (a checkbox meaning true); the server's FormDocument reads them the same way.
(function () {
  "use strict";
  var form = document.getElementById("intake-form");
  var out = document.getElementById("preview");
  var summary = document.getElementById("preview-outcome");
  var details = document.getElementById("preview-details");
  var aside = out ? out.closest("aside") : null;
  var titles = {};
  try { titles = JSON.parse((aside && aside.getAttribute("data-principles")) || "{}"); } catch (e) { titles = {}; }
  var rulebookTitles = {};
  try { rulebookTitles = JSON.parse((aside && aside.getAttribute("data-rulebooks")) || "{}"); } catch (e) { rulebookTitles = {}; }
  // Nothing is said about missing answers before the person has answered anything.
  var touched = false;
  // Side by side on a wide screen the preview is always open; on a phone it is a bar under the
  // form that opens on demand.
  if (details && window.matchMedia && window.matchMedia("(min-width: 64rem)").matches) { details.open = true; }
  if (!form || !out || !window.fetch) { return; }
  var production = form.getAttribute("data-production");
  var csrf = form.getAttribute("data-csrf");
  var timer = null;
  var sequence = 0;

  // A step whose tool list says "unlisted" takes the tool record described under
  // /steps/N/unlisted/ (with an id made from its name), as the server does (UnlistedTool).
  function unlistedToDocument(data) {
    var pairs = [];
    var unlisted = {};
    data.forEach(function (value, name) {
      var match = /^\/steps\/([0-9]+)\/tool$/.exec(name);
      if (match && value === "unlisted") { unlisted[match[1]] = { named: "", hasID: false, hasEnterprise: false }; }
    });
    data.forEach(function (value, name) {
      var match = /^\/steps\/([0-9]+)\/(tool|unlisted\/(.+))$/.exec(name);
      if (!match) { pairs.push([name, value]); return; }
      var step = unlisted[match[1]];
      if (match[2] === "tool") { if (!step) { pairs.push([name, value]); } return; }
      if (!step) { return; }
      if (match[3] === "name") { step.named = value; }
      if (match[3] === "id") { step.hasID = true; }
      if (match[3] === "enterprise:bool") { step.hasEnterprise = true; }
      pairs.push(["/steps/" + match[1] + "/tool/" + match[3], value]);
    });
    Object.keys(unlisted).forEach(function (index) {
      var step = unlisted[index];
      if (!step.hasEnterprise) { pairs.push(["/steps/" + index + "/tool/enterprise:bool", "false"]); }
      if (step.hasID) { return; }
      var slug = step.named.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40).replace(/-+$/, "");
      pairs.push(["/steps/" + index + "/tool/id", slug || "unlisted-tool-" + (Number(index) + 1)]);
    });
    return pairs;
  }

  function documentFromForm() {
    var root = {};
    var lists = {};
    var data = unlistedToDocument(new FormData(form));
    data.forEach(function (pair) {
      var name = pair[0], value = pair[1];
      if (typeof value !== "string" || value === "" || name.charAt(0) !== "/") { return; }
      var kind = "text";
      var pointer = name;
      if (name.slice(-2) === "[]") { kind = "list"; pointer = name.slice(0, -2); }
      else if (name.slice(-5) === ":bool") { kind = "bool"; pointer = name.slice(0, -5); }
      var segments = pointer.slice(1).split("/");
      var node = root;
      for (var i = 0; i < segments.length - 1; i++) {
        var key = segments[i];
        var nextIsIndex = /^[0-9]+$/.test(segments[i + 1]);
        if (node[key] === undefined) { node[key] = nextIsIndex ? {} : {}; if (nextIsIndex) { lists[segments.slice(0, i + 1).join("/")] = true; } }
        node = node[key];
      }
      var last = segments[segments.length - 1];
      if (kind === "list") { (node[last] = node[last] || []).push(value); }
      else if (kind === "bool") { node[last] = value === "true"; }
      else { node[last] = value; }
    });
    // Numbered groups become lists, in index order, closing any gaps.
    function close(node, path) {
      if (node === null || typeof node !== "object" || Array.isArray(node)) { return node; }
      Object.keys(node).forEach(function (key) { node[key] = close(node[key], path ? path + "/" + key : key); });
      if (lists[path]) {
        return Object.keys(node).map(Number).sort(function (a, b) { return a - b; }).map(function (k) { return node[k]; });
      }
      return node;
    }
    return close(root, "");
  }

  function element(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined) { node.textContent = text; }
    if (className) { node.className = className; }
    return node;
  }

  var wording = {
    "socialize": "Go ahead and tell your studio contact",
    "escalate": "Talk to your studio contact first",
    "approval-required": "Written approval needed before you start"
  };

  function showDecision(decision) {
    out.replaceChildren();
    var outcome = element("p", wording[decision.outcome] || decision.outcome, "outcome outcome-" + decision.outcome);
    outcome.setAttribute("data-outcome", decision.outcome);
    out.appendChild(outcome);
    if (summary) { summary.textContent = wording[decision.outcome] || decision.outcome; }
    out.appendChild(element("p", decision.summary));
    var principles = element("ul");
    (decision.principles || []).forEach(function (p) {
      var item = element("li");
      item.appendChild(element("strong", (titles[p.id] || p.id) + ": " + p.answer));
      if (p.because && p.because.length) { item.appendChild(document.createTextNode(" (" + p.because.join("; ") + ")")); }
      principles.appendChild(item);
    });
    out.appendChild(principles);
    if (decision.findings && decision.findings.length) {
      out.appendChild(element("h3", "Why"));
      var findings = element("ul");
      decision.findings.forEach(function (f) {
        findings.appendChild(element("li", f.reason + " (" + f.cite + ")"));
      });
      out.appendChild(findings);
    }
    // The union agreements and laws that apply, and what they oblige the production to do.
    var applied = (decision.rulebooks || []).filter(function (r) { return r.applied && r.kind === "overlay" && r.findings; });
    if (applied.length) {
      out.appendChild(element("p", "Union agreements and laws with something to say: " +
        applied.map(function (r) { return rulebookTitles[r.id] || r.id; }).join("; ") + "."));
    }
    if (decision.obligations && decision.obligations.length) {
      out.appendChild(element("h3", "What they ask the production to do"));
      var obligations = element("ul");
      decision.obligations.forEach(function (o) {
        obligations.appendChild(element("li", o.text + " (" + (dues[o.due] || o.due) + ")"));
      });
      out.appendChild(obligations);
    }
  }

  var dues = {
    "before-use": "before the work starts",
    "before-release": "before release",
    "at-first-exposure": "where the audience first meets it"
  };

  function showProblem(problem) {
    if (summary) { summary.textContent = touched ? "a few more answers needed" : "answer the questions to see it"; }
    if (!touched) { return; }
    out.replaceChildren();
    out.appendChild(element("p", "The preview needs a few more answers:", "hint"));
    var list = element("ul");
    (problem.errors || []).slice(0, 6).forEach(function (e) { list.appendChild(element("li", e.detail)); });
    if (!problem.errors || !problem.errors.length) { list.appendChild(element("li", problem.detail || problem.title)); }
    out.appendChild(list);
  }

  function refresh() {
    var mine = ++sequence;
    var url = "/api/v1/triage" + (production ? "?production=" + encodeURIComponent(production) : "");
    fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf, "Accept": "application/json" },
      body: JSON.stringify(documentFromForm())
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (result) {
      if (mine !== sequence) { return; }
      if (result.ok) { showDecision(result.body); } else { showProblem(result.body); }
      out.setAttribute("data-state", result.ok ? "decided" : "incomplete");
    }).catch(function () {
      if (mine === sequence) { out.replaceChildren(element("p", "The preview is unavailable; filing still works.", "hint")); }
    });
  }

  function schedule() {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(refresh, 250);
  }

  // A tool registered while the form is open joins every step's list when a list is next
  // opened, without adding a step or reloading.
  var studio = form.getAttribute("data-studio");
  var toolsFetched = 0;
  function isToolList(node) { return node && node.tagName === "SELECT" && /^\/steps\/[0-9]+\/tool$/.test(node.name); }
  form.addEventListener("focusin", function (event) {
    if (!studio || !isToolList(event.target) || Date.now() - toolsFetched < 5000) { return; }
    toolsFetched = Date.now();
    fetch("/api/v1/studios/" + encodeURIComponent(studio) + "/tools", {
      credentials: "same-origin", headers: { "Accept": "application/json", "X-CSRF-Token": csrf }
    }).then(function (response) { return response.ok ? response.json() : null; }).then(function (body) {
      if (!body || !body.items) { return; }
      Array.prototype.forEach.call(form.querySelectorAll("select"), function (list) {
        if (!isToolList(list)) { return; }
        var have = {};
        Array.prototype.forEach.call(list.options, function (option) { have[option.value] = true; });
        var unlisted = list.querySelector('option[value="unlisted"]');
        body.items.forEach(function (tool) {
          var record = tool.record || {};
          if (!tool.id || have[tool.id]) { return; }
          var label = (record.name || tool.id) + ": " + (record.enterprise ? "enterprise agreement" : "no enterprise agreement");
          list.insertBefore(new Option(label, tool.id), unlisted);
        });
      });
    }).catch(function () {});
  });

  // The questions about a performer (under 18, a new scan) show once the performer is named: the
  // form asks them only when they matter. Without script they are always there.
  function performerQuestions() {
    Array.prototype.forEach.call(form.querySelectorAll(".with-performer"), function (block) {
      var group = block.closest("fieldset");
      var name = group ? group.querySelector('input[name$="/performer"]') : null;
      var checked = block.querySelector("input:checked");
      block.hidden = !!name && name.value.trim() === "" && !checked;
    });
  }
  performerQuestions();

  function answered() { touched = true; performerQuestions(); schedule(); }
  form.addEventListener("input", answered);
  form.addEventListener("change", answered);
  refresh();
}());
