// The timeline of an instance: one row per step, sleep and wait on a shared time axis. A step's
// attempts are bars coloured by outcome; the wait between a failed attempt and the next (its retry
// delay) is a dashed red line. Unfinished entries run to "now" and are drawn faded.
(function (global) {
  "use strict";
  const ROW = 24, LABEL = 190, PAD = 12, AXIS = 26;

  function ms(text) { return text ? Date.parse(text) : null; }

  function escapeXml(text) {
    return String(text).replace(/[&<>"']/g, c => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]));
  }

  function span(millis) {
    if (millis < 1000) return Math.round(millis) + " ms";
    if (millis < 60000) return (millis / 1000).toFixed(1).replace(/\.0$/, "") + " s";
    if (millis < 3600000) return Math.floor(millis / 60000) + " min " + Math.round((millis % 60000) / 1000) + " s";
    return Math.floor(millis / 3600000) + " h " + Math.round((millis % 3600000) / 60000) + " min";
  }

  /** Rows to draw: [{label, kind, bars: [{from, to, cls, title}], delays: [{from, to}]}]. */
  function rows(details, now) {
    const out = [];
    for (const step of details.steps || []) {
      const row = {label: step.name, kind: step.type, bars: [], delays: []};
      if (step.type === "step" || step.type === "rollback") {
        const attempts = step.attempts || [];
        attempts.forEach((a, i) => {
          const from = ms(a.start), to = ms(a.end);
          const cls = a.success === true ? "ok" : a.success === false ? "bad" : "run open";
          row.bars.push({from, to: to == null ? now : to, cls,
            title: step.name + " attempt " + (i + 1) + ": " + (a.success === true ? "succeeded" : a.success === false ? "failed" : "running")
              + (a.error ? " (" + a.error.name + ": " + a.error.message + ")" : "")
              + (to != null ? ", " + span(to - from) : "")});
          const next = attempts[i + 1];
          if (a.success === false && to != null) {
            const until = next ? ms(next.start) : (step.success == null ? now : null);
            if (until != null) row.delays.push({from: to, to: until});
          }
        });
        if (!attempts.length && step.start) {
          row.bars.push({from: ms(step.start), to: ms(step.end) || now, cls: step.success ? "ok" : "bad", title: step.name});
        }
      } else {
        const from = ms(step.start), to = ms(step.end);
        if (from != null) {
          const kind = step.type === "sleep" ? "sleep" : "wait";
          row.bars.push({from, to: to == null ? now : to, cls: kind + (step.finished ? "" : " open") + (step.error ? " bad" : ""),
            title: (kind === "sleep" ? "sleep " : "wait for event ") + step.name
              + (step.finished ? (step.error ? ": timed out" : ": done") : ": in progress")
              + (to != null ? ", " + span(to - from) : "")});
        }
      }
      out.push(row);
    }
    return out;
  }

  /** The SVG markup of the timeline, {@code width} pixels wide. */
  function render(details, now, width) {
    width = width || 960;
    const list = rows(details, now);
    const times = [];
    const start = ms(details.queued) || ms(details.start);
    if (start != null) times.push(start);
    for (const r of list) for (const b of r.bars) { times.push(b.from, b.to); }
    const end = ms(details.end);
    times.push(end != null ? end : now);
    const t0 = Math.min(...times), t1 = Math.max(...times, t0 + 1);
    const plot = width - LABEL - PAD;
    const x = t => LABEL + ((t - t0) / (t1 - t0)) * plot;
    const height = AXIS + Math.max(list.length, 1) * ROW + PAD;
    const parts = [`<svg class="timeline" id="timeline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">`];
    for (let i = 0; i <= 5; i++) {
      const t = t0 + (i * (t1 - t0)) / 5, tx = x(t);
      parts.push(`<line class="axis" x1="${tx}" y1="${AXIS - 6}" x2="${tx}" y2="${height - PAD}"/>`);
      parts.push(`<text class="tick" x="${tx}" y="${AXIS - 10}" text-anchor="${i === 0 ? "start" : i === 5 ? "end" : "middle"}">+${span(t - t0)}</text>`);
    }
    if (!list.length) parts.push(`<text x="${LABEL}" y="${AXIS + 16}" class="tick">no steps yet</text>`);
    list.forEach((r, i) => {
      const y = AXIS + i * ROW;
      parts.push(`<text x="4" y="${y + 16}">${escapeXml(r.label.length > 28 ? r.label.slice(0, 27) + "…" : r.label)}</text>`);
      for (const d of r.delays) {
        parts.push(`<line class="delay" data-step="${escapeXml(r.label)}" x1="${x(d.from)}" y1="${y + 12}" x2="${x(d.to)}" y2="${y + 12}"><title>retry delay ${span(d.to - d.from)}</title></line>`);
      }
      for (const b of r.bars) {
        const w = Math.max(2, x(b.to) - x(b.from));
        parts.push(`<rect class="bar ${b.cls}" data-step="${escapeXml(r.label)}" data-kind="${r.kind}" x="${x(b.from)}" y="${y + 4}" width="${w}" height="${ROW - 8}" rx="2"><title>${escapeXml(b.title)}</title></rect>`);
      }
    });
    parts.push("</svg>");
    return parts.join("");
  }

  global.FerryTimeline = {render, rows, span};
})(window);
