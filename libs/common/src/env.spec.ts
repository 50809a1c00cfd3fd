import { z } from 'zod';
import { ConfigError, envFlag, envOptionalPositiveInt, envOptionalString, loadConfigOrExit, parseEnv } from './env';

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

describe('loadConfigOrExit', () => {
  const schema = z.object({ PORT: z.coerce.number().int().min(0), LOG_LEVEL: z.enum(['info', 'warn']).default('info') });
  const io = () => {
    const written: string[] = [];
    const exit = jest.fn((code: number): never => {
      throw new Error(`exit ${code}`);
    });
    return { written, exit, write: (text: string) => void written.push(text) };
  };

  it('returns the parsed config when the environment is valid, writing nothing', () => {
    const stub = io();
    expect(loadConfigOrExit(schema, { PORT: '8000' }, stub)).toEqual({ PORT: 8000, LOG_LEVEL: 'info' });
    expect(stub.written).toEqual([]);
    expect(stub.exit).not.toHaveBeenCalled();
  });

  it('prints every invalid variable by name and exits 2', () => {
    const stub = io();
    expect(() => loadConfigOrExit(schema, { PORT: 'eighty', LOG_LEVEL: 'loud' }, stub)).toThrow('exit 2');
    expect(stub.exit).toHaveBeenCalledWith(2);
    expect(stub.written.join('')).toMatch(/^Invalid configuration:\n {2}- PORT: .*\n {2}- LOG_LEVEL: .*\n$/);
  });

  it('names the variable of a check that spans several, and lets other errors through', () => {
    const stub = io();
    const crossChecked = schema.superRefine((env, ctx) => {
      if (env.PORT === 0) ctx.addIssue({ code: 'custom', path: ['PORT'], message: 'must not be 0 with LOG_LEVEL=info' });
    });
    expect(() => loadConfigOrExit(crossChecked, { PORT: '0' }, stub)).toThrow('exit 2');
    expect(stub.written.join('')).toContain('  - PORT: must not be 0 with LOG_LEVEL=info\n');
    const broken = z.object({}).transform(() => {
      throw new TypeError('a bug, not a bad variable');
    });
    const untouched = io();
    expect(() => loadConfigOrExit(broken, {}, untouched)).toThrow(TypeError);
    expect(untouched.exit).not.toHaveBeenCalled();
  });
});
