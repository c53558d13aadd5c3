/**
 * Pure: whether Go's YAML library (yaml.v3, Compose v2's writer) would read `text`, written plain,
 * as something other than a string, and so writes it in double quotes: null (`""`, `~`, `null`),
 * a boolean of YAML 1.2 (`true`) or 1.1 (`y`, `on`, `NO`), a number as Go's `ParseInt` (base 0:
 * `0x1F`, `017`, `0b101`, `1_000`) or `ParseFloat` of YAML's float form reads it, `.inf`, `.nan`,
 * a sexagesimal number (`1:20`) or a timestamp (`2001-12-14`). (Its merge key `<<` it reads as a
 * string here: it looks words up only after a letter, a digit, a sign, `.` or `~`.)
 */
export function yamlV3ReadsAsOther(text: string): boolean {
  if (OTHER_WORDS.has(text) || OLD_BOOLS.has(text) || BASE_60.test(text)) return true
  const first = text[0]!
  if (first === '.') return FLOAT.test(text)
  if (!/[-+0-9]/.test(first)) return false
  if (isTimestamp(text)) return true
  const plain = text.replaceAll('_', '')
  return INTEGER.test(plain) || FLOAT.test(plain)
}

const OTHER_WORDS = new Set([
  '',
  '~',
  'null',
  'Null',
  'NULL',
  'true',
  'True',
  'TRUE',
  'false',
  'False',
  'FALSE',
  '.nan',
  '.NaN',
  '.NAN',
  ...['', '+', '-'].flatMap((sign) => ['.inf', '.Inf', '.INF'].map((inf) => `${sign}${inf}`)),
])

const OLD_BOOLS = new Set(
  ['y', 'yes', 'on', 'n', 'no', 'off'].flatMap((w) => [w, w[0]!.toUpperCase() + w.slice(1), w.toUpperCase()]),
)

const BASE_60 = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/

/** Go's `ParseInt`/`ParseUint` in base 0, and yaml.v3's own `0b`, `0o` forms. */
const INTEGER = /^[-+]?(?:[0-9]+|0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+)$/

/** yaml.v3's float form (its `yamlStyleFloat`), which it then reads with `ParseFloat`. */
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/

/** yaml.v3's timestamps: four digits, a dash, then a date, maybe with a time. */
function isTimestamp(text: string): boolean {
  const date = /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})/.exec(text)
  if (!date) return false
  const time = text.slice(date[0].length)
  const valid = Number(date[2]) >= 1 && Number(date[2]) <= 12 && Number(date[3]) >= 1 && Number(date[3]) <= 31
  return (
    valid &&
    (time === '' || /^[Tt ][0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]+)?(?:Z|[-+][0-9]{2}:[0-9]{2})?$/.test(time))
  )
}
