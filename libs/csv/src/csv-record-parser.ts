import { BulkopsError, ErrorCode } from '@bulkops/contracts';

/**
 * The longest cell bulkops reads, in characters. The longest legal cell of objects.md is an Outdial
 * ANI's `Entries` (§16): 1000 × (80-character entry name + ':' + 255-character SIP number) plus
 * 999 separators = 336,999 characters. 384 Ki leaves room above that; lists without a count limit
 * (a user profile's Teams) still fit over 2,400 `Site/Team` references.
 */
export const MAX_CELL_CHARS = 384 * 1024;

/** The longest record (a line, or several when quoted cells hold line breaks), in characters. */
export const MAX_LINE_CHARS = 1024 * 1024;

/** Where a CSV stands while it is read, for messages. */
interface Position {
  row: number;
  line: number;
}

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;

const QUOTING_FIX =
  'a cell with a comma, quote or line break must be wrapped in double quotes, and a quote inside it written twice ("")';

type State =
  /** At the start of a cell. */
  | 'start'
  /** Inside a cell without quotes. */
  | 'plain'
  /** Inside a quoted cell. */
  | 'quoted'
  /** Just after a quote inside a quoted cell: the end of the cell, or the first of `""`. */
  | 'quote'
  /** After a quoted cell's closing quote and spaces: only a comma or a line end may follow. */
  | 'after';

/**
 * An RFC 4180 reader fed decoded text piece by piece (objects.md §1.1: comma, double quotes, LF or
 * CRLF). Each character is looked at once and a cell's text is cut out of its piece rather than
 * built character by character, so reading is linear in the input however long a line is. A cell
 * or record longer than its limit, a quoting mistake or a carriage return that does not end a line
 * stops the read at once with a file-level BulkopsError naming the row (as a spreadsheet counts)
 * and the line.
 */
export class CsvRecordParser {
  private state: State = 'start';
  private readonly records: string[][] = [];
  private cells: string[] = [];
  /**
   * Text of the current cell so far: its first part, and any further ones (from later pieces, or
   * after a `""`). Almost every cell is one part, which then costs no array.
   */
  private firstPart: string | null = null;
  private moreParts: string[] | null = null;
  private partsLength = 0;
  /** Where the current cell's text of the current piece starts. */
  private segmentStart = 0;
  private pendingCr = false;
  private row = 1;
  private line = 1;
  private recordStartLine = 1;
  private quoteOpenedOnLine = 1;
  /** Characters of all pieces before the current one, and where the current record began. */
  private consumed = 0;
  private recordStart = 0;

  constructor(
    private readonly fileName: string,
    private readonly maxCellChars = MAX_CELL_CHARS,
    private readonly maxLineChars = MAX_LINE_CHARS,
  ) {}

  /** Reads the next piece of text; answers the records it completed. */
  push(text: string): string[][] {
    let state = this.state;
    this.segmentStart = 0;
    for (let i = 0; i < text.length; i += 1) {
      const ch = text.charCodeAt(i);
      if (this.pendingCr) {
        this.pendingCr = false;
        if (ch !== LF) throw this.bareCarriageReturn();
        this.line += 1;
        this.endRecord(i + 1);
        state = 'start';
        continue;
      }
      switch (state) {
        case 'start':
          if (ch === QUOTE) {
            state = 'quoted';
            this.quoteOpenedOnLine = this.line;
            this.segmentStart = i + 1;
          } else if (ch === COMMA) {
            this.cells.push('');
            this.checkLimits(this.consumed + i);
          } else if (ch === LF) {
            this.cells.push('');
            this.line += 1;
            this.endRecord(i + 1);
          } else if (ch === CR) {
            this.cells.push('');
            this.pendingCr = true;
          } else {
            state = 'plain';
            this.segmentStart = i;
          }
          break;
        case 'plain':
          // A quote inside an unquoted cell is kept as it is (`5'10"`), as spreadsheets write it.
          if (ch === COMMA) {
            this.endCell(text, i);
            this.checkLimits(this.consumed + i);
            state = 'start';
          } else if (ch === LF) {
            this.endCell(text, i);
            this.line += 1;
            this.endRecord(i + 1);
            state = 'start';
          } else if (ch === CR) {
            this.endCell(text, i);
            this.pendingCr = true;
            state = 'start';
          }
          break;
        case 'quoted':
          if (ch === QUOTE) {
            this.cut(text, i);
            state = 'quote';
          } else if (ch === LF) {
            this.line += 1;
          }
          break;
        case 'quote':
          if (ch === QUOTE) {
            // `""`: the second quote is the cell's text.
            this.segmentStart = i;
            state = 'quoted';
            break;
          }
          this.takeCell();
          state = this.afterQuotedCell(ch, i, text);
          break;
        case 'after':
          state = this.afterQuotedCell(ch, i, text);
          break;
      }
    }
    this.state = state;
    if (state === 'plain' || state === 'quoted') this.cut(text, text.length);
    this.consumed += text.length;
    this.checkLimits(this.consumed);
    return this.records.splice(0);
  }

