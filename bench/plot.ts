// A small SVG line chart, written beside results.md, for figures people would rather look at than read.

export interface Series {
  readonly label: string
  readonly colour: string
  /** [x, y] points, in the chart's units. */
  readonly points: readonly (readonly [number, number])[]
}

export interface Panel {
  readonly title: string
  readonly series: readonly Series[]
}

const WIDTH = 420
const HEIGHT = 300
const MARGIN = { left: 50, right: 16, top: 30, bottom: 40 }

/** Panels side by side, sharing an x axis label and a legend; y from 0 to each panel's largest value. */
export function lineChart(panels: readonly Panel[], xLabel: string, yLabel: string): string {
  const body = panels.map(
    (panel, i) => `<g transform="translate(${i * WIDTH},0)">${drawPanel(panel, xLabel, yLabel)}</g>`,
  )
  // Each entry as wide as its label (about 7 px a character at 12 px), so that none overlaps the next.
  let x = MARGIN.left
  const legend = panels[0]!.series.map((s) => {
    const entry =
      `<g transform="translate(${x},${HEIGHT + 8})"><rect width="14" height="4" y="5" fill="${s.colour}"/>` +
      `<text x="20" y="12">${escape(s.label)}</text></g>`
    x += 20 + s.label.length * 7 + 16
    return entry
  })
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${panels.length * WIDTH}" height="${HEIGHT + 30}" ` +
    `font-family="sans-serif" font-size="12"><rect width="100%" height="100%" fill="white"/>${body.join('')}${legend.join('')}</svg>\n`
  )
}

function drawPanel(panel: Panel, xLabel: string, yLabel: string): string {
  const xs = panel.series.flatMap((s) => s.points.map(([x]) => x))
  const maxX = Math.max(...xs)
  const maxY = niceCeiling(Math.max(...panel.series.flatMap((s) => s.points.map(([, y]) => y))))
  const plotW = WIDTH - MARGIN.left - MARGIN.right
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom
  const px = (x: number) => MARGIN.left + (x / maxX) * plotW
  const py = (y: number) => MARGIN.top + plotH - (y / maxY) * plotH
  const ticksY = [0, 0.25, 0.5, 0.75, 1].map((f) => f * maxY)
  const ticksX = [...new Set(xs)].sort((a, b) => a - b)
  const grid = ticksY.map(
    (y) =>
      `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${py(y)}" y2="${py(y)}" stroke="#ddd"/>` +
      `<text x="${MARGIN.left - 6}" y="${py(y) + 4}" text-anchor="end">${trim(y)}</text>`,
  )
  const xTicks = ticksX.map(
    (x) => `<text x="${px(x)}" y="${MARGIN.top + plotH + 16}" text-anchor="middle">${trim(x)}</text>`,
  )
  const lines = panel.series.map(
    (s) =>
      `<polyline fill="none" stroke="${s.colour}" stroke-width="2" points="${s.points.map(([x, y]) => `${px(x)},${py(y)}`).join(' ')}"/>` +
      s.points.map(([x, y]) => `<circle cx="${px(x)}" cy="${py(y)}" r="3" fill="${s.colour}"/>`).join(''),
  )
  return [
    `<text x="${MARGIN.left}" y="18" font-weight="bold">${escape(panel.title)}</text>`,
    ...grid,
    ...xTicks,
    `<text x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 6}" text-anchor="middle">${escape(xLabel)}</text>`,
    `<text transform="translate(12,${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escape(yLabel)}</text>`,
    ...lines,
  ].join('')
}

/** The smallest of 1, 2 or 5 times a power of ten that is at least `value`. */
function niceCeiling(value: number): number {
  if (value <= 0) return 1
  const power = 10 ** Math.floor(Math.log10(value))
  return [1, 2, 5, 10].map((m) => m * power).find((v) => v >= value)!
}

const trim = (n: number): string => String(Number(n.toFixed(2)))
const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;')
