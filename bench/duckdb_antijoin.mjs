// The DuckDB side of bench/linkage.sh: load the population and enrollment CSVs and count the
// population rows whose ID has no match among the enrollment IDs (an exact-ID anti-join).
//
//   node bench/duckdb_antijoin.mjs population.csv enrollment.csv [threads]
//
// Inputs are UTF-8 CSVs laid out as `baoxue demo --files-only` writes them (the benchmark
// converts the GB18030 population file with iconv and the .xlsx enrollment file to CSV before
// it starts timing): population has two title lines above its header and note/total rows
// below the data; enrollment has one title line above its header. In-memory database;
// `threads` defaults to DuckDB's own default (the number of cores).
//
// Prints one JSON line: {load_s, join_s, total_s, rows_population, rows_enrollment,
// not_enrolled, threads, duckdb}.

const [popPath, enrPath, threadsArg] = process.argv.slice(2);
if (!popPath || !enrPath) {
  console.error('usage: node duckdb_antijoin.mjs population.csv enrollment.csv [threads]');
  process.exit(2);
}

// Column names as the demo files (and county exports) spell them.
const POP_ID = '公民身份号码';
const POP_NAME = '姓名';
const ENR_ID = '身份证件号';

const sqlString = (s) => `'${s.replaceAll("'", "''")}'`;
const ident = (s) => `"${s.replaceAll('"', '""')}"`;
// The same cheap normalisation a person would write in SQL: trim, drop spaces, upper-case x.
// (baoxue also folds full-width characters and converts 15-digit IDs; DuckDB here does not.)
const norm = (col) => `nullif(upper(replace(trim(${ident(col)}), ' ', '')), '')`;

const now = () => Number(process.hrtime.bigint()) / 1e9;

// @duckdb/node-api (the current client); the older `duckdb` package if only that installed.
const options = threadsArg ? { threads: String(threadsArg) } : {};
const db = await openDuckDB(options);
const { run, scalar } = db;

const csvOpts = (skip) =>
  `skip = ${skip}, header = true, all_varchar = true, delim = ',', quote = '"', ` +
  `null_padding = true, strict_mode = false`;

const t0 = now();
// Load every column (baoxue stores every column too), plus the normalised ID.
// Population: header on line 3; rows with neither an ID nor a name are the blank line and the
// 制表人/合计 notes below the data, and are dropped, as baoxue skips them.
await run(
  `CREATE TABLE population AS
     SELECT *, ${norm(POP_ID)} AS idn
     FROM read_csv(${sqlString(popPath)}, ${csvOpts(2)})
     WHERE coalesce(trim(${ident(POP_ID)}), '') <> '' OR coalesce(trim(${ident(POP_NAME)}), '') <> ''`,
);
// Enrollment: header on line 2.
await run(
  `CREATE TABLE enrollment AS
     SELECT *, ${norm(ENR_ID)} AS idn
     FROM read_csv(${sqlString(enrPath)}, ${csvOpts(1)})`,
);
const t1 = now();
const notEnrolled = await scalar(
  `SELECT count(*) FROM population p
   WHERE NOT EXISTS (SELECT 1 FROM enrollment e WHERE e.idn = p.idn)`,
);
const t2 = now();

const rowsPopulation = await scalar('SELECT count(*) FROM population');
const rowsEnrollment = await scalar('SELECT count(*) FROM enrollment');
const threads = await scalar("SELECT current_setting('threads')");

const r3 = (x) => Math.round(x * 1000) / 1000;
console.log(
  JSON.stringify({
    load_s: r3(t1 - t0),
    join_s: r3(t2 - t1),
    total_s: r3(t2 - t0),
    rows_population: rowsPopulation,
    rows_enrollment: rowsEnrollment,
    not_enrolled: notEnrolled,
    threads,
    duckdb: db.version,
    client: db.client,
  }),
);
db.close();

async function openDuckDB(opts) {
  const toNumber = (v) => (typeof v === 'bigint' ? Number(v) : v);
  try {
    const { DuckDBInstance, version } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(':memory:', opts);
    const con = await instance.connect();
    return {
      client: '@duckdb/node-api',
      version: version(),
      run: (sql) => con.run(sql),
      scalar: async (sql) => toNumber((await con.runAndReadAll(sql)).getRows()[0][0]),
      close: () => con.closeSync(),
    };
  } catch (e) {
    if (e?.code !== 'ERR_MODULE_NOT_FOUND') throw e;
  }
  const duckdb = (await import('duckdb')).default;
  const database = await new Promise((resolve, reject) => {
    const d = new duckdb.Database(':memory:', opts, (err) => (err ? reject(err) : resolve(d)));
  });
  const all = (sql) =>
    new Promise((resolve, reject) => database.all(sql, (err, rows) => (err ? reject(err) : resolve(rows))));
  const scalarOld = async (sql) => toNumber(Object.values((await all(sql))[0])[0]);
  return {
    client: 'duckdb',
    version: await scalarOld('SELECT version()'),
    run: (sql) => all(sql),
    scalar: scalarOld,
    close: () => database.close(),
  };
}
