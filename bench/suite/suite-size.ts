/** How many tests each benchmark suite has, each with a project of its own. */
export const SUITE_TESTS = 20
