// The static parts of the HTML report: its stylesheet (screen and print) and its small vanilla-JS client
// (search, filters, expand/collapse, heatmap and severity × area → findings). Inlined into every report; nothing here comes
// from results, so nothing here needs escaping — and nothing here may load anything from the network.

export const STYLESHEET = `
:root {
  --fg: #1d232b; --muted: #5b6572; --line: #d8dee6; --bg: #ffffff; --panel: #f6f8fa; --accent: #1f5fa8;
  --critical: #7a1fa2; --critical-bg: #f1dcf7; --high: #b3261e; --high-bg: #fbdcd8;
  --medium: #8a5a00; --medium-bg: #fdecc8; --low: #1f5fa8; --low-bg: #dbe8f8; --clean-bg: #e3f4e6; --clean: #23713a;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--fg); background: var(--bg); }
.mono, code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 12.5px; }
.muted { color: var(--muted); }
.small { font-size: 12px; }
.nowrap { white-space: nowrap; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
h1 { margin: 2px 0 8px; font-size: 24px; }
h2 { font-size: 19px; margin: 0 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 15px; margin: 16px 0 6px; }
h4 { font-size: 13px; margin: 12px 0 4px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
a { color: var(--accent); }
header.top { padding: 18px 28px 14px; background: #16324f; color: #fff; }
header.top .brand { font-weight: 700; letter-spacing: .06em; text-transform: uppercase; font-size: 12px; opacity: .85; }
header.top .version { font-weight: 400; }
dl.meta { display: flex; flex-wrap: wrap; gap: 4px 24px; margin: 0; }
dl.meta div { display: flex; gap: 6px; }
dl.meta dt { opacity: .75; }
dl.meta dd { margin: 0; font-weight: 600; }
.status { margin: 10px 0 0; font-weight: 700; font-size: 15px; }
header.top .status.fail { color: #ffc9c2; }
header.top .status.pass { color: #bff0c9; }
.status.pass { color: var(--clean); }
.banner { margin: 0; padding: 10px 28px; border-bottom: 1px solid var(--line); }
.banner.incomplete { background: #fff3cd; color: #5c4400; border-left: 6px solid #d39e00; }
.banner.partial { margin: 0 0 10px; padding: 8px 14px; background: #eaf2fb; color: #163a5f; border-left: 6px solid var(--accent); border-radius: 4px; }
.banner.partial p { margin: 4px 0; }
nav.toc { position: sticky; top: 0; z-index: 2; display: flex; flex-wrap: wrap; gap: 2px 16px; padding: 8px 28px; background: var(--panel); border-bottom: 1px solid var(--line); }
nav.toc a { text-decoration: none; font-weight: 600; }
main { padding: 8px 28px 24px; max-width: 1400px; }
section { margin: 22px 0 30px; scroll-margin-top: 48px; }
.check, .principal, tbody.finding { scroll-margin-top: 48px; }
.card { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; }
.posture-grid { display: grid; grid-template-columns: minmax(260px, 360px) 1fr; gap: 16px; }
@media (max-width: 800px) { .posture-grid { grid-template-columns: 1fr; } }
.gauge { width: 100%; max-width: 300px; display: block; margin: 0 auto; }
.gauge .track { stroke: #e3e8ee; }
.gauge .value { stroke-linecap: butt; }
.gauge.band-good .value { stroke: #2e8b4e; } .gauge.band-fair .value { stroke: #c59000; }
.gauge.band-poor .value { stroke: #d9641e; } .gauge.band-bad .value { stroke: #b3261e; }
.gauge-score { font-size: 40px; font-weight: 700; fill: var(--fg); }
.gauge-caption { font-size: 12px; fill: var(--muted); }
dl.score-facts { display: grid; grid-template-columns: auto 1fr; gap: 2px 12px; margin: 10px 0 0; }
dl.score-facts div { display: contents; }
dl.score-facts dt { color: var(--muted); }
dl.score-facts dd { margin: 0; font-weight: 600; }
.note { color: var(--muted); font-size: 12.5px; margin: 8px 0 0; }
.badge { display: inline-block; padding: 0 7px; border-radius: 10px; font-size: 11.5px; font-weight: 700; text-transform: uppercase; letter-spacing: .03em; border: 1px solid transparent; }
.badge.sev-critical { background: var(--critical-bg); color: var(--critical); border-color: var(--critical); }
.badge.sev-high { background: var(--high-bg); color: var(--high); border-color: var(--high); }
.badge.sev-medium { background: var(--medium-bg); color: var(--medium); border-color: var(--medium); }
.badge.sev-low { background: var(--low-bg); color: var(--low); border-color: var(--low); }
.badge.suppressed-badge { background: #eceff3; color: var(--muted); border-color: #b8c0ca; }
.badge.baseline-new { background: #fff; color: #b3261e; border-color: #b3261e; }
.badge.baseline-unchanged { background: #fff; color: var(--muted); border-color: #b8c0ca; }
table { border-collapse: collapse; }
.severity-table { width: 100%; }
.severity-table th, .severity-table td { padding: 4px 8px; border-bottom: 1px solid var(--line); text-align: left; }
.severity-table td.num, .severity-table th.num { text-align: right; }
.bar-cell { width: 55%; }
.bar { display: inline-block; height: 12px; vertical-align: middle; }
.bar.sev-critical { background: var(--critical); } .bar.sev-high { background: var(--high); }
.bar.sev-medium { background: #d39e00; } .bar.sev-low { background: var(--low); }
.bar.suppressed { background: repeating-linear-gradient(45deg, #b8c0ca 0 3px, #e3e8ee 3px 6px); }
.counts { margin: 10px 0 0; }
.trend-grid { display: grid; grid-template-columns: repeat(3, minmax(120px, 220px)); gap: 12px; }
.trend-grid .card { text-align: center; }
.trend-grid .big { font-size: 30px; font-weight: 700; }
.trend-new .big { color: var(--high); } .trend-fixed .big { color: var(--clean); }
.scroll { overflow-x: auto; }
.heat-table th, .heat-table td { border: 1px solid var(--line); padding: 4px 8px; }
.heat-table thead th { background: var(--panel); }
.heat-table th.area { min-width: 52px; text-align: center; }
.heat-table tbody th { text-align: left; font-weight: 600; }
.heat-table tfoot th, .heat-table tfoot td { background: var(--panel); font-weight: 600; text-align: left; }
.heat-table tfoot td.area-total { text-align: center; }
.heat-table tfoot td.num { text-align: right; }
td.heat { text-align: center; font-weight: 700; }
.heat.clean { background: var(--clean-bg); color: var(--clean); }
.heat.sev-critical { background: var(--critical-bg); color: var(--critical); }
.heat.sev-high { background: var(--high-bg); color: var(--high); }
.heat.sev-medium { background: var(--medium-bg); color: var(--medium); }
.heat.sev-low { background: var(--low-bg); color: var(--low); }
.heat .zero { opacity: .55; font-weight: 400; }
.heat button.cell { font: inherit; color: inherit; background: none; border: 0; cursor: pointer; text-decoration: underline; padding: 0 4px; }
.legend .key { display: inline-block; padding: 1px 8px; border-radius: 4px; font-size: 12px; margin-right: 4px; }
td.score.band-bad { color: var(--high); font-weight: 700; } td.score.band-poor { color: #a04a12; font-weight: 700; }
.controls { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 14px; padding: 10px 12px; margin-bottom: 10px; background: var(--panel); border: 1px solid var(--line); border-radius: 8px; }
.controls label { font-weight: 600; font-size: 12.5px; display: flex; gap: 6px; align-items: center; }
.controls input[type=search] { width: 300px; max-width: 60vw; padding: 4px 8px; border: 1px solid #b8c0ca; border-radius: 4px; font: inherit; }
.controls select, .controls button { font: inherit; padding: 3px 8px; border: 1px solid #b8c0ca; border-radius: 4px; background: #fff; }
.controls button { cursor: pointer; }
.finding-table { width: 100%; border: 1px solid var(--line); }
.finding-table thead th { text-align: left; background: var(--panel); padding: 6px 8px; border-bottom: 1px solid var(--line); }
.finding-table button.sort { font: inherit; font-weight: 700; color: inherit; background: none; border: 0; padding: 0; cursor: pointer; }
.finding-table th[aria-sort=ascending] button.sort::after { content: " ▲"; font-size: 10px; }
.finding-table th[aria-sort=descending] button.sort::after { content: " ▼"; font-size: 10px; }
.by-check-table summary { cursor: pointer; }
ol.group-counts { columns: 14em auto; margin: 4px 0; padding-left: 0; list-style: none; }
ol.group-counts li { break-inside: avoid; white-space: nowrap; }
ol.group-counts .count { font-weight: 700; font-variant-numeric: tabular-nums; }
.finding-table td { padding: 6px 8px; vertical-align: top; }
tbody.finding { border-top: 1px solid var(--line); }
tbody.finding tr.summary { cursor: pointer; }
tbody.finding tr.summary:hover { background: #f2f6fb; }
tbody.finding.status-suppressed tr.summary { color: var(--muted); }
tbody.finding.status-suppressed .message { text-decoration: none; }
tbody.finding .title { font-weight: 600; }
tbody.finding .res { font-weight: 600; word-break: break-all; }
tbody.finding .loc { word-break: break-all; }
button.toggle { border: 1px solid #b8c0ca; background: #fff; border-radius: 4px; width: 24px; height: 24px; cursor: pointer; line-height: 1; padding: 0; transition: transform .1s; }
tbody.finding.open button.toggle { transform: rotate(90deg); }
tr.detail td { background: #fbfcfd; border-top: 1px dashed var(--line); }
dl.where { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 4px 0 8px; }
dl.where div { display: contents; }
dl.where dt { color: var(--muted); }
dl.where dd { margin: 0; word-break: break-all; }
pre.code { background: #f3f5f8; border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; margin: 4px 0 8px; overflow-x: auto; white-space: pre-wrap; word-break: break-word; max-height: 480px; overflow-y: auto; }
.snippet-label { font-weight: 600; font-size: 12.5px; }
.suppression { background: #eceff3; border-left: 4px solid #8a96a3; padding: 6px 10px; margin: 4px 0 8px; }
ul.refs { margin: 2px 0; padding-left: 20px; word-break: break-all; }
.na-check h3 { margin-bottom: 2px; }
ul.reasons { margin: 0; padding-left: 18px; }
ul.reasons .reason { font-weight: 600; }
ul.scopes { margin: 2px 0 8px; padding-left: 18px; color: var(--muted); }
.errors ul.error-list li { color: var(--high); }
.notices li { margin: 2px 0; }
table.plain { border-collapse: collapse; margin: 6px 0 10px; }
table.plain th, table.plain td { border-bottom: 1px solid var(--line); padding: 3px 10px 3px 0; text-align: left; vertical-align: top; }
table.plain th.num, table.plain td.num { text-align: right; padding-left: 14px; }
table.timeline tr.failed-call td { color: var(--high); }
.status-failed { color: var(--high); font-weight: 600; }
.check { border-top: 1px solid var(--line); margin-top: 10px; }
footer { padding: 10px 28px 30px; border-top: 1px solid var(--line); }
@media screen {
  .js tr.detail { display: none; }
  .js tbody.finding.open tr.detail { display: table-row; }
  tbody.finding.filtered-out { display: none; }
}
/* A long list (more than 1,000 findings) is laid out as blocks, not as one table: a browser then draws only the
   findings scrolled into view (content-visibility), and sorting or filtering thousands of rows stays quick. */
@media screen {
  .finding-table.large, .finding-table.large > thead, .finding-table.large > tbody.finding { display: block; }
  .finding-table.large tr { display: grid; grid-template-columns: 34px 150px 130px minmax(0, 1fr) minmax(0, 1.6fr); }
  .finding-table.large tr.detail td:first-child { display: none; }
  .finding-table.large tr.detail td[colspan] { grid-column: 2 / span 4; }
  .js .finding-table.large tr.detail { display: none; }
  .js .finding-table.large tbody.finding.open tr.detail { display: grid; }
  .finding-table.large > tbody.finding { content-visibility: auto; contain-intrinsic-size: auto 72px; }
  .finding-table.large > tbody.finding.filtered-out { display: none; }
}
@media print {
  @page { margin: 14mm 12mm; }
  body { font-size: 10.5pt; background: #fff; color: #000; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  header.top { background: #fff; color: #000; border-bottom: 2px solid #000; padding: 0 0 8px; }
  header.top .status.fail { color: #b3261e; } header.top .status.pass { color: #23713a; }
  nav.toc, .controls, button.toggle, #f-cell-note { display: none !important; }
  .by-check-table details > ol { display: block; }
  .heat button.cell { text-decoration: none; }
  main { padding: 0; max-width: none; }
  .banner { padding: 6px 0; }
  section.major { break-before: page; }
  h2, h3, h4 { break-after: avoid-page; }
  tbody.finding, tbody.finding.filtered-out { display: table-row-group !important; }
  tr.detail { display: table-row !important; }
  tr.summary { break-inside: avoid-page; break-after: avoid-page; }
  tbody.finding.status-suppressed tr.summary { color: #444; }
  pre.code { max-height: none; overflow: visible; background: #fff; border-color: #999; }
  .card, .controls, thead th, tr.detail td, .heat-table thead th { background: #fff !important; }
  .scroll { overflow: visible; }
  a { color: #000; text-decoration: none; }
  footer { border: 0; padding: 8px 0 0; }
}
`;

