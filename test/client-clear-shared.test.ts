import { describe, expect, it, vi } from 'vitest'
import { TokenClient } from '../src/client.js'
import type { TokenStore } from '../src/store.js'

const TENANT = 'f6aba1d9-da41-4ea3-8f30-4970725586a8'
const CLIENT_ID = '55b2a7ec-73f3-45c2-af08-21ecc33dc40e'

function memoryStore(): TokenStore & { clear: ReturnType<typeof vi.fn> } {
  return {
    get: async () => undefined,
    set: async () => undefined,
    delete: async () => undefined,
    clear: vi.fn(async () => undefined),
  } as unknown as TokenStore & { clear: ReturnType<typeof vi.fn> }
}

function clientWith(store: TokenStore) {
  return new TokenClient({
    tenant: TENANT,
    clientId: CLIENT_ID,
    credential: { clientSecret: 'test-secret-value' },
    cache: { store },
  })
}

describe('clearCache({ shared: true })', () => {
  it("asks the shared store to delete this client's entries, named by authority and client id", async () => {
    const store = memoryStore()
    await clientWith(store).clearCache({ shared: true })
    expect(store.clear).toHaveBeenCalledTimes(1)
    const [prefix] = store.clear.mock.calls[0] as [string]
    expect(prefix).toContain(CLIENT_ID)
    expect(prefix).toContain('login.microsoftonline.com')
  })

  it('leaves the shared store alone without the option', () => {
    const store = memoryStore()
    expect(clientWith(store).clearCache()).toBeUndefined()
    expect(store.clear).not.toHaveBeenCalled()
  })

  it('never rejects when the store fails to clear', async () => {
    const store = memoryStore()
    store.clear.mockRejectedValueOnce(new Error('connection lost'))
    await expect(clientWith(store).clearCache({ shared: true })).resolves.toBeUndefined()
  })

  it('refuses options it does not know, naming them', () => {
    const store = memoryStore()
    expect(() => clientWith(store).clearCache({ shraed: true } as unknown as { shared: boolean })).toThrow(
      /shraed/,
    )
  })
})
