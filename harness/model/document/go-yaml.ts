import { yamlLibrary } from './yaml-library.js'

/**
 * A plain value as YAML the way Go's YAML library (yaml.v3, which Compose v2 prints with) writes
 * it: two-space indents, and a string quoted wherever YAML 1.1 or 1.2 would read it as something
 * else (`"y"`, `"on"`, `"0o17"`, a key `"n"`). `order` sorts each mapping's keys (as Go sorts a
 * map's); without it they stay in their order.
 */
export function goYaml(value: unknown, order?: (a: string, b: string) => number): string {
  const { Document, isScalar, visit } = yamlLibrary()
  const doc = new Document(value, {
    version: '1.1',
    ...(order && { sortMapEntries: (a, b) => order(String(a.key), String(b.key)) }),
  })
  visit(doc, {
    Scalar(_, node) {
      // YAML 1.2's octal form, which 1.1 reads as a string and yaml.v3 quotes all the same.
      if (isScalar(node) && typeof node.value === 'string' && /^0o[0-7]+$/.test(node.value)) node.type = 'QUOTE_DOUBLE'
    },
  })
  return doc.toString()
}