  /** The input ended: answers the last record, if the text did not end with a line break. */
  finish(): string[][] {
    if (this.pendingCr) {
      // A carriage return at the very end of the file ends its last line as a CRLF would.
      this.pendingCr = false;
      this.endRecord(0);
      return this.records.splice(0);
    }
    switch (this.state) {
      case 'quoted':
        throw this.malformed(
          `the quoted cell opened on line ${this.quoteOpenedOnLine} is never closed`,
        );
      case 'plain':
        this.takeCell();
        break;
      case 'quote':
        this.takeCell();
        break;
      case 'start':
        // "a,b," ends with an empty cell; a file that ends with its line break has no last record.
        if (this.cells.length > 0) this.cells.push('');
        break;
      case 'after':
        break;
    }
    if (this.cells.length > 0) this.endRecord(0);
    return this.records.splice(0);
  }

  /** What may follow a quoted cell: spaces, then a comma or the end of the line. */
  private afterQuotedCell(ch: number, i: number, text: string): State {
    if (ch === COMMA) {
      this.checkLimits(this.consumed + i);
      return 'start';
    }
    if (ch === LF) {
      this.line += 1;
      this.endRecord(i + 1);
      return 'start';
    }
    if (ch === CR) {
      this.pendingCr = true;
      return 'start';
    }
    if (ch === SPACE || ch === TAB) return 'after';
    throw this.malformed(
      `a closing quote is followed by '${text[i]}' instead of a comma or the end of the line`,
    );
  }

  /** Keeps the current cell's text up to `end` of this piece. */
  private cut(text: string, end: number): void {
    if (end > this.segmentStart) {
      const part = text.slice(this.segmentStart, end);
      if (this.firstPart === null) this.firstPart = part;
      else (this.moreParts ??= []).push(part);
      this.partsLength += end - this.segmentStart;
      if (this.partsLength > this.maxCellChars) throw this.cellTooLong();
    }
    this.segmentStart = end;
  }

  private endCell(text: string, end: number): void {
    this.cut(text, end);
    this.takeCell();
  }

  private takeCell(): void {
    const first = this.firstPart ?? '';
    const cell = this.moreParts === null ? first : first + this.moreParts.join('');
    this.firstPart = null;
    this.moreParts = null;
    this.partsLength = 0;
    this.cells.push(cell);
  }

  /** A record ended just before `next` (an index into the current piece). */
  private endRecord(next: number): void {
    this.checkLimits(this.consumed + next);
    this.records.push(this.cells);
    this.cells = [];
    this.row += 1;
    this.recordStart = this.consumed + next;
    this.recordStartLine = this.line;
  }

  /** Checked at every cell's end and every piece's end, so an endless record is stopped early. */
  private checkLimits(position: number): void {
    if (position - this.recordStart > this.maxLineChars) throw this.lineTooLong();
  }

  private where(): Position {
    return { row: this.row, line: this.recordStartLine };
  }

  private malformed(what: string): BulkopsError {
    return new BulkopsError(
      ErrorCode.MalformedCsv,
      `${this.fileName} is not valid CSV at row ${this.row} (line ${this.line}): ${what}; ${QUOTING_FIX}`,
      { file: this.fileName },
    );
  }

  private bareCarriageReturn(): BulkopsError {
    return new BulkopsError(
      ErrorCode.MalformedCsv,
      `${this.fileName} is not valid CSV at row ${this.row} (line ${this.line}): a carriage return (CR) is not followed by a line feed; lines must end with LF or CRLF, so save the file again as "CSV UTF-8" (CR-only line endings of old Mac programs are not read)`,
      { file: this.fileName },
    );
  }

  private cellTooLong(): BulkopsError {
    const { row, line } = this.where();
    return new BulkopsError(
      ErrorCode.CellTooLong,
      `${this.fileName}: cell ${this.cells.length + 1} of row ${row} (from line ${line}) is longer than ${this.maxCellChars.toLocaleString('en-US')} characters, more than any column takes; check for a quote that is never closed, or shorten the value`,
      { file: this.fileName },
    );
  }

  private lineTooLong(): BulkopsError {
    const { row, line } = this.where();
    return new BulkopsError(
      ErrorCode.LineTooLong,
      `${this.fileName}: row ${row} (from line ${line}) is longer than ${this.maxLineChars.toLocaleString('en-US')} characters; check that lines end with LF or CRLF and that quotes are balanced, or split the row's values`,
      { file: this.fileName },
    );
  }
}
