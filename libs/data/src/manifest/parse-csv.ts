import { DataError } from '@omnitrain/core';

/** One CSV record: its fields and the 1-based line where it starts. */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/**
 * Parses CSV text per RFC 4180: fields separated by commas, records by CRLF, LF or CR; a field in
 * double quotes may hold commas, line breaks and doubled quotes (`""` is one `"`). A leading
 * UTF-8 BOM is skipped and blank lines are ignored. A quote inside an unquoted field is kept as
 * a literal character (as Python's csv module does); text after a closing quote is an error.
 *
 * @param text The CSV text.
 * @param file The file name used in error messages (default `"<csv>"`).
 * @returns The records in order, each with the line it starts on.
 * @throws DataError on an unterminated quoted field or text after a closing quote, naming the line.
 * @example
 * parseCsv('a,b\n"x, ""y""",2\n') // [{ line: 1, fields: ['a','b'] }, { line: 2, fields: ['x, "y"','2'] }]
 */
export function parseCsv(text: string, file = '<csv>'): CsvRecord[] {
  const records: CsvRecord[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  while (i < text.length) {
    const start = line;
    const fields: string[] = [];
    for (;;) {
      const field = readField(text, i, line, file);
      fields.push(field.value);
      i = field.end;
      line = field.line;
      if (text[i] !== ',') break;
      i++;
    }
    i = skipLineBreak(text, i);
    line++;
    if (!(fields.length === 1 && fields[0] === '')) records.push({ line: start, fields });
  }
  return records;
}

interface FieldRead {
  value: string;
  /** Index of the character after the field: a comma, a line break or the end. */
  end: number;
  /** The line that index is on. */
  line: number;
}

function readField(text: string, at: number, line: number, file: string): FieldRead {
  if (text[at] !== '"') {
    let end = at;
    while (end < text.length && text[end] !== ',' && text[end] !== '\n' && text[end] !== '\r') end++;
    return { value: text.slice(at, end), end, line };
  }
  let value = '';
  let i = at + 1;
  let l = line;
  for (;;) {
    const close = text.indexOf('"', i);
    if (close < 0) {
      throw new DataError({
        op: 'data.parseCsv',
        expected: 'a closing quote for the quoted field',
        received: 'the end of the file',
        where: `file ${file} line ${line}`,
        hint: 'a quote inside a quoted field is written twice: ""',
      });
    }
    const chunk = text.slice(i, close);
    value += chunk;
    l += countLineBreaks(chunk);
    if (text[close + 1] === '"') {
      value += '"';
      i = close + 2;
      continue;
    }
    const end = close + 1;
    if (end < text.length && text[end] !== ',' && text[end] !== '\n' && text[end] !== '\r') {
      throw new DataError({
        op: 'data.parseCsv',
        expected: 'a comma or a line break after a closing quote',
        received: JSON.stringify(text.slice(end, end + 10)),
        where: `file ${file} line ${l}`,
        hint: 'quote the whole field and double the quotes inside it: "say ""hi"""',
      });
    }
    return { value, end, line: l };
  }
}

function skipLineBreak(text: string, i: number): number {
  if (text[i] === '\r') return text[i + 1] === '\n' ? i + 2 : i + 1;
  return text[i] === '\n' ? i + 1 : i;
}

function countLineBreaks(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\n') n++;
    else if (s[i] === '\r' && s[i + 1] !== '\n') n++;
  }
  return n;
}
