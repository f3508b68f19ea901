package org.dpm4j.results;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.dpm4j.util.Check;
import org.sqlite.SQLiteConfig;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvWriteOptions;

/**
 * The run log: every {@link ResultRow} ever appended, in an embedded SQLite database {@code runs.sqlite} in the results
 * directory, so several runs (processes) may append at once: write-ahead logging, a busy timeout and one immediate
 * transaction per append, so a run's rows land together or not at all and no reader sees half a run. CSV and
 * Markdown are exports ({@link #exportCsv}, {@link #exportMarkdown}). The directory must be on a local file system
 * (SQLite's WAL mode needs shared memory between the processes).
 *
 * <p>An old {@code runs.csv} (dpm4j's earlier run log, Table 1 rows only) in the same directory is imported when the
 * log is opened, each of its lines once ({@link LegacyRunsCsv}).
 */
public final class RunLog {
    public static final String FILE_NAME = "runs.sqlite";
    /** The schema this code writes (SQLite's user_version); a log from a newer dpm4j is refused. */
    static final int SCHEMA_VERSION = 1;
    private static final int BUSY_TIMEOUT_MS = 60_000;
    private static final String COLUMNS = "run_id, experiment, dataset, stand_in, model, metric, value, standard_error, "
            + "unit, profile, seed, configuration, code_version, wall_seconds, cpu_seconds, finished, "
            + "finished_epoch_second, finished_nano";

    private final Path dir;
    private final Path file;

    private RunLog(Path dir) {
        this.dir = dir;
        this.file = dir.resolve(FILE_NAME);
    }

