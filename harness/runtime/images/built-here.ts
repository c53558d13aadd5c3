/**
 * The images this process built with the classic builder, by tag: Compose v2 gives those no project
 * label (only `com.docker.compose.image.builder=classic`), so a throwaway project knows its own
 * tags from the image each one names (throwaway-images.ts), never a user's image of that name.
 */
const built = new Map<string, string>()

/** `image` was just built by this process, as image `id`. */
export function builtHere(image: string, id: string): void {
  built.set(image, id)
}

/** Whether `image` names the image this process built under it (`id`), and nothing built since. */
export function isBuiltHere(image: string, id: string): boolean {
  return built.get(image) === id
}
