import { count } from '../lib/format';

/** A compact two-column table: a name and a number of rows. */
export function CountTable({
  id,
  heading,
  rows,
}: {
  id?: string;
  heading: string;
  rows: { name: string; rows: number }[];
}) {
  return (
    <table class="table table--compact" id={id}>
      <thead>
        <tr>
          <th scope="col">{heading}</th>
          <th scope="col" class="num">
            Rows
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.name}>
            <td>{row.name}</td>
            <td class="num">{count(row.rows)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
