import { AppError, ERROR_STATUS, NotFoundError, ValidationError, isAppError } from './app-error';

describe('AppError', () => {
  it('maps each contract code to its HTTP status', () => {
    expect(new AppError('payload_too_large', 'too big').status).toBe(413);
    expect(new ValidationError('bad').status).toBe(400);
    expect(new NotFoundError('gone').code).toBe('not_found');
    expect(Object.keys(ERROR_STATUS)).toHaveLength(10);
  });

  it('keeps details and is recognised by isAppError', () => {
    const error = new ValidationError('limit out of range', [{ path: ['limit'] }]);
    expect(error.details).toEqual([{ path: ['limit'] }]);
    expect(error.name).toBe('ValidationError');
    expect(isAppError(error)).toBe(true);
    expect(isAppError(new Error('plain'))).toBe(false);
  });
});
