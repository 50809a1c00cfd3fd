import { z } from 'zod';
import { ConfigError, envFlag, envOptionalPositiveInt, envOptionalString, parseEnv } from './env';

describe('environment parsing', () => {
  const schema = z.object({
    FLAG: envFlag.default(false),
    COUNT: envOptionalPositiveInt,
    NAME: envOptionalString.optional(),
  });

  it('reads flags, optional numbers and strings, treating empty as unset', () => {
    expect(parseEnv(schema, { FLAG: 'YES', COUNT: '12', NAME: ' x ' })).toEqual({ FLAG: true, COUNT: 12, NAME: 'x' });
    expect(parseEnv(schema, { FLAG: '', COUNT: '', NAME: '' })).toEqual({ FLAG: false, COUNT: undefined, NAME: undefined });
    expect(parseEnv(schema, {})).toEqual({ FLAG: false });
  });

  it('lists every bad variable in one ConfigError', () => {
    try {
      parseEnv(schema, { FLAG: 'maybe', COUNT: '-3' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems.map((problem) => problem.split(':')[0])).toEqual(['FLAG', 'COUNT']);
      expect((error as ConfigError).message).toMatch(/^Invalid configuration:\n {2}- FLAG:/);
    }
  });
});
