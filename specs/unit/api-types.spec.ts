import { describe, expectTypeOf, it } from 'vitest'
import {
  Compose,
  type DownOptions,
  type SharedCompose,
  type StackLease,
  type StartedCompose,
  type UpOptions,
} from '../../harness/index.js'

// Checked by the compiler (`tsc --noEmit` runs before the specs): a `@ts-expect-error` that no
// longer meets an error fails the build.
describe('the public types of up', () => {
  it('gives handles typed by the service names given, and checks the names in its options', () => {
    const compose = Compose.fromFiles('compose.yml')
    const typed = () => compose.up<'web' | 'db'>()
    const untyped = () => compose.up()
    expectTypeOf(typed).returns.resolves.toEqualTypeOf<StartedCompose<'web' | 'db'>>()
    expectTypeOf(untyped).returns.resolves.toEqualTypeOf<StartedCompose<string>>()
    const misnamed = (): unknown => [
      // @ts-expect-error: not a service of the names given
      compose.up<'web'>({ waitFor: { nosuch: { port: 1 } } }),
      // @ts-expect-error: not a service of the names given
      compose.up<'web'>({ services: ['nosuch'] }),
      // @ts-expect-error: not a service of the names given
      compose.up<'web'>({ scale: { nosuch: 2 } }),
    ]
    expectTypeOf(misnamed).toBeFunction()
  })

  it('keeps the runtime’s own fields out of the options', () => {
    expectTypeOf<UpOptions>().not.toHaveProperty('session')
    expectTypeOf<UpOptions>().not.toHaveProperty('reapVolumes')
    expectTypeOf<UpOptions>().toHaveProperty('crashRemovesVolumes')
  })

  it('keeps what down reads of the files out of its options', () => {
    for (const own of ['hooks', 'resources', 'serviceImages', 'withDependents', 'nameSeparator'] as const)
      expectTypeOf<DownOptions>().not.toHaveProperty(own)
    expectTypeOf<DownOptions>().toHaveProperty('rmi')
    expectTypeOf<DownOptions>().toHaveProperty('onNothingFound')
  })

  it('types a shared stack, its turns and scale as up types a project', () => {
    const compose = Compose.fromFiles('compose.yml')
    const shared = () => compose.upShared<'web' | 'db'>()
    expectTypeOf(shared).returns.resolves.toEqualTypeOf<SharedCompose<'web' | 'db'>>()
    expectTypeOf<SharedCompose<'web'>['lease']>().returns.resolves.toEqualTypeOf<StackLease<'web'>>()
    const misnamed = (project: StartedCompose<'web'>): unknown => [
      // @ts-expect-error: not a service of the names given
      project.scale('nosuch', 2),
      // @ts-expect-error: not a service of the names given
      compose.upShared<'web'>({ services: ['nosuch'] }),
    ]
    expectTypeOf(misnamed).toBeFunction()
  })
})
