// Ferry's dashboard: a page over the public REST API (/client/v4), nothing else. Routes live in
// the URL fragment: #/ workflows, #/w/<name> instances, #/w/<name>/i/<id> one instance, #/jobs the
// bulk jobs (terminate all, a workflow's deletion) with their progress.
(function () {
  "use strict";
  const $ = sel => document.querySelector(sel);
  const STATUSES = ["queued", "running", "paused", "waitingForPause", "waiting", "rollingBack", "complete", "errored", "terminated"];
  const FINISHED = ["complete", "errored", "terminated"];
  const session = {
    get account() { return sessionStorage.getItem("ferry.account"); },
    get token() { return sessionStorage.getItem("ferry.token"); },
    save(account, token) { sessionStorage.setItem("ferry.account", account); sessionStorage.setItem("ferry.token", token); },
    clear() { sessionStorage.removeItem("ferry.account"); sessionStorage.removeItem("ferry.token"); },
  };
  let refresh = null; // the live-update timer of the current view
  let shown = 0; // which route is on screen: a view whose route was left draws nothing more
  const stale = route => route !== shown;

  function esc(text) {
    return String(text == null ? "" : text).replace(/[&<>"']/g, c => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]));
  }
  const enc = encodeURIComponent;
  const time = t => t ? new Date(t).toISOString().replace("T", " ").replace("Z", " UTC") : "–";
  const badge = s => `<span class="badge s-${esc(s)}" data-status="${esc(s)}">${esc(s)}</span>`;
  const json = v => v === undefined || v === null ? "–" : `<pre>${esc(JSON.stringify(v, null, 2))}</pre>`;

  const UNFINISHED = ["queued", "running", "paused", "waitingForPause", "waiting"];
  const progress = j => j.total == null ? '<span class="muted">listing instances</span>'
    : `<div class="progress" title="${j.processed} of ${j.total}"><i style="width:${j.total ? Math.round(100 * j.processed / j.total) : 100}%"></i></div>
       <span data-progress>${j.processed} of ${j.total}</span> <span class="muted">(${j.succeeded} done, ${j.skipped} skipped, ${j.failed} failed)</span>`;
  /** Bulk jobs as a table, with progress bars and the first failures. */
  function jobsTable(jobs, withWorkflow) {
    if (!jobs.length) return '<p class="muted">No bulk jobs.</p>';
    return `<table class="jobs"><thead><tr><th>Job</th><th>Type</th>${withWorkflow ? "<th>Workflow</th>" : ""}<th>Status</th><th>Progress</th><th>Created</th><th>Ended</th></tr></thead>
      <tbody>${jobs.map(j => `<tr data-job="${esc(j.id)}"><td class="muted">${esc(j.id)}</td>
        <td>${esc(j.type)}${j.filter && j.filter.status ? ` <span class="muted">(${esc(j.filter.status)})</span>` : ""}</td>
        ${withWorkflow ? `<td><a href="#/w/${enc(j.workflow)}">${esc(j.workflow)}</a></td>` : ""}
        <td>${badge(j.status)}</td><td>${progress(j)}${(j.errors || []).map(e => `<div class="job-error">${esc(e.instance_id || "job")}: ${esc(e.message)}</div>`).join("")}</td>
        <td>${time(j.created_on)}</td><td>${time(j.ended_on)}</td></tr>`).join("")}</tbody></table>`;
  }

  function showError(message) { const e = $("#error"); e.textContent = message; e.hidden = !message; }
  function showNotice(message) {
    const n = $("#notice"); n.textContent = message; n.hidden = !message;
    if (message) setTimeout(() => { if (n.textContent === message) n.hidden = true; }, 4000);
  }

  /** One API call: the envelope's result (with result_info as .info), or an Error with the API's code. */
  async function api(method, path, body, headers) {
    const response = await fetch(`/client/v4/accounts/${enc(session.account)}${path}`, {
      method,
      headers: Object.assign({"Authorization": "Bearer " + session.token, "Content-Type": "application/json"}, headers || {}),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    let envelope = null;
    try { envelope = await response.json(); } catch (e) { /* not JSON */ }
    if (response.status === 401) {
      session.clear();
      route();
      throw new Error("The token was refused (401): sign in again.");
    }
    if (!response.ok || !envelope || !envelope.success) {
      const err = envelope && envelope.errors && envelope.errors[0];
      throw new Error(err ? `${err.message} (code ${err.code}, HTTP ${response.status})` : `HTTP ${response.status}`);
    }
    const result = envelope.result;
    if (result && typeof result === "object") Object.defineProperty(result, "info", {value: envelope.result_info});
    return result;
  }

  /** Asks in the page (not window.confirm) and resolves true or false. */
  function confirmAction(text) {
    return new Promise(resolve => {
      $("#confirm-text").textContent = text;
      $("#confirm").hidden = false;
      const done = answer => { $("#confirm").hidden = true; $("#confirm-yes").onclick = $("#confirm-no").onclick = null; resolve(answer); };
      $("#confirm-yes").onclick = () => done(true);
      $("#confirm-no").onclick = () => done(false);
    });
  }

  function crumbs(parts) {
    $("#crumbs").innerHTML = parts.map(([label, href]) => href ? `<a href="${href}">${esc(label)}</a>` : esc(label)).join("<span>/</span>");
  }

  function live(fn, ms, route) {
    if (route !== undefined && stale(route)) return;
    if (refresh) clearInterval(refresh);
    refresh = fn ? setInterval(fn, ms) : null;
  }

  function login() {
    live(null);
    crumbs([]);
    $("#whoami").textContent = "";
    $("#logout").hidden = true;
    $("#jobs-link").hidden = true;
    $("#view").replaceChildren($("#login-template").content.cloneNode(true));
    $("#login-form").onsubmit = async event => {
      event.preventDefault();
      session.save($("#login-account").value.trim(), $("#login-token").value.trim());
      try {
        await api("GET", "/workflows?per_page=1");
        showError("");
        route();
      } catch (e) {
        session.clear();
        showError(e.message);
      }
    };
  }

  async function workflows(route) {
    crumbs([["Workflows"]]);
    const render = async () => {
      const list = await api("GET", "/workflows?per_page=100");
      if (stale(route)) return;
      $("#view").innerHTML = `<h1>Workflows</h1>
        <table id="workflows"><thead><tr><th>Name</th><th>Script (worker group)</th><th>Class</th><th>Instances</th><th>Last triggered</th></tr></thead>
        <tbody>${list.map(w => `<tr class="link" data-workflow="${esc(w.name)}">
          <td><a href="#/w/${enc(w.name)}">${esc(w.name)}</a></td><td>${esc(w.script_name)}</td><td class="muted">${esc(w.class_name)}</td>
          <td>${STATUSES.filter(s => w.instances[s]).map(s => `${badge(s)}<b data-count="${s}">${w.instances[s]}</b>`).join(" ") || '<span class="muted">none</span>'}</td>
          <td>${time(w.triggered_on)}</td></tr>`).join("")}</tbody></table>
        ${list.length ? "" : '<p class="muted">No workflows yet: a worker registers the ones it hosts.</p>'}`;
      $("#view").querySelectorAll("tr.link").forEach(tr => tr.onclick = () => { location.hash = "#/w/" + enc(tr.dataset.workflow); });
    };
    await render();
    live(() => render().catch(e => showError(e.message)), 3000, route);
  }

  async function instances(name, route) {
    crumbs([["Workflows", "#/"], [name]]);
    const state = {status: "", from: "", to: "", page: 1, perPage: 25, live: true};
    $("#view").innerHTML = `<h1>${esc(name)}</h1>
      <div class="panel"><h2 style="margin-top:0">Trigger an instance</h2>
        <div class="toolbar">
          <label>Instance id (optional)<input id="trigger-id" placeholder="generated"></label>
          <label style="flex:1">Params (JSON)<textarea id="trigger-params">{}</textarea></label>
          <button id="trigger-submit" class="primary">Trigger</button>
        </div></div>
      <div class="panel actions" id="bulk">
        <div class="group"><button id="terminate-all" class="danger">Terminate all</button>
          <select id="terminate-status"><option value="">every unfinished instance</option>${UNFINISHED.map(s => `<option value="${s}">only ${s}</option>`).join("")}</select></div>
        <div class="group"><button id="delete-workflow" class="danger">Delete workflow</button></div>
      </div>
      <div id="workflow-jobs"></div>
      <div class="toolbar">
        <label>Status<select id="status-filter"><option value="">any</option>${STATUSES.map(s => `<option>${s}</option>`).join("")}</select></label>
        <label>Created from<input id="date-from" type="datetime-local"></label>
        <label>Created to<input id="date-to" type="datetime-local"></label>
        <label>Per page<select id="per-page"><option>10</option><option selected>25</option><option>100</option></select></label>
        <label><span><input id="live" type="checkbox" checked> live</span></label>
      </div>
      <div id="instance-list"></div>`;
    const load = async () => {
      const q = new URLSearchParams({page: state.page, per_page: state.perPage});
      if (state.status) q.set("status", state.status);
      if (state.from) q.set("date_start", new Date(state.from).toISOString());
      if (state.to) q.set("date_end", new Date(state.to).toISOString());
      const list = await api("GET", `/workflows/${enc(name)}/instances?${q}`);
      if (stale(route)) return;
      const info = list.info || {};
      $("#instance-list").innerHTML = `<table id="instances"><thead><tr><th>Instance</th><th>Status</th><th>Created</th><th>Ended</th><th>Trigger</th><th>Version</th></tr></thead>
        <tbody>${list.map(i => `<tr class="link" data-instance="${esc(i.id)}"><td><a href="#/w/${enc(name)}/i/${enc(i.id)}">${esc(i.id)}</a></td>
          <td>${badge(i.status)}</td><td>${time(i.created_on)}</td><td>${time(i.ended_on)}</td><td>${esc(i.trigger_source || "")}</td><td class="muted">${esc(i.version_id)}</td></tr>`).join("")}</tbody></table>
        ${list.length ? "" : '<p class="muted">No instances match.</p>'}
        <div class="pager"><button id="prev" ${state.page <= 1 ? "disabled" : ""}>Previous</button>
          <span id="page-info">page ${info.page || state.page} of ${Math.max(info.total_pages || 1, 1)} (${info.total_count == null ? list.length : info.total_count} instances)</span>
          <button id="next" ${(info.total_pages || 1) <= state.page ? "disabled" : ""}>Next</button></div>`;
      $("#instance-list").querySelectorAll("tr.link").forEach(tr => tr.onclick = () => { location.hash = `#/w/${enc(name)}/i/${enc(tr.dataset.instance)}`; });
      $("#prev").onclick = () => { state.page--; load().catch(e => showError(e.message)); };
      $("#next").onclick = () => { state.page++; load().catch(e => showError(e.message)); };
    };
    const loadJobs = async () => {
      const jobs = await api("GET", `/jobs?workflow=${enc(name)}&per_page=5`);
      if (stale(route)) return;
      $("#workflow-jobs").innerHTML = jobs.length ? `<h2>Bulk jobs</h2>${jobsTable(jobs, false)}` : "";
    };
    $("#terminate-all").onclick = async () => {
      const only = $("#terminate-status").value;
      if (!(await confirmAction(`Terminate ${only ? `every ${only} instance` : "every unfinished instance"} of ${name}?`))) return;
      try {
        const started = await api("PUT", `/workflows/${enc(name)}/instances/terminate${only ? "?status=" + enc(only) : ""}`);
        showError("");
        showNotice(started.status === "already_running" ? `A terminate-all job was already running: ${started.job.id}.` : `Terminate-all job ${started.job.id} started.`);
        await loadJobs();
      } catch (e) { showError(e.message); }
    };
    $("#delete-workflow").onclick = async () => {
      if (!(await confirmAction(`Delete the workflow ${name} and all its instances? It comes back when a worker registers it again.`))) return;
      try {
        const deleted = await api("DELETE", `/workflows/${enc(name)}`);
        showError("");
        showNotice(`Workflow ${name} deleted; job ${deleted.job.id} removes its instances.`);
        location.hash = "#/jobs";
      } catch (e) { showError(e.message); }
    };
    const changed = () => { state.page = 1; load().then(() => showError("")).catch(e => showError(e.message)); };
    $("#status-filter").onchange = e => { state.status = e.target.value; changed(); };
    $("#date-from").onchange = e => { state.from = e.target.value; changed(); };
    $("#date-to").onchange = e => { state.to = e.target.value; changed(); };
    $("#per-page").onchange = e => { state.perPage = Number(e.target.value); changed(); };
    $("#live").onchange = e => live(e.target.checked ? () => Promise.all([load(), loadJobs()]).catch(err => showError(err.message)) : null, 2000, route);
    $("#trigger-submit").onclick = async () => {
      let params;
      try { params = JSON.parse($("#trigger-params").value || "null"); } catch (e) { showError("Params are not valid JSON: " + e.message); return; }
      const body = {params};
      const id = $("#trigger-id").value.trim();
      if (id) body.instance_id = id;
      try {
        const created = await api("POST", `/workflows/${enc(name)}/instances`, body);
        showError("");
        showNotice(`Instance ${created.id} queued.`);
        location.hash = `#/w/${enc(name)}/i/${enc(created.id)}`;
      } catch (e) { showError(e.message); }
    };
    await Promise.all([load(), loadJobs()]);
    live(() => Promise.all([load(), loadJobs()]).catch(e => showError(e.message)), 2000, route);
  }

  async function jobs(route) {
    crumbs([["Workflows", "#/"], ["Bulk jobs"]]);
    const render = async () => {
      const list = await api("GET", "/jobs?per_page=100");
      if (stale(route)) return;
      $("#view").innerHTML = `<h1>Bulk jobs</h1>
        <p class="muted">Terminate-all and a workflow's deletion run as jobs in the gateway; it keeps them for a day after they end.</p>
        <div id="jobs">${jobsTable(list, true)}</div>`;
    };
    await render();
    live(() => render().catch(e => showError(e.message)), 1000, route);
  }

  async function instance(name, id, route) {
    crumbs([["Workflows", "#/"], [name, "#/w/" + enc(name)], [id]]);
    $("#view").innerHTML = `<h1>${esc(id)} <span id="status"></span></h1>
      <div class="panel actions" id="actions">
        <div class="group"><button data-action="pause">Pause</button><button data-action="resume">Resume</button></div>
        <div class="group"><button data-action="terminate" class="danger">Terminate</button>
          <label><input id="rollback" type="checkbox"> with rollback</label></div>
        <div class="group"><button data-action="restart">Restart</button>
          <select id="restart-from"><option value="">from the start</option></select></div>
        <div class="group"><input id="event-type" placeholder="event type" size="12">
          <input id="event-payload" placeholder='payload, e.g. {"ok":true}' size="22">
          <button data-action="event">Send event</button></div>
      </div>
      <div class="panel"><dl class="grid" id="summary"></dl></div>
      <h2>Timeline</h2>
      <div class="legend"><span><i style="background:var(--ok)"></i>succeeded</span><span><i style="background:var(--bad)"></i>failed</span>
        <span><i style="background:var(--run)"></i>running</span><span><i style="background:var(--sleep)"></i>sleep</span>
        <span><i style="background:var(--wait)"></i>wait for event</span><span><i style="border-top:2px dashed var(--bad);height:0"></i>retry delay</span></div>
      <div id="timeline-box"></div>
      <h2>Steps</h2><div id="steps"></div>`;
    let last = null;
    const load = async () => {
      const d = await api("GET", `/workflows/${enc(name)}/instances/${enc(id)}`);
      if (stale(route)) return;
      last = d;
      $("#status").innerHTML = badge(d.status);
      $("#summary").innerHTML = `<dt>Workflow</dt><dd>${esc(name)}</dd><dt>Version</dt><dd class="muted">${esc(d.versionId)}</dd>
        <dt>Trigger</dt><dd>${esc(d.trigger && d.trigger.source)}</dd><dt>Queued</dt><dd>${time(d.queued)}</dd>
        <dt>Started</dt><dd>${time(d.start)}</dd><dt>Ended</dt><dd>${time(d.end)}</dd>
        <dt>Duration</dt><dd>${d.start && d.end ? FerryTimeline.span(Date.parse(d.end) - Date.parse(d.start)) : "–"}</dd>
        <dt>Params</dt><dd id="params">${json(d.params)}</dd>
        ${d.status === "complete" ? `<dt>Output</dt><dd id="output">${json(d.output)}</dd>` : ""}
        ${d.error ? `<dt>Error</dt><dd id="instance-error"><b>${esc(d.error.name)}</b>: <pre>${esc(d.error.message)}</pre></dd>` : ""}
        ${d.waiting_for_worker ? `<dt>Waiting</dt><dd>for a worker group hosting ${esc(d.waiting_for_worker.workflow)} (since ${time(d.waiting_for_worker.since)})</dd>` : ""}`;
      $("#timeline-box").innerHTML = FerryTimeline.render(d, Date.now(), Math.max(600, $("#timeline-box").clientWidth || 960));
      $("#steps").innerHTML = `<table id="step-list"><thead><tr><th>#</th><th>Type</th><th>Name</th><th>Start</th><th>End</th><th>Outcome</th><th>Attempts</th><th>Output</th></tr></thead>
        <tbody>${(d.steps || []).map((s, i) => `<tr data-step="${esc(s.name)}"><td>${i + 1}</td><td>${esc(s.type)}</td><td>${esc(s.name)}</td><td>${time(s.start)}</td><td>${time(s.end)}</td>
          <td>${s.type === "step" || s.type === "rollback" ? (s.success === true ? "succeeded" : s.success === false ? "failed" : "running") : (s.finished ? (s.error ? "timed out" : "done") : "in progress")}</td>
          <td>${(s.attempts || []).map((a, n) => `<div>${n + 1}. ${a.success === true ? "ok" : a.success === false ? "failed" : "running"}${a.error ? ` — ${esc(a.error.name)}: ${esc(a.error.message)}` : ""}</div>`).join("")}</td>
          <td>${s.output === undefined || s.output === null ? "–" : json(s.output)}</td></tr>`).join("")}</tbody></table>`;
      const select = $("#restart-from"), chosen = select.value;
      select.innerHTML = `<option value="">from the start</option>` + (d.steps || []).filter(s => s.type !== "rollback")
        .map(s => `<option value="${esc(JSON.stringify({name: s.name, type: s.type === "step" ? "do" : s.type}))}">from ${esc(s.name)} (${esc(s.type)})</option>`).join("");
      select.value = chosen;
    };
    const change = async (label, body) => {
      if (!(await confirmAction(`${label} instance ${id} of ${name}?`))) return;
      try {
        await api("PATCH", `/workflows/${enc(name)}/instances/${enc(id)}/status`, body);
        showError("");
        showNotice(`${label}: done.`);
        await load();
      } catch (e) { showError(e.message); }
    };
    $("#actions").onclick = async event => {
      const action = event.target.dataset && event.target.dataset.action;
      if (!action) return;
      if (action === "pause" || action === "resume") return change(action[0].toUpperCase() + action.slice(1), {status: action});
      if (action === "terminate") return change($("#rollback").checked ? "Terminate with rollback" : "Terminate", {status: "terminate", rollback: $("#rollback").checked || undefined});
      if (action === "restart") {
        const from = $("#restart-from").value;
        return change(from ? `Restart from ${JSON.parse(from).name}` : "Restart", from ? {status: "restart", from: JSON.parse(from)} : {status: "restart"});
      }
      if (action === "event") {
        const type = $("#event-type").value.trim();
        let payload;
        try { payload = JSON.parse($("#event-payload").value || "{}"); } catch (e) { showError("The payload is not valid JSON: " + e.message); return; }
        if (!type) { showError("Give the event a type."); return; }
        if (!(await confirmAction(`Send event "${type}" to ${id}?`))) return;
        try {
          await api("POST", `/workflows/${enc(name)}/instances/${enc(id)}/events/${enc(type)}`, payload,
            {"Idempotency-Key": (crypto.randomUUID ? crypto.randomUUID() : String(Math.random()).slice(2))});
          showError("");
          showNotice(`Event ${type} sent.`);
          await load();
        } catch (e) { showError(e.message); }
      }
    };
    await load();
    // A finished instance changes only when someone acts on it: look less often.
    if (last) live(() => load().catch(e => showError(e.message)), FINISHED.includes(last.status) ? 5000 : 1000, route);
  }

  async function route() {
    const mine = ++shown;
    live(null);
    if (!session.token) { login(); return; }
    $("#whoami").textContent = "account " + session.account;
    $("#logout").hidden = false;
    $("#jobs-link").hidden = false;
    const parts = location.hash.replace(/^#\/?/, "").split("/").map(decodeURIComponent);
    try {
      if (parts[0] === "w" && parts[1] && parts[2] === "i" && parts[3]) await instance(parts[1], parts[3], mine);
      else if (parts[0] === "w" && parts[1]) await instances(parts[1], mine);
      else if (parts[0] === "jobs") await jobs(mine);
      else await workflows(mine);
      if (!stale(mine)) showError("");
    } catch (e) { if (!stale(mine)) showError(e.message); }
  }

  $("#logout").onclick = () => { session.clear(); route(); };
  window.addEventListener("hashchange", route);
  route();
})();