/**
 * Search (all words, case-insensitive, over the summary row and the evidence), severity/area/status
 * filters, sorting by severity, check or resource, expand/collapse, and heatmap and severity × area cells
 * that filter the findings (saying how many of the cell's findings are not in the page when the list is capped). Written
 * for every browser an auditor may open the file in: no modules, no build step.
 */
export const CLIENT_SCRIPT = `
(function () {
  'use strict';
  var doc = document;
  // Details start collapsed only when this script runs: without scripts every finding stays expanded. The
  // script sits in <head> so that the class is set before the browser lays out thousands of findings.
  doc.documentElement.classList.add('js');
  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', init);
  else init();

  function init() {
    var table = doc.querySelector('.finding-table');
    var cellButtons = doc.querySelectorAll('.heat button.cell');
    var rows = Array.prototype.slice.call(doc.querySelectorAll('tbody.finding'));
    var search = doc.getElementById('f-search');
    var severity = doc.getElementById('f-severity');
    var area = doc.getElementById('f-area');
    var status = doc.getElementById('f-status');
    var shown = doc.getElementById('f-shown');
    var none = doc.getElementById('f-none');
    var cellNote = doc.getElementById('f-cell-note');
    var cellCount = 0;
    var cellGroup = '';
    var cellKind = '';
    if (!table || !search) return;
    var notInReport = shown.getAttribute('data-not-in-report') || '';
    var texts = rows.map(function (row) {
      var summary = row.querySelector('tr.summary');
      var evidence = row.querySelector('.evidence');
      return ((summary ? summary.textContent : '') + ' ' + (evidence ? evidence.textContent : '') + ' ' + (row.getAttribute('data-check') || '')).toLowerCase();
    });

    function apply() {
      var words = search.value.toLowerCase().split(/\\s+/).filter(Boolean);
      var count = 0;
      rows.forEach(function (row, i) {
        var ok = (!severity.value || row.getAttribute('data-severity') === severity.value) &&
          (!area.value || row.getAttribute('data-area') === area.value) &&
          (!status.value || row.getAttribute('data-status') === status.value || row.getAttribute('data-baseline') === status.value) &&
          (!cellGroup || row.getAttribute('data-group') === cellGroup) &&
          words.every(function (w) { return texts[i].indexOf(w) !== -1; });
        row.classList.toggle('filtered-out', !ok);
        if (ok) count++;
      });
      shown.textContent = count.toLocaleString('en-US') + ' of ' + rows.length.toLocaleString('en-US') + ' shown' + notInReport;
      if (none) none.hidden = count !== 0;
      if (cellNote) {
        var missing = cellCount - count;
        cellNote.hidden = !(cellCount && missing > 0);
        cellNote.textContent = cellNote.hidden ? '' : 'This ' + cellKind + ' holds ' + cellCount.toLocaleString('en-US') + ' open findings; ' +
          count.toLocaleString('en-US') + ' of them are shown in full here and the other ' + missing.toLocaleString('en-US') +
          ' are not in this report: the JSON results list every finding.';
      }
    }

    // Sorting: by severity (the page's own order), check id or resource; selecting the same column again reverses it.
    var keys = {
      severity: rows.map(function (row, i) { return i; }),
      check: rows.map(function (row) { return row.getAttribute('data-check') || ''; }),
      resource: rows.map(function (row) {
        var res = row.querySelector('.res');
        var loc = row.querySelector('.loc');
        return ((res ? res.textContent : '') + ' ' + (loc ? loc.textContent : '')).toLowerCase();
      })
    };
    var sortButtons = doc.querySelectorAll('.finding-table button.sort');
    function sortBy(key, descending) {
      var values = keys[key];
      var order = rows.map(function (row, i) { return i; });
      order.sort(function (a, b) {
        var x = values[a];
        var y = values[b];
        var c = x < y ? -1 : x > y ? 1 : a - b;
        return descending ? -c : c;
      });
      order.forEach(function (i) { table.appendChild(rows[i]); });
      Array.prototype.forEach.call(sortButtons, function (button) {
        var th = button.parentNode;
        th.setAttribute('aria-sort', button.getAttribute('data-sort') === key ? (descending ? 'descending' : 'ascending') : 'none');
      });
    }
    Array.prototype.forEach.call(sortButtons, function (button) {
      button.addEventListener('click', function () {
        var key = button.getAttribute('data-sort');
        sortBy(key, button.parentNode.getAttribute('aria-sort') === 'ascending');
      });
    });

    function setOpen(row, open) {
      row.classList.toggle('open', open);
      var button = row.querySelector('button.toggle');
      if (button) button.setAttribute('aria-expanded', String(open));
    }

    // A filter changed by hand no longer lists one heatmap cell.
    function changed() { cellCount = 0; cellGroup = ''; cellKind = ''; apply(); }
    [search, severity, area, status].forEach(function (el) {
      el.addEventListener('input', changed);
      el.addEventListener('change', changed);
    });
    doc.getElementById('f-reset').addEventListener('click', function () {
      search.value = ''; severity.value = ''; area.value = ''; status.value = '';
      cellCount = 0; cellGroup = ''; cellKind = '';
      apply();
    });
    doc.getElementById('f-expand').addEventListener('click', function () {
      rows.forEach(function (row) { if (!row.classList.contains('filtered-out')) setOpen(row, true); });
    });
    doc.getElementById('f-collapse').addEventListener('click', function () {
      rows.forEach(function (row) { setOpen(row, false); });
    });
    table.addEventListener('click', function (event) {
      var target = event.target;
      var summary = target && target.closest ? target.closest('tr.summary') : null;
      if (!summary) return;
      var selection = window.getSelection ? String(window.getSelection()) : '';
      if (selection && !target.closest('button.toggle')) return;
      var row = summary.parentNode;
      setOpen(row, !row.classList.contains('open'));
    });
    function offered(select, value) {
      return Array.prototype.some.call(select.options, function (o) { return o.value === value; }) ? value : '';
    }
    // A cell of the account/file heatmap (data-group) or of severity × area (data-severity) lists its open findings.
    Array.prototype.forEach.call(cellButtons, function (button) {
      button.addEventListener('click', function () {
        area.value = offered(area, button.getAttribute('data-area') || '');
        search.value = button.getAttribute('data-group') || '';
        severity.value = offered(severity, button.getAttribute('data-severity') || '');
        status.value = 'open';
        cellCount = Number(button.getAttribute('data-count')) || 0;
        cellGroup = button.getAttribute('data-group') || '';
        cellKind = cellGroup ? 'heatmap cell' : 'severity × area cell';
        apply();
        doc.getElementById('findings').scrollIntoView();
      });
    });
    apply();
  }
})();
`;
