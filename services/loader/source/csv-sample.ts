/**
 * A small RFC 4180 reader for samples: the start of an object, read to learn
 * its header and guess its column types. `complete` says whether the text is
 * the whole object; if not, the last (possibly cut) record is dropped.
 */
export interface CsvSample {
  readonly records: string[][];
  /** Fields that were quoted, per record: a quoted empty string is not NULL. */
  readonly quoted: boolean[][];
}

export function parseCsvSample(text: string, delimiter: string, complete: boolean): CsvSample {
  const records: string[][] = [];
  const quoted: boolean[][] = [];
  let record: string[] = [];
  let flags: boolean[] = [];
  let field = '';
  let wasQuoted = false;
  let inQuotes = false;
  let i = 0;
  const endField = () => {
    record.push(field);
    flags.push(wasQuoted);
    field = '';
    wasQuoted = false;
  };
  const endRecord = () => {
    endField();
    records.push(record);
    quoted.push(flags);
    record = [];
    flags = [];
  };
  while (i < text.length) {
    const ch = text[i] as string;
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        inQuotes = false;
        i++;
        continue;
      }
      field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field === '') {
      inQuotes = true;
      wasQuoted = true;
      i++;
    } else if (ch === delimiter) {
      endField();
      i++;
    } else if (ch === '\n' || ch === '\r') {
      endRecord();
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      field += ch;
      i++;
    }
  }
  if (complete && !inQuotes && (field !== '' || record.length > 0 || wasQuoted)) endRecord();
  return { records, quoted };
}
