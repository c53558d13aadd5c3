// A failure the user can act on: its message says what is missing and how to get it.
export class ProvisionError extends Error {}
