import type { DataSource } from 'typeorm';
import { buildZip, type Upload } from '@bulkops/testing';

/** The sites every team of `teamZip` belongs to. */
export const TEAM_SITES: Upload = {
  name: 'sites.csv',
  content: 'Name,Multimedia Profile\r\nAustin,MMP Default\r\nDenver,MMP Default\r\n',
};

/** A zip of `files` CSVs of `rows` new teams each (run TEAM_SITES first): a long-running job. */
export async function teamZip(files: number, rows: number, tag = 'T'): Promise<Upload> {
  const entries = Array.from({ length: files }, (_, f) => {
    const lines = ['Name,Site,Type'];
    for (let r = 0; r < rows; r += 1)
      lines.push(`${tag}${f}-${r},${r % 2 === 0 ? 'Austin' : 'Denver'},AGENT`);
    return {
      name: `teams-${String(f + 1).padStart(3, '0')}.csv`,
      content: `${lines.join('\r\n')}\r\n`,
    };
  });
  return { name: 'teams.zip', content: await buildZip(entries) };
}

/** An organization's teams as `name|site|type` lines in name order: what a run left in the table. */
export async function teamLines(dataSource: DataSource, orgId: string): Promise<string[]> {
  const rows: { line: string }[] = await dataSource.query(
    `SELECT t.name || '|' || s.name || '|' || t.type AS line
       FROM team t JOIN site s ON s.id = t.site_id WHERE t.organization_id = $1 ORDER BY t.name`,
    [orgId],
  );
  return rows.map((r) => r.line);
}
