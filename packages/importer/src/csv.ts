/**
 * RFC 4180 CSV, incrementally: quoted fields with "" escapes and embedded newlines, CRLF / LF / CR
 * line ends, comma / tab / semicolon delimiters. Lenient where Excel is lenient (a quote inside an
 * unquoted field is a literal; text after a closing quote is kept). Every record is yielded, also
 * empty lines (as ['']), so that record n is spreadsheet row n.
 */

export type Delimiter = ',' | '\t' | ';';

const QUOTE = 34;
const LF = 10;
const CR = 13;

const enum State {
  FieldStart,
  Unquoted,
  Quoted,
  QuoteInQuoted,
}

export class CsvParser {
  private state = State.FieldStart;
  private field = '';
  private record: string[] = [];
  private started = false;
  private skipLf = false;
  private readonly delim: number;
  /** A guard against a stray quote swallowing the rest of a huge file. */
  private readonly maxFieldChars: number;

  constructor(delimiter: Delimiter = ',', maxFieldChars = 1 << 20) {
    this.delim = delimiter.charCodeAt(0);
    this.maxFieldChars = maxFieldChars;
  }

  /** Feed a chunk of text; returns the records completed by it. */
  push(chunk: string, out: string[][] = []): string[][] {
    const n = chunk.length;
    const delim = this.delim;
    let i = 0;
    if (this.skipLf && n > 0) {
      if (chunk.charCodeAt(0) === LF) i = 1;
      this.skipLf = false;
    }
    while (i < n) {
      const state = this.state;
      if (state === State.FieldStart || state === State.Unquoted) {
        if (state === State.FieldStart && chunk.charCodeAt(i) === QUOTE) {
          this.state = State.Quoted;
          this.started = true;
          i++;
          continue;
        }
        // fast scan of an unquoted run
        let j = i;
        while (j < n) {
          const c = chunk.charCodeAt(j);
          if (c === delim || c === LF || c === CR) break;
          j++;
        }
        if (j > i) {
          this.field += chunk.slice(i, j);
          this.started = true;
          this.state = State.Unquoted;
          if (this.field.length > this.maxFieldChars) throw new CsvFieldTooLong();
        }
        if (j === n) return out;
        const c = chunk.charCodeAt(j);
        this.started = true;
        if (c === delim) {
          this.endField();
          i = j + 1;
        } else {
          this.endRecord(out);
          if (c === CR) {
            if (j + 1 < n) {
              i = chunk.charCodeAt(j + 1) === LF ? j + 2 : j + 1;
            } else {
              this.skipLf = true;
              i = j + 1;
            }
          } else i = j + 1;
        }
      } else if (state === State.Quoted) {
        const q = chunk.indexOf('"', i);
        if (q === -1) {
          this.field += chunk.slice(i);
          if (this.field.length > this.maxFieldChars) throw new CsvFieldTooLong();
          return out;
        }
        this.field += chunk.slice(i, q);
        this.state = State.QuoteInQuoted;
        i = q + 1;
      } else {
        // QuoteInQuoted: the previous character closed the quote, or starts an escaped quote
        const c = chunk.charCodeAt(i);
        if (c === QUOTE) {
          this.field += '"';
          this.state = State.Quoted;
          i++;
        } else {
          this.state = State.Unquoted; // the delimiter / newline is handled by the unquoted branch
        }
      }
    }
    return out;
  }

  /** Flush the last record (a file need not end with a newline). */
  end(out: string[][] = []): string[][] {
    if (this.started) this.endRecord(out);
    return out;
  }

  private endField(): void {
    this.record.push(this.field);
    this.field = '';
    this.state = State.FieldStart;
  }

  private endRecord(out: string[][]): void {
    this.record.push(this.field);
    out.push(this.record);
    this.record = [];
    this.field = '';
    this.state = State.FieldStart;
    this.started = false;
  }
}

export class CsvFieldTooLong extends Error {
  constructor() {
    super('A CSV field exceeds the size limit (an unterminated quote?)');
  }
}

/** Guess the delimiter from the first line: tab or semicolon when they clearly outnumber commas. */
export function detectDelimiter(sample: string): Delimiter {
  const nl = sample.search(/[\r\n]/);
  const line = nl === -1 ? sample : sample.slice(0, nl);
  const count = (ch: string): number => line.split(ch).length - 1;
  const commas = count(',');
  const tabs = count('\t');
  const semis = count(';');
  if (tabs > commas && tabs >= semis) return '\t';
  if (semis > commas && semis > tabs) return ';';
  return ',';
}

/** Parse records from a stream of text chunks. */
export async function* parseCsvChunks(
  chunks: AsyncIterable<string>,
  delimiter?: Delimiter,
): AsyncGenerator<string[]> {
  let parser: CsvParser | undefined = delimiter ? new CsvParser(delimiter) : undefined;
  const out: string[][] = [];
  for await (const chunk of chunks) {
    parser ??= new CsvParser(detectDelimiter(chunk));
    parser.push(chunk, out);
    if (out.length) {
      for (const r of out) yield r;
      out.length = 0;
    }
  }
  if (parser) {
    parser.end(out);
    for (const r of out) yield r;
  }
}

/** Parse a whole string (tests, small files). */
export function parseCsv(text: string, delimiter: Delimiter = ','): string[][] {
  const p = new CsvParser(delimiter);
  const out = p.push(text);
  return p.end(out);
}

/** Write a table as CSV (CRLF, quoting only where needed) such that parseCsv reads it back identically. */
export function writeCsv(rows: readonly (readonly string[])[], delimiter: Delimiter = ','): string {
  const needs = new RegExp(`["\\r\\n${delimiter === '\t' ? '\\t' : delimiter}]`);
  let s = '';
  for (const row of rows) {
    if (row.length === 1 && row[0] === '') {
      s += '""\r\n';
      continue;
    }
    s += row
      .map((f) => (needs.test(f) || f.startsWith('"') ? `"${f.replace(/"/g, '""')}"` : f))
      .join(delimiter);
    s += '\r\n';
  }
  return s;
}
