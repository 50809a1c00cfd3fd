import {
  DatabaseAvailability,
  DatabaseUnreachableError,
  isConnectionError,
  retryWhileUnreachable,
  type AvailabilityEvent,
} from './availability';

function pgError(code: string, message = 'server said no'): Error {
  return Object.assign(new Error(message), { code, severity: 'FATAL' });
}

/** What Drizzle throws: its own message with the statement and every parameter, the driver's error as cause. */
function drizzleError(cause: Error): Error {
  return Object.assign(new Error('Failed query: insert into events ...\nparams: secret'), { query: 'insert', params: ['secret'], cause });
}

const waitFor = async (condition: () => boolean, ms = 2000): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

describe('isConnectionError', () => {
  it.each([
    ['57P01 admin shutdown', pgError('57P01', 'terminating connection due to administrator command')],
    ['57P02 crash shutdown', pgError('57P02')],
    ['57P03 cannot connect now', pgError('57P03', 'the database system is shutting down')],
    ['08006 connection failure', pgError('08006')],
    ['08P01 protocol violation', pgError('08P01')],
    ['ECONNREFUSED', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['ECONNRESET', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
    ['Connection terminated unexpectedly', new Error('Connection terminated unexpectedly')],
    ['a dead client', new Error('Client was closed and is not queryable')],
    ['pool connect timeout', new Error('timeout exceeded when trying to connect')],
    ['wrapped by Drizzle', drizzleError(pgError('57P01'))],
  ])('recognises %s', (_name, error) => {
    expect(isConnectionError(error)).toBe(true);
  });

  it.each([
    ['a unique violation', pgError('23505', 'duplicate key value')],
    ['a syntax error wrapped by Drizzle', drizzleError(pgError('42601'))],
    ['a plain error', new Error('boom')],
    ['not an error', 'Connection terminated'],
    ['an AppError-like code', Object.assign(new Error('x'), { code: 'not_found' })],
  ])('does not take %s for a lost connection', (_name, error) => {
    expect(isConnectionError(error)).toBe(false);
  });
});

describe('DatabaseAvailability', () => {
  it('ignores errors that are not about the connection', () => {
    const probe = jest.fn(async () => undefined);
    const availability = new DatabaseAvailability(probe);
    expect(availability.report(pgError('23505'))).toBe(false);
    expect(probe).not.toHaveBeenCalled();
    expect(availability.available).toBe(true);
  });

  it('stays available when a fresh connection works (one dead client is not an outage)', async () => {
    const probe = jest.fn(async () => undefined);
    const availability = new DatabaseAvailability(probe);
    expect(availability.report(new Error('Connection terminated unexpectedly'))).toBe(true);
    await waitFor(() => probe.mock.calls.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(availability.available).toBe(true);
  });

  it('goes down when the probe fails too, and comes back by itself once a probe succeeds', async () => {
    let serverUp = false;
    const probe = jest.fn(async () => {
      if (!serverUp) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    });
    const availability = new DatabaseAvailability(probe, { probeIntervalMs: 10 });
    const events: AvailabilityEvent[] = [];
    availability.onChange((event) => events.push(event));

    availability.report(pgError('57P01'));
    await waitFor(() => !availability.available);
    expect(availability.unavailableForMs()).toBeGreaterThanOrEqual(0);
    // Reports while down do not start more probes than the timer's.
    availability.report(pgError('57P01'));
    await waitFor(() => probe.mock.calls.length >= 3);
    expect(availability.available).toBe(false);

    serverUp = true;
    await waitFor(() => availability.available);
    expect(availability.unavailableForMs()).toBeNull();
    expect(events.map((event) => event.state)).toEqual(['unavailable', 'available']);
    availability.close();
  });

  it('stops probing once closed', async () => {
    const probe = jest.fn(async () => {
      throw pgError('57P03');
    });
    const availability = new DatabaseAvailability(probe, { probeIntervalMs: 10 });
    availability.report(pgError('57P01'));
    await waitFor(() => !availability.available);
    availability.close();
    const calls = probe.mock.calls.length;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(probe.mock.calls.length).toBeLessThanOrEqual(calls + 1);
  });

  it('without a probe (embedded engine) never goes down', () => {
    const availability = new DatabaseAvailability(null);
    expect(availability.report(pgError('57P01'))).toBe(true);
    expect(availability.available).toBe(true);
  });
});

describe('retryWhileUnreachable', () => {
  it('retries an unreachable database with growing delays until it answers', async () => {
    let calls = 0;
    const delays: number[] = [];
    const result = await retryWhileUnreachable(
      async () => {
        calls++;
        if (calls < 4) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
        return 'migrated';
      },
      { limitMs: 5000, initialDelayMs: 5, maxDelayMs: 15, onRetry: ({ delayMs }) => delays.push(delayMs) },
    );
    expect(result).toBe('migrated');
    expect(delays).toEqual([5, 10, 15]);
  });

  it('gives up after the limit, naming the driver message but not the statement', async () => {
    const failing = () => Promise.reject(drizzleError(pgError('57P03', 'the database system is starting up')));
    const error = await retryWhileUnreachable(failing, { limitMs: 30, initialDelayMs: 5 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseUnreachableError);
    expect((error as Error).message).toMatch(/could not be reached in 0 s \(\d+ attempts\): the database system is starting up/);
    expect((error as Error).message).not.toContain('secret');
  });

  it('does not retry other failures', async () => {
    const task = jest.fn(() => Promise.reject(pgError('42P01', 'relation does not exist')));
    await expect(retryWhileUnreachable(task, { limitMs: 5000 })).rejects.toThrow('relation does not exist');
    expect(task).toHaveBeenCalledTimes(1);
  });

  it('with a limit of 0 tries once', async () => {
    const task = jest.fn(() => Promise.reject(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })));
    await expect(retryWhileUnreachable(task, { limitMs: 0 })).rejects.toBeInstanceOf(DatabaseUnreachableError);
    expect(task).toHaveBeenCalledTimes(1);
  });
});