    /**
     * The log in {@code dir} (created with its directory if missing); imports an old {@code runs.csv} beside it.
     * Safe to call from several processes at once.
     */
    public static RunLog open(Path dir) {
        if (dir == null) throw Check.bad("dir", null, "a results directory");
        RunLog log = new RunLog(dir);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the results directory " + dir, e);
        }
        log.inTransaction(c -> {
            try (Statement s = c.createStatement()) {
                int version;
                try (ResultSet rs = s.executeQuery("PRAGMA user_version")) {
                    version = rs.next() ? rs.getInt(1) : 0;
                }
                if (version > SCHEMA_VERSION) {
                    throw Check.bad(log.file + " schema version", version, "at most " + SCHEMA_VERSION
                            + " (the log was written by a newer dpm4j)");
                }
                s.executeUpdate("""
                        CREATE TABLE IF NOT EXISTS result_rows (
                          id INTEGER PRIMARY KEY AUTOINCREMENT,
                          run_id TEXT NOT NULL,
                          experiment TEXT NOT NULL,
                          dataset TEXT NOT NULL,
                          stand_in INTEGER NOT NULL,
                          model TEXT NOT NULL,
                          metric TEXT NOT NULL,
                          value REAL NOT NULL,
                          standard_error REAL,
                          unit TEXT NOT NULL,
                          profile TEXT NOT NULL,
                          seed INTEGER NOT NULL,
                          configuration TEXT NOT NULL,
                          code_version TEXT NOT NULL,
                          wall_seconds REAL NOT NULL,
                          cpu_seconds REAL,
                          finished TEXT NOT NULL,
                          finished_epoch_second INTEGER NOT NULL,
                          finished_nano INTEGER NOT NULL,
                          UNIQUE (run_id, metric))""");
                s.executeUpdate("CREATE INDEX IF NOT EXISTS result_rows_by_experiment ON result_rows (experiment, profile)");
                // a run's series (Run.series): added beside schema 1 without changing it, so older dpm4j still reads
                // the log (it ignores this table); values as little-endian IEEE doubles
                s.executeUpdate("""
                        CREATE TABLE IF NOT EXISTS run_series (
                          run_id TEXT NOT NULL,
                          name TEXT NOT NULL,
                          length INTEGER NOT NULL,
                          vals BLOB NOT NULL,
                          UNIQUE (run_id, name))""");
                if (version < SCHEMA_VERSION) s.executeUpdate("PRAGMA user_version = " + SCHEMA_VERSION);
            }
            return null;
        });
        Path legacy = dir.resolve(LegacyRunsCsv.FILE_NAME);
        if (Files.isRegularFile(legacy)) log.importRuns(LegacyRunsCsv.read(legacy));
        return log;
    }

    /** The database file. */
    public Path file() { return file; }

    /** The results directory the log lives in. */
    public Path directory() { return dir; }

    /** Appends a run's rows in one transaction; a run already in the log is refused. Returns the database file. */
    public Path append(Run run) {
        if (run == null) throw Check.bad("run", null, "a run with at least one row");
        inTransaction(c -> {
            if (contains(c, run.runId())) throw Check.bad("run", run.runId(), "a run not yet in " + file);
            insert(c, run);
            return null;
        });
        return file;
    }

    /** Appends the runs the log does not hold yet (by run id), in one transaction; returns how many were added. */
    public int importRuns(List<Run> runs) {
        return inTransaction(c -> {
            int added = 0;
            for (Run r : runs) {
                if (!contains(c, r.runId())) {
                    insert(c, r);
                    added++;
                }
            }
            return added;
        });
    }

    /** Every row, in append order. */
    public List<ResultRow> rows() {
        return rows(Query.ALL);
    }

    /** The rows that match the query, in append order. */
    public List<ResultRow> rows(Query q) {
        if (q == null) throw Check.bad("query", null, "a Query (Query.ALL for every row)");
        return inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM result_rows WHERE "
                    + "(?1 IS NULL OR experiment = ?1) AND (?2 IS NULL OR dataset = ?2) AND (?3 IS NULL OR model = ?3) "
                    + "AND (?4 IS NULL OR metric = ?4) AND (?5 IS NULL OR profile = ?5) AND (?6 IS NULL OR run_id = ?6) "
                    + "ORDER BY id")) {
                ps.setString(1, q.experiment());
                ps.setString(2, q.dataset());
                ps.setString(3, q.model());
                ps.setString(4, q.metric());
                ps.setString(5, q.profile());
                ps.setString(6, q.runId());
                List<ResultRow> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(read(rs));
                }
                return out;
            }
        });
    }

    /** The series a run kept ({@link Run#series}), by name; empty when it kept none or is not in the log. */
    public java.util.Map<String, List<Double>> series(String runId) {
        if (runId == null) throw Check.bad("runId", null, "a run identifier");
        return inTransaction(c -> {
            java.util.Map<String, List<Double>> out = new java.util.LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT name, length, vals FROM run_series WHERE run_id = ? ORDER BY rowid")) {
                ps.setString(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(rs.getBytes(3)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                        int n = rs.getInt(2);
                        List<Double> v = new ArrayList<>(n);
                        for (int i = 0; i < n; i++) v.add(b.getDouble());
                        out.put(rs.getString(1), v);
                    }
                }
            }
            return out;
        });
    }

    /** The matching runs with their series ({@link #series(String)}), in append order. */
    public List<Run> runsWithSeries(Query q) {
        return runs(q).stream().map(r -> r.withSeries(series(r.runId()))).toList();
    }

    /** The matching rows gathered into runs, in append order. */
    public List<Run> runs(Query q) {
        return Run.group(rows(q));
    }

    /** The latest run (by finish time) of each experiment and profile among the matching rows. */
    public List<Run> latestRuns(Query q) {
        return Run.latest(runs(q), r -> List.of(r.experiment(), r.profile()));
    }

    /** The matching rows as a table, one column per field (the configuration as JSON), in append order. */
    public Table table(Query q) {
        return table(rows(q));
    }

    /** Rows as a table with the log's columns (configuration as JSON; missing values where a field is NaN). */
    public static Table table(List<ResultRow> rows) {
        StringColumn runId = StringColumn.create("run_id"), experiment = StringColumn.create("experiment"),
                dataset = StringColumn.create("dataset"), model = StringColumn.create("model"),
                metric = StringColumn.create("metric"), unit = StringColumn.create("unit"),
                profile = StringColumn.create("profile"), config = StringColumn.create("configuration"),
                code = StringColumn.create("code_version"), finished = StringColumn.create("finished");
        BooleanColumn standIn = BooleanColumn.create("stand_in");
        DoubleColumn value = DoubleColumn.create("value"), se = DoubleColumn.create("standard_error"),
                wall = DoubleColumn.create("wall_seconds"), cpu = DoubleColumn.create("cpu_seconds");
        LongColumn seed = LongColumn.create("seed");
        for (ResultRow r : rows) {
            runId.append(r.runId());
            experiment.append(r.experiment());
            dataset.append(r.dataset());
            standIn.append(r.standIn());
            model.append(r.model());
            metric.append(r.metric());
            value.append(r.value());
            appendOrMissing(se, r.standardError());
            unit.append(r.unit());
            profile.append(r.profile());
            seed.append(r.seed());
            config.append(r.configurationJson());
            code.append(r.codeVersion());
            wall.append(r.wallSeconds());
            appendOrMissing(cpu, r.cpuSeconds());
            finished.append(r.finished().toString());
        }
        return Table.create("Run log", runId, experiment, dataset, standIn, model, metric, value, se, unit, profile,
                seed, config, code, wall, cpu, finished);
    }

    /** Writes the matching rows as CSV (Tablesaw's writer; configuration as a JSON cell); returns the file. */
    public Path exportCsv(Path csv, Query q) {
        try {
            if (csv.getParent() != null) Files.createDirectories(csv.getParent());
            table(q).write().usingOptions(CsvWriteOptions.builder(csv.toFile()).build());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + csv, e);
        }
        return csv;
    }

    /** Writes the matching rows as a GitHub Markdown table; returns the file. */
    public Path exportMarkdown(Path md, Query q) {
        try {
            if (md.getParent() != null) Files.createDirectories(md.getParent());
            Files.writeString(md, Markdown.of(table(q)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + md, e);
        }
        return md;
    }

    /**
     * Checks, before any training starts, that {@code value} names a directory this process can write the run log
     * in: not empty, not a regular file (nor under one), and writable (tested by creating and deleting a file, since
     * permission bits do not tell for root, read-only mounts or ACLs). A directory that does not exist yet passes if
     * its nearest existing ancestor is a writable directory; nothing is created. Returns the path.
     */
    public static Path checkDirectory(String parameter, String value) {
        if (value == null || value.isBlank()) {
            throw Check.bad(parameter, value == null ? null : "\"" + value + "\"",
                    "a directory for the results (an empty path is refused; use . for the working directory)");
        }
        Path dir;
        try {
            dir = Path.of(value);
        } catch (InvalidPathException e) {
            throw Check.bad(parameter, value, "a valid path (" + e.getReason() + ")");
        }
        Path existing = dir.toAbsolutePath().normalize();
        while (existing != null && !Files.exists(existing)) existing = existing.getParent();
        if (existing == null) throw Check.bad(parameter, value, "a path under an existing directory");
        if (!Files.isDirectory(existing)) {
            throw Check.bad(parameter, value, "a directory, but " + existing + " is not a directory (a regular file)");
        }
        try {
            Files.delete(Files.createTempFile(existing, ".dpm4j-write-check-", ".tmp"));
        } catch (IOException | SecurityException e) {
            throw Check.bad(parameter, value, "a directory this process can write in, but " + existing
                    + " is not writable (" + e + ")");
        }
        return dir;
    }

    /**
     * A filter on the log's rows: each non-null field must match exactly; null matches anything.
     * {@code Query.ALL.withExperiment("swiss-roll").withProfile("standard")}.
     */
    public record Query(String experiment, String dataset, String model, String metric, String profile, String runId) {
        public static final Query ALL = new Query(null, null, null, null, null, null);

        public Query withExperiment(String v) { return new Query(v, dataset, model, metric, profile, runId); }
        public Query withDataset(String v) { return new Query(experiment, v, model, metric, profile, runId); }
        public Query withModel(String v) { return new Query(experiment, dataset, v, metric, profile, runId); }
        public Query withMetric(String v) { return new Query(experiment, dataset, model, v, profile, runId); }
        public Query withProfile(String v) { return new Query(experiment, dataset, model, metric, v, runId); }
        public Query withRunId(String v) { return new Query(experiment, dataset, model, metric, profile, v); }
    }

    // --- SQLite plumbing -------------------------------------------------------------------------------------------

    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * Runs the work in one IMMEDIATE transaction on a fresh connection: the write lock is taken at BEGIN, so two
     * writers queue (busy timeout) instead of deadlocking on a lock upgrade; readers see only committed runs.
     */
    private <T> T inTransaction(Work<T> work) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), config.toProperties())) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("run log " + file + ": " + e.getMessage(), e);
        }
    }

    private static boolean contains(Connection c, String runId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM result_rows WHERE run_id = ? LIMIT 1")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static void insert(Connection c, Run run) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO result_rows (" + COLUMNS + ") VALUES "
                + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (ResultRow r : run.rows()) {
                ps.setString(1, r.runId());
                ps.setString(2, r.experiment());
                ps.setString(3, r.dataset());
                ps.setInt(4, r.standIn() ? 1 : 0);
                ps.setString(5, r.model());
                ps.setString(6, r.metric());
                ps.setDouble(7, r.value());
                setNullable(ps, 8, r.standardError());   // SQLite would store NaN as NULL anyway; say so explicitly
                ps.setString(9, r.unit());
                ps.setString(10, r.profile());
                ps.setLong(11, r.seed());
                ps.setString(12, r.configurationJson());
                ps.setString(13, r.codeVersion());
                ps.setDouble(14, r.wallSeconds());
                setNullable(ps, 15, r.cpuSeconds());
                ps.setString(16, r.finished().toString());
                // the ISO text does not sort by time (fraction digits vary), so the instant is kept exactly as well
                ps.setLong(17, r.finished().getEpochSecond());
                ps.setInt(18, r.finished().getNano());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        if (run.series().isEmpty()) return;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO run_series (run_id, name, length, vals) VALUES (?, ?, ?, ?)")) {
            for (var e : run.series().entrySet()) {
                java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 * e.getValue().size()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                for (double v : e.getValue()) b.putDouble(v);
                ps.setString(1, run.runId());
                ps.setString(2, e.getKey());
                ps.setInt(3, e.getValue().size());
                ps.setBytes(4, b.array());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static ResultRow read(ResultSet rs) throws SQLException {
        return new ResultRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4) != 0, rs.getString(5),
                rs.getString(6), rs.getDouble(7), nullable(rs, 8), rs.getString(9), rs.getString(10), rs.getLong(11),
                Configuration.fromJson(rs.getString(12)), rs.getString(13), rs.getDouble(14), nullable(rs, 15),
                Instant.ofEpochSecond(rs.getLong(17), rs.getInt(18)));
    }

    private static void setNullable(PreparedStatement ps, int i, double v) throws SQLException {
        if (Double.isNaN(v)) ps.setNull(i, java.sql.Types.REAL);
        else ps.setDouble(i, v);
    }

    private static double nullable(ResultSet rs, int i) throws SQLException {
        double v = rs.getDouble(i);
        return rs.wasNull() ? Double.NaN : v;
    }

    private static void appendOrMissing(DoubleColumn c, double v) {
        if (Double.isNaN(v)) c.appendMissing();
        else c.append(v);
    }
}
