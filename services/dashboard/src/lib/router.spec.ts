import { href, parseRoute } from './router';

describe('dashboard routes', () => {
  it('reads back every link it makes, ids and type names included as written', () => {
    const id = 'a1b2/c3 d4';
    expect(parseRoute(href.jobs())).toEqual({ page: 'jobs' });
    expect(parseRoute(href.job(id))).toEqual({ page: 'job', id });
    expect(parseRoute(href.import())).toEqual({ page: 'import' });
    expect(parseRoute(href.objects())).toEqual({ page: 'objects', type: null });
    expect(parseRoute(href.objects('agent-profile'))).toEqual({
      page: 'objects',
      type: 'agent-profile',
    });
    expect(parseRoute(href.queues())).toEqual({ page: 'queues' });
  });

  it('opens the job list for an empty or unknown address', () => {
    for (const hash of ['', '#', '#/', '#/nowhere', '#/nowhere/else'])
      expect(parseRoute(hash)).toEqual({ page: 'jobs' });
  });
});
