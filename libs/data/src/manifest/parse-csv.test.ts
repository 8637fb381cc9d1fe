import { describe, expect, it } from 'vitest';
import { DataError } from '@omnitrain/core';
import { parseCsv } from '@omnitrain/data';

const ALPHABET = ['a', 'b', 'Z', ' ', ',', '"', '\n', '\r\n', '\r', 'é', '猫', '🙂', "'", ';', '\t'];

function randomField(): string {
  const n = Math.floor(Math.random() * 6);
  return Array.from({ length: n }, () => ALPHABET[Math.floor(Math.random() * ALPHABET.length)]).join('');
}

/** An independent RFC 4180 writer: quotes a field when it must, doubles quotes, counts lines. */
function writeCsv(records: string[][], eol: string, bom: boolean): { text: string; lines: number[] } {
  let text = bom ? '\uFEFF' : '';
  let line = 1;
  const lines: number[] = [];
  for (const fields of records) {
    lines.push(line);
    const cells = fields.map((f) => (/[",\r\n]/.test(f) || Math.random() < 0.2 ? `"${f.replace(/"/g, '""')}"` : f));
    const row = cells.join(',');
    text += row + eol;
    line += (row.match(/\r\n|\r|\n/g) ?? []).length + 1;
  }
  return { text, lines };
}

describe('parseCsv', () => {
  it('reads back what an RFC 4180 writer wrote: quotes, commas, line breaks, BOM, CRLF/LF', () => {
    for (let trial = 0; trial < 200; trial++) {
      const width = 1 + Math.floor(Math.random() * 4);
      const records = Array.from({ length: 1 + Math.floor(Math.random() * 8) }, () =>
        Array.from({ length: width }, randomField),
      ).filter((r) => !(r.length === 1 && r[0] === '')); // a lone empty field is a blank line
      const eol = Math.random() < 0.5 ? '\r\n' : '\n';
      const { text, lines } = writeCsv(records, eol, Math.random() < 0.5);
      const parsed = parseCsv(Math.random() < 0.5 ? text : text.slice(0, -eol.length), 'rand.csv');
      expect(parsed.map((r) => r.fields)).toEqual(records);
      expect(parsed.map((r) => r.line)).toEqual(lines);
    }
  });

  it('handles the textbook cases', () => {
    const text = '\uFEFFid,text\r\n1,"say ""hi"", then\r\nleave"\r\n\r\n2,plain\r\n3,\r\n';
    expect(parseCsv(text)).toEqual([
      { line: 1, fields: ['id', 'text'] },
      { line: 2, fields: ['1', 'say "hi", then\r\nleave'] },
      { line: 5, fields: ['2', 'plain'] },
      { line: 6, fields: ['3', ''] },
    ]);
    expect(parseCsv('a,5"x\n')).toEqual([{ line: 1, fields: ['a', '5"x'] }]); // lenient mid-field quote
    expect(parseCsv('')).toEqual([]);
  });

  it('names the file and line of an unterminated quote or text after a closing quote', () => {
    expect(() => parseCsv('a,b\n1,"open\nstill open\n', 'm.csv')).toThrow(DataError);
    expect(() => parseCsv('a,b\n1,"open\nstill open\n', 'm.csv')).toThrow(
      'data.parseCsv: expected a closing quote for the quoted field, got the end of the file (file m.csv line 2)',
    );
    expect(() => parseCsv('a\n\n"x"y\n', 'm.csv')).toThrow(/expected a comma or a line break after a closing quote, got "y\\n" \(file m.csv line 3\)/);
  });
});
