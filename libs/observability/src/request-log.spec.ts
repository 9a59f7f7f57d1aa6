import { requestLog } from './request-log';

describe('requestLog', () => {
  it('keeps method, path, query parameter names and harmless headers, and no credential (only that one was sent)', () => {
    const logged = requestLog({
      id: 7,
      method: 'GET',
      url: '/v1/jobs?token=bko_secret1&limit=5',
      headers: {
        host: 'localhost',
        'user-agent': 'curl',
        authorization: 'Bearer bko_secret2',
        'x-api-key': 'bko_secret3',
        'proxy-authorization': 'Basic c2VjcmV0',
        cookie: 'session=secret4',
      },
    });
    expect(logged).toEqual({
      id: 7,
      method: 'GET',
      url: '/v1/jobs',
      queryParams: ['token', 'limit'],
      headers: { host: 'localhost', 'user-agent': 'curl', authorization: '[Redacted]' },
    });
    expect(JSON.stringify(logged)).not.toMatch(/secret|c2VjcmV0/);
  });
});
