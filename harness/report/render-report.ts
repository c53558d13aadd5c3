import type { ContainerBundle } from './container-bundle.js'
import type { TimelineEvent } from './timeline.js'

/** What one page of a report shows: a project's timeline, and for a failed test its bundle. */
export interface ReportPage {
  readonly project: string
  /** The test that failed, and its errors: the page is then that test's bundle. */
  readonly failure?: { readonly test: string; readonly errors: readonly string[] }
  readonly timeline: readonly TimelineEvent[]
  /** The merged configuration, as `config` prints it. */
  readonly config?: string
  readonly containers?: readonly ContainerBundle[]
  /** Values masked wherever they appear (secrets from the services' environments). */
  readonly secrets?: readonly string[]
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
const escape = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!)

/** Every secret replaced by `****`, longest first (one may contain another). */
function masker(secrets: readonly string[]): (text: string) => string {
  const sorted = [...new Set(secrets.filter((s) => s.length > 0))].sort((a, b) => b.length - a.length)
  return (text) => sorted.reduce((t, s) => t.split(s).join('****'), text)
}

/**
 * Pure: the page, one self-contained HTML file (no network, nothing to install): the timeline is
 * drawn by its own script from the events embedded in it, one row a service on one time axis,
 * and listed in a table; a failed test's page adds its errors, the configuration, and each
 * container's state, health checks, last log lines and the engine's inspect.
 */
export function renderReport(page: ReportPage): string {
  const mask = masker(page.secrets ?? [])
  const text = (s: string) => escape(mask(s))
  const start = page.timeline[0]?.at ?? 0
  const title = page.failure ? `${page.failure.test}: failed (project ${page.project})` : `project ${page.project}`
  const rows = page.timeline.map(
    (e) =>
      `<tr class="event" data-kind="${escape(e.kind)}"><td>+${e.at - start} ms</td><td>${text(e.service)}</td><td>${text(e.container ?? '')}</td><td>${text(e.kind)}</td><td>${text(e.detail ?? '')}</td></tr>`,
  )
  // In a script element, only `</script` and `<!--` could end it early: every `<` is escaped.
  const data = mask(JSON.stringify(page.timeline)).replace(/</g, '\\u003c')
  const sections = [
    page.failure &&
      `<section id="failure"><h2>Errors</h2>${page.failure.errors.map((e) => `<pre class="error">${text(e)}</pre>`).join('')}</section>`,
    `<section id="timeline"><h2>Timeline</h2><div id="chart"></div><table><thead><tr><th>time</th><th>service</th><th>container</th><th>what</th><th>detail</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`,
    page.containers &&
      `<section id="containers"><h2>Containers</h2>${page.containers.map((c) => containerSection(c, text)).join('')}</section>`,
    page.config !== undefined && `<section id="config"><h2>Configuration</h2><pre>${text(page.config)}</pre></section>`,
  ]
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${text(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${text(title)}</h1>
${sections.filter(Boolean).join('\n')}
<script type="application/json" id="events">${data}</script>
<script>${CHART}</script>
</body>
</html>
`
}

function containerSection(c: ContainerBundle, text: (s: string) => string): string {
  const state = [
    c.state,
    c.exitCode !== undefined ? `exit code ${c.exitCode}` : '',
    c.oomKilled ? 'killed: out of memory' : '',
  ].filter(Boolean)
  const checks = c.health.map(
    (h) => `<tr><td>${text(h.start)}</td><td>${h.exitCode}</td><td><pre>${text(h.output)}</pre></td></tr>`,
  )
  return `<article class="container" data-name="${text(c.name)}">
<h3>${text(c.name)} <small>(${text(c.service)}: ${text(state.join(', '))})</small></h3>
${checks.length > 0 ? `<h4>Health checks</h4><table class="health"><thead><tr><th>start</th><th>exit</th><th>output</th></tr></thead><tbody>${checks.join('')}</tbody></table>` : ''}
<h4>Logs (last ${c.logs.length} lines)</h4><pre class="logs">${text(c.logs.join('\n'))}</pre>
<details><summary>inspect</summary><pre>${text(JSON.stringify(c.inspect, null, 2))}</pre></details>
</article>`
}

const STYLE = `body{font:14px system-ui,sans-serif;margin:1.5em;color:#222}pre{background:#f6f6f6;padding:.5em;overflow:auto;white-space:pre-wrap}
table{border-collapse:collapse;margin:.5em 0}td,th{border-bottom:1px solid #ddd;padding:2px 8px;text-align:left;vertical-align:top}
.error{background:#fdecec}svg text{font:12px system-ui,sans-serif}`

/** Draws the events as an SVG: a row a service, a mark an event, its kind and time in its title. */
const CHART = `(function () {
  var events = JSON.parse(document.getElementById('events').textContent);
  if (events.length === 0) return;
  var services = [];
  events.forEach(function (e) { if (services.indexOf(e.service) < 0) services.push(e.service); });
  var start = events[0].at, span = Math.max(1, events[events.length - 1].at - start);
  var left = 160, width = 800, row = 28, ns = 'http://www.w3.org/2000/svg';
  var svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('width', String(left + width + 20));
  svg.setAttribute('height', String(services.length * row + 30));
  function add(parent, name, attributes, content) {
    var node = document.createElementNS(ns, name);
    Object.keys(attributes).forEach(function (k) { node.setAttribute(k, String(attributes[k])); });
    if (content !== undefined) node.textContent = content;
    parent.appendChild(node);
    return node;
  }
  services.forEach(function (service, i) {
    var g = add(svg, 'g', { 'class': 'row', 'data-service': service });
    var y = i * row + 18;
    add(g, 'text', { x: 0, y: y + 4 }, service);
    add(g, 'line', { x1: left, x2: left + width, y1: y, y2: y, stroke: '#ccc' });
    events.filter(function (e) { return e.service === service; }).forEach(function (e) {
      var bad = /failed|fault|removed/.test(e.kind) || (e.kind === 'exited' && e.detail !== 'code 0');
      var mark = add(g, 'circle', { 'class': 'mark', 'data-kind': e.kind, cx: left + ((e.at - start) / span) * width, cy: y, r: 5, fill: bad ? '#d62728' : '#1f77b4' });
      add(mark, 'title', {}, e.kind + ' +' + (e.at - start) + ' ms' + (e.detail ? ': ' + e.detail : ''));
    });
  });
  add(svg, 'text', { x: left, y: services.length * row + 24 }, '0 ms');
  add(svg, 'text', { x: left + width - 60, y: services.length * row + 24 }, span + ' ms');
  document.getElementById('chart').appendChild(svg);
})();`
