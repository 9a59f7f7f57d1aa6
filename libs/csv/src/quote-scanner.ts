import { Transform } from 'node:stream';
import { BulkopsError, ErrorCode } from '@bulkops/contracts';

const FIX =
  'a cell with a comma, quote or line break must be wrapped in double quotes, and a quote inside it written twice ("")';

/**
 * Follows RFC 4180 quoting as text passes to the parser and stops at the first quoting mistake with
 * its row (as a spreadsheet counts) and line. fast-csv parses in batches and cannot say where a
 * problem is; this scan is one pass over characters the parser reads anyway.
 */
export function quoteScanner(fileName: string): Transform {
  let state: 'start' | 'plain' | 'quoted' | 'quote' | 'after' = 'start';
  let row = 1;
  let line = 1;
  let openedOnLine = 1;
  const fail = (what: string) =>
    new BulkopsError(
      ErrorCode.MalformedCsv,
      `${fileName} is not valid CSV at row ${row} (line ${line}): ${what}; ${FIX}`,
      { file: fileName },
    );
  return new Transform({
    readableObjectMode: true,
    writableObjectMode: true,
    transform(text: string, _encoding, callback) {
      for (let i = 0; i < text.length; i += 1) {
        const ch = text.charCodeAt(i);
        if (ch === 10) line += 1;
        switch (state) {
          case 'start':
          case 'plain':
            if (ch === 34 && state === 'start') {
              state = 'quoted';
              openedOnLine = line;
            } else if (ch === 44) state = 'start';
            else if (ch === 10) {
              state = 'start';
              row += 1;
            } else if (ch !== 13) state = 'plain';
            break;
          case 'quoted':
            if (ch === 34) state = 'quote';
            break;
          case 'quote':
          case 'after':
            if (ch === 34 && state === 'quote') state = 'quoted';
            else if (ch === 44) state = 'start';
            else if (ch === 10) {
              state = 'start';
              row += 1;
            } else if (ch === 32 || ch === 9 || ch === 13) state = 'after';
            else {
              callback(
                fail(
                  `a closing quote is followed by '${text[i]}' instead of a comma or the end of the line`,
                ),
              );
              return;
            }
            break;
        }
      }
      callback(null, text);
    },
    flush(callback) {
      callback(
        state === 'quoted'
          ? fail(`the quoted cell opened on line ${openedOnLine} is never closed`)
          : null,
      );
    },
  });
}
