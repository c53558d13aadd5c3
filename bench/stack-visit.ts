/** One test's work on the three-service stack: a request to its API through the published port, which stores and counts a visit. */
export async function visit(port: number): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${port}/visits`)
  if (!response.ok) throw new Error(`the stack's API answered ${response.status}: ${await response.text()}`)
}
