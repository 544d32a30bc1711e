import { describe, expect, it } from 'vitest'
import { redactForm, redactQuery } from '../../../src/testing/http/request-log.js'

const SECRET = 'Rl8Q~request.log_client-secret~1a2b3c'
const fields = (entries: Array<[string, string]>) => new Map(entries)

describe('redactForm', () => {
  it('keeps the public fields of a token request as they were sent', () => {
    const public_ = {
      grant_type: 'client_credentials',
      client_id: '55b2a7ec-73f3-45c2-af08-21ecc33dc40e',
      scope: 'api://myapis/mywebapi/.default',
      resource: 'https://graph.microsoft.com',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    }
    expect(redactForm(fields(Object.entries(public_)))).toEqual(public_)
  })

  it('redacts the values of client_secret and client_assertion', () => {
    expect(
      redactForm(
        fields([
          ['client_secret', SECRET],
          ['client_assertion', 'a.b.c'],
        ]),
      ),
    ).toEqual({
      client_secret: '[redacted]',
      client_assertion: '[redacted]',
    })
  })

  it.each([
    ['a ; separator', `x;client_secret=${SECRET}`],
    ['a line break', `x\nclient_secret=${SECRET}`],
    ['an = sign', `x client_secret=${SECRET}`],
    ['a JSON quote', `x","client_secret":"${SECRET}`],
  ])('redacts a public field whose value holds %s (another field run into it)', (_name, value) => {
    expect(redactForm(fields([['client_id', value]]))).toEqual({ client_id: '[redacted]' })
  })

  it('never logs the name nor the value of a field it does not know, only how many there were', () => {
    const logged = redactForm(
      fields([
        [`{"client_secret":"${SECRET}"}`, ''],
        ['Client_Secret', SECRET],
        [SECRET, '1'],
        ['scope', 'openid'],
      ]),
    )
    expect(logged).toEqual({ scope: 'openid', '[other fields]': '[3 redacted]' })
    expect(JSON.stringify(logged)).not.toContain(SECRET)
  })
})

describe('redactQuery', () => {
  it('keeps the query of instance discovery', () => {
    const query =
      'api-version=1.1&authorization_endpoint=https%3A%2F%2Flogin.microsoftonline.com%2Fcommon%2Foauth2%2Fv2.0%2Fauthorize'
    expect(redactQuery(query)).toBe(query)
  })

  it('redacts credentials and unknown fields sent in a query string', () => {
    expect(redactQuery(`client_secret=${SECRET}&scope=openid&${SECRET}`)).toBe(
      'client_secret=%5Bredacted%5D&scope=openid&%5Bother+fields%5D=%5B1+redacted%5D',
    )
  })

  it('leaves an empty query empty', () => {
    expect(redactQuery('')).toBe('')
  })
})
