/**
 * A {@link dev.orchestrator.api.Journal} on PostgreSQL with mission leases and fencing:
 * {@link dev.orchestrator.journal.postgres.MissionPool} and {@link dev.orchestrator.journal.postgres.PostgresJournal}.
 * It speaks plain JDBC through the {@link javax.sql.DataSource} the application gives it; the PostgreSQL driver comes
 * along as a dependency.
 */
module dev.orchestrator.journal.postgres {
    requires transitive dev.orchestrator.core;
    requires transitive java.sql;

    exports dev.orchestrator.journal.postgres;
}
