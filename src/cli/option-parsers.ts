import { InvalidArgumentError } from 'commander';

/**
 * Commander option parsers: a bad value is refused while the command line is parsed, with the option
 * named, and ends in exit code 2 like every usage error.
 */
export function integerFrom(min: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isInteger(n) || n < min) {
      throw new InvalidArgumentError(`expected an integer of at least ${min}, got "${value}"`);
    }
    return n;
  };
}

export function fraction(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !(n >= 0 && n <= 1))
    throw new InvalidArgumentError(`expected a number from 0 to 1, got "${value}"`);
  return n;
}
