import { SonoError } from '../common/errors';

/**
 * RFC 4180 CSV: comma-separated, fields optionally in double quotes, `""` for a quote inside one,
 * line breaks allowed inside quotes; CRLF or LF line ends; a UTF-8 BOM and blank lines are ignored.
 */
export function parseCsv(text: string, what = 'CSV file'): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endRow = (): void => {
    row.push(field);
    if (!(row.length === 1 && row[0] === '')) rows.push(row);
    row = [];
    field = '';
  };
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c !== '"') field += c;
      else if (text[i + 1] === '"') { field += '"'; i++; }
      else quoted = false;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n') endRow();
    else if (c === '\r') { if (text[i + 1] !== '\n') endRow(); }
    else field += c;
  }
  if (quoted) throw new SonoError('DATASET_INVALID', `The ${what} ends inside a quoted field.`);
  if (field !== '' || row.length > 0) endRow();
  return rows;
}
