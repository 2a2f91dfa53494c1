/** Writes one line to the test run's standard output. */
export function report(line: string): void;
