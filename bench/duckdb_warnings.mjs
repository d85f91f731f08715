// The DuckDB side of bench/attendance_time.sh: the early-warning rules of issue 16 written as
// SQL (gaps and islands) over the same attendance sheet, for the time baoxue's recomputation is
// compared with. Runs of consecutive school days of 旷课 (3, 7 and 20 or more) and of 病假
// (more than 15) — school days numbered from the calendar the sheet was generated on (weekdays
// of the term, 国庆 2026-10-01..07 off) — and months of 10 or more 旷课 days.
//
//   node bench/duckdb_warnings.mjs 考勤.csv FIRST_DAY LAST_DAY [threads]
//
// Prints one JSON line: {load_s, rules_s, rows, absent3, absent7, absent20, sick, months,
// threads, duckdb}. The month count is every pupil-month of 10 or more 旷课 days; baoxue leaves
// out a month whose days all lie in runs already warned about, so that one is not compared.

const [csv, first, last, threadsArg] = process.argv.slice(2);
if (!csv || !first || !last) {
  console.error('usage: node duckdb_warnings.mjs 考勤.csv FIRST_DAY LAST_DAY [threads]');
  process.exit(2);
}
const { DuckDBInstance, version } = await import('@duckdb/node-api');
const instance = await DuckDBInstance.create(':memory:', threadsArg ? { threads: String(threadsArg) } : {});
const con = await instance.connect();
const rows = async (sql) => (await con.runAndReadAll(sql)).getRows();
const num = (v) => (typeof v === 'bigint' ? Number(v) : v);
const now = () => Number(process.hrtime.bigint()) / 1e9;
const q = (s) => `'${s.replaceAll("'", "''")}'`;

const t0 = now();
await con.run(`CREATE TABLE att AS SELECT "日期"::DATE AS d, "学籍号" AS pupil, "类型" AS kind
  FROM read_csv(${q(csv)}, header = true, all_varchar = true)`);
const t1 = now();
await con.run(`CREATE TABLE days AS SELECT d::DATE AS d, row_number() OVER (ORDER BY d) AS ord
  FROM range(${q(first)}::DATE, ${q(last)}::DATE + 1, INTERVAL 1 DAY) t(d)
  WHERE dayofweek(d) BETWEEN 1 AND 5 AND NOT (d BETWEEN '2026-10-01' AND '2026-10-07')`);
const runs = async (kind) => rows(`WITH a AS (
    SELECT pupil, ord, ord - row_number() OVER (PARTITION BY pupil ORDER BY ord) AS grp
    FROM att JOIN days USING (d) WHERE kind = ${q(kind)})
  SELECT count(*) FILTER (WHERE n >= 3), count(*) FILTER (WHERE n >= 7),
         count(*) FILTER (WHERE n >= 20), count(*) FILTER (WHERE n > 15)
  FROM (SELECT pupil, grp, count(*) AS n FROM a GROUP BY pupil, grp)`);
const [[a3, a7, a20]] = await runs('旷课');
const [[, , , sick]] = await runs('病假');
const [[months]] = await rows(`SELECT count(*) FROM (SELECT pupil, date_trunc('month', d)
  FROM att JOIN days USING (d) WHERE kind = '旷课' GROUP BY 1, 2 HAVING count(*) >= 10)`);
const t2 = now();
const [[n]] = await rows('SELECT count(*) FROM att');
const [[threads]] = await rows("SELECT current_setting('threads')");
const r3 = (x) => Math.round(x * 1000) / 1000;
console.log(JSON.stringify({
  load_s: r3(t1 - t0), rules_s: r3(t2 - t1), rows: num(n), absent3: num(a3), absent7: num(a7),
  absent20: num(a20), sick: num(sick), months: num(months), threads: num(threads), duckdb: version(),
}));
con.closeSync();
