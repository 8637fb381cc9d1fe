import type { FileHandle } from 'node:fs/promises';

/** Where reading a line log resumes: the next byte, and the number of the line starting there. */
export interface LineCursor {
  /** Byte offset of the first unread line. */
  offset: number;
  /** Its 1-based line number. */
  line: number;
  /** Bytes after the last complete line at the last read: a line still being written, or torn. */
  pending: number;
}

/** One complete line of a log. */
export interface ScannedLine {
  /** The text, without the newline. */
  text: string;
  /** 1-based line number. */
  line: number;
}

const CHUNK = 256 * 1024;

/**
 * Reads the complete (newline-terminated) lines of `handle` from `cursor` to the end of the file,
 * advancing `cursor` past each line as it is yielded. A last line without its newline is left
 * unread, so the cursor stops at its start: a writer may still be finishing it.
 */
export async function* scanLines(handle: FileHandle, cursor: LineCursor): AsyncGenerator<ScannedLine> {
  let carry = Buffer.alloc(0);
  let position = cursor.offset;
  const chunk = Buffer.alloc(CHUNK);
  for (;;) {
    const { bytesRead } = await handle.read(chunk, 0, CHUNK, position);
    if (bytesRead === 0) {
      cursor.pending = carry.length;
      return;
    }
    position += bytesRead;
    const bytes = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
    let start = 0;
    for (let newline = bytes.indexOf(0x0a); newline >= 0; newline = bytes.indexOf(0x0a, start)) {
      const text = bytes.toString('utf8', start, newline);
      const line = cursor.line;
      cursor.offset += newline + 1 - start;
      cursor.line += 1;
      start = newline + 1;
      yield { text, line };
    }
    carry = Buffer.from(bytes.subarray(start));
  }
}
