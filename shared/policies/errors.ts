/** A policy file that does not parse, or does not fit the tools' schema: named by file and line, so synth and `npm start` say where. */
export class PolicyFileError extends Error {
  readonly file: string;
  readonly line: number;
  constructor(file: string, line: number, detail: string) {
    super(`${file}:${line}: ${detail}`);
    this.name = 'PolicyFileError';
    this.file = file;
    this.line = line;
  }
}
