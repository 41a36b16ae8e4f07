import { SonoError } from '../common/errors';

/**
 * A small argv parser for the `sonoseg` commands: `--name value`, `--flag`, `--name=value` and
 * positionals. Unknown options are an INVALID_ARGUMENT error, so a typo never passes silently.
 */
export interface ParsedArgs {
  positionals: string[];
  options: Record<string, string | true>;
  /** the values of each list option, in the order given (none given: absent) */
  lists: Record<string, string[]>;
}

export interface OptionSpec {
  /** options that take a value */
  values?: string[];
  /** options that are plain flags */
  flags?: string[];
  /** options that take a value and may be given more than once (`--add-train a --add-train b`) */
  lists?: string[];
}

export function parseArgs(argv: string[], spec: OptionSpec): ParsedArgs {
  const values = new Set(spec.values ?? []);
  const flags = new Set(spec.flags ?? []);
  const lists = new Set(spec.lists ?? []);
  const out: ParsedArgs = { positionals: [], options: {}, lists: {} };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--') || arg === '--') {
      if (arg !== '--') out.positionals.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (flags.has(name)) {
      out.options[name] = true;
    } else if (values.has(name) || lists.has(name)) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new SonoError('INVALID_ARGUMENT', `--${name} needs a value`);
      if (lists.has(name)) (out.lists[name] ??= []).push(value);
      else out.options[name] = value;
    } else {
      throw new SonoError('INVALID_ARGUMENT', `unknown option --${name}`);
    }
  }
  return out;
}

export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const v = args.options[name];
  return typeof v === 'string' ? v : undefined;
}

export function numberOption(args: ParsedArgs, name: string, fallback: number, check?: (n: number) => boolean): number {
  const v = stringOption(args, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || (check && !check(n))) throw new SonoError('INVALID_ARGUMENT', `--${name} ${v} is not a valid number here`);
  return n;
}
