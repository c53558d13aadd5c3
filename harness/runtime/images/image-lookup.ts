import type { Engine } from '../engine/engine.js'

/** The ID of the image the engine has under `image`, asked now; '' when it has none. */
export function imageIdOf(engine: Engine, image: string): Promise<string> {
  return engine.container.dockerode
    .getImage(image)
    .inspect()
    .then(
      (i) => i.Id,
      () => '',
    )
}

/** Whether the engine has an image under `image`, asked now. */
export async function imageExists(engine: Engine, image: string): Promise<boolean> {
  return (await imageIdOf(engine, image)) !== ''
}

/**
 * One `up`'s answers to "which image has the engine under this name": each name is asked once,
 * though the pull policy, the build policy and the convergence's image IDs all ask it; a name this
 * `up` pulls or builds is forgotten, and asked again.
 */
export class ImageLookup {
  private readonly answers = new Map<string, Promise<string>>()

  constructor(private readonly engine: Engine) {}

  /** The ID of the image the engine has under `image`; '' when it has none. */
  id(image: string): Promise<string> {
    let answer = this.answers.get(image)
    if (!answer) {
      answer = imageIdOf(this.engine, image)
      this.answers.set(image, answer)
    }
    return answer
  }

  async has(image: string): Promise<boolean> {
    return (await this.id(image)) !== ''
  }

  /** What the engine has under `image` changes (it is being pulled or built): asked again next time. */
  forget(image: string): void {
    this.answers.delete(image)
  }
}
