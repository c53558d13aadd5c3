/**
 * Pure: the order in which Go's YAML library (yaml.v3) writes a mapping's string keys: letters in
 * code order, runs of digits by their value (`a2` before `a10`), digits before letters where
 * neither follows a run of digits. `config --no-interpolate` prints a plain document, whose keys
 * come out in this order.
 */
export function goYamlKeyOrder(a: string, b: string): number {
  if (a === b) return 0
  return goYamlLess(a, b) ? -1 : 1
}

const isDigit = (c: string) => c >= '0' && c <= '9'
const isLetter = (c: string) => /\p{L}/u.test(c)

function goYamlLess(a: string, b: string): boolean {
  const ar = [...a]
  const br = [...b]
  let digits = false
  for (let i = 0; i < ar.length && i < br.length; i++) {
    const ac = ar[i]!
    const bc = br[i]!
    if (ac === bc) {
      digits = isDigit(ac)
      continue
    }
    const al = isLetter(ac)
    const bl = isLetter(bc)
    if (al && bl) return ac < bc
    if (al || bl) return digits ? al : bl
    return numberRunLess(ar, br, i)
  }
  return ar.length < br.length
}

/** Where the keys first differ on something other than a letter: by the value of the digits there. */
function numberRunLess(ar: string[], br: string[], i: number): boolean {
  let an = 0
  let bn = 0
  if (ar[i] === '0' || br[i] === '0') {
    for (let j = i - 1; j >= 0 && isDigit(ar[j]!); j--) {
      if (ar[j] !== '0') {
        an = 1
        bn = 1
        break
      }
    }
  }
  let ai = i
  let bi = i
  for (; ai < ar.length && isDigit(ar[ai]!); ai++) an = an * 10 + Number(ar[ai])
  for (; bi < br.length && isDigit(br[bi]!); bi++) bn = bn * 10 + Number(br[bi])
  if (an !== bn) return an < bn
  if (ai !== bi) return ai < bi
  return ar[i]! < br[i]!
}
