import { describe, expect, it } from 'vitest'
import { sideBySideCollisions } from '../../../harness/model/project/side-by-side.js'
import { loadInline } from '../support/load-inline.js'

const collisions = (yaml: string) => sideBySideCollisions(loadInline(yaml).project)

describe('what two projects of the same files, up at once, would collide with', () => {
  it('is nothing when every engine object is named after the project', () => {
    expect(
      collisions(
        'services:\n  web:\n    image: w\n    ports: ["8080", "127.0.0.1::9090"]\n    networks: [front]\n    volumes: [data:/d]\n' +
          'networks:\n  front: {}\n  shared:\n    external: true\n    name: team-net\nvolumes:\n  data: {}\n',
      ),
    ).toEqual([])
  })

  it('names a fixed container name, host port, host network, and the host ports of a range', () => {
    expect(
      collisions(
        'services:\n  web:\n    image: w\n    container_name: the-web\n    ports: ["8080:80", "9000-9001:9000-9001"]\n  cache:\n    image: c\n    network_mode: host\n',
      ),
    ).toEqual([
      'service "web": container_name the-web',
      'service "web": host port 8080',
      'service "web": host port 9000',
      'service "web": host port 9001',
      'service "cache": network_mode host',
    ])
  })

  it("names a network or volume named apart from the project, and a network's own subnet", () => {
    expect(
      collisions(
        'services:\n  web:\n    image: w\n    networks: [front, back]\n    volumes: [data:/d]\n' +
          'networks:\n  front:\n    name: fixed-front\n  back:\n    ipam:\n      config:\n        - subnet: 172.28.0.0/16\n' +
          'volumes:\n  data:\n    name: fixed-data\n',
      ),
    ).toEqual(['network "front": name fixed-front', 'network "back": ipam config', 'volume "data": name fixed-data'])
  })
})
