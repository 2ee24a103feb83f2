package dev.orchestrator.journal.postgres;

import dev.orchestrator.core.journal.JournalCodec;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * The missions of one process in a PostgreSQL database that many processes share. Each mission is run by one
 * process at a time, the holder of its lease; the pool renews the leases of the journals it opened while they are
 * open, writes their events with group commit, and {@link #takeOver() takes over} the missions of processes that
 * stopped renewing theirs (crashed, killed, partitioned).
 *
 * <pre>{@code
 * try (MissionPool pool = MissionPool.builder(dataSource).owner("billing-7").build();
 *      PostgresJournal journal = pool.open("health-endpoint")) {
 *     Mission.builder().goal(...).workspace(...).provider(...).journal(journal).build().run();
 * }
 * }</pre>
 *
 * <p>A mission taken over resumes from its journal here: recorded model calls are answered from it and nothing
 * finished is paid for twice. <b>The mission's workspace must be reachable from this process</b> at the same path
 * (a shared volume, or the same machine): the journal holds the mission's record, not its files.
 *
 * <p>The pool owns its writers (one by default; see {@link Builder#writers(int)}), each a thread, a thread that
 * completes the appends' futures and the connection it writes on, and a thread that renews leases; it borrows further
 * connections from the {@link DataSource} for opening, replay, snapshots and renewal, so the data source must have
 * room for the writers and two more. Closing it closes the journals it opened.
 */
public final class MissionPool implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(MissionPool.class.getName());

    private final Connector connector;
    private final Schema schema;
    private final String owner;
    private final long snapshotEvents;
    private final Leases leases;
    private final JournalCodec codec = new JournalCodec();
    /** Each mission's appends go to one of them, always the same, so that its events commit in order. */
    private final List<GroupCommitter> committers;
    private final ScheduledExecutorService renewer;
    private final Set<PostgresJournal> open = ConcurrentHashMap.newKeySet();

    private MissionPool(Builder b) {
        this.connector = new Connector(b.dataSource, b.leaseDuration);
        this.schema = new Schema(b.schema);
        this.owner = b.owner;
        this.snapshotEvents = b.snapshotEvents;
        connector.boundLogin();
        schema.migrate(connector);
        this.leases = new Leases(schema, b.leaseDuration);
        List<GroupCommitter> writers = new ArrayList<>();
        for (int i = 0; i < b.writers; i++) {
            writers.add(new GroupCommitter(connector, schema, leases, b.maxBatch, b.threadFactory));
        }
        this.committers = List.copyOf(writers);
        this.renewer = Executors.newSingleThreadScheduledExecutor(b.threadFactory);
        long every = b.leaseDuration.toNanos() / 3;
        renewer.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.NANOSECONDS);
    }

    /**
     * A builder of a pool on {@code dataSource} (a connection pool such as HikariCP's, in production). A data source
     * whose log-in timeout is unset (0, as PostgreSQL's own have it) gets the lease duration as its log-in timeout.
     */
    public static Builder builder(DataSource dataSource) {
        return new Builder(dataSource);
    }

    /**
     * Claims mission {@code missionId} for this process and opens its journal: a new mission's is empty; one that
     * another process left (its lease expired or was given up) is taken over and resumes from its events.
     *
     * @throws LeaseHeldException if a live process holds the mission's lease
     * @throws JournalUnavailableException if the database cannot be reached
     */
    public synchronized PostgresJournal open(String missionId) {
        Objects.requireNonNull(missionId, "missionId");
        if (isOpenHere(missionId)) {
            throw new IllegalStateException("mission '" + missionId + "' is open in this pool already: use that "
                    + "journal, or close it first");
        }
        try (Connection c = connector.connect()) {
            Optional<Leases.Claim> claim = leases.claim(c, missionId, owner);
            if (claim.isEmpty()) {
                throw leases.held(c, missionId);
            }
            PostgresJournal journal = new PostgresJournal(this, missionId, claim.get().token(),
                    claim.get().finished(), claim.get().lastSeq(), claim.get().backlog());
            open.add(journal);
            return journal;
        } catch (SQLException e) {
            throw new JournalUnavailableException("claim mission '" + missionId + "'", e);
        }
    }

    private boolean isOpenHere(String missionId) {
        return open.stream().anyMatch(j -> j.missionId().equals(missionId));
    }

    /**
     * The unfinished missions whose lease expired (their process stopped renewing it) or was given up (their process
     * closed the journal before the mission finished), the longest expired first, at most {@code limit}.
     *
     * @throws JournalUnavailableException if the database cannot be reached
     */
    public List<ExpiredLease> expired(int limit) {
        try (Connection c = connector.connect()) {
            return leases.expired(c, limit);
        } catch (SQLException e) {
            throw new JournalUnavailableException("list the missions whose lease expired", e);
        }
    }

    /**
     * Claims every unfinished mission whose lease expired and opens its journal here, to be run again with the same
     * goal and workspace: it resumes from its journal. A mission another process claims first is left to it. Run
     * each returned journal's mission (its workspace must be reachable from this process) and close the journal.
     *
     * @return the journals of the missions taken over, possibly none
     * @throws JournalUnavailableException if the database cannot be reached
     */
    public List<PostgresJournal> takeOver() {
        List<PostgresJournal> taken = new ArrayList<>();
        for (ExpiredLease lease : expired(1_000)) {
            if (isOpenHere(lease.missionId())) {
                continue; // a journal of this pool that failed: its user opens the mission again
            }
            try {
                taken.add(open(lease.missionId()));
            } catch (LeaseHeldException raced) {
                // another process took it over between the list and the claim: it runs there
            }
        }
        return taken;
    }

    /**
     * A mission whose lease expired.
     *
     * @param missionId the mission's id in the pool
     * @param owner the process that held the lease last
     * @param token the token it held
     * @param expiredAt when the lease expired, by the database's clock
     */
    public record ExpiredLease(String missionId, String owner, long token, Instant expiredAt) {
    }

    /** This process's name in the leases it holds. */
    public String owner() {
        return owner;
    }

    /** Where the pool's journals take their connections. */
    Connector connector() {
        return connector;
    }

    Schema schema() {
        return schema;
    }

    Leases leases() {
        return leases;
    }

    JournalCodec codec() {
        return codec;
    }

    /** The writer of mission {@code missionId}'s appends. */
    GroupCommitter committer(String missionId) {
        return committers.get(Math.floorMod(missionId.hashCode(), committers.size()));
    }

    long snapshotEvents() {
        return snapshotEvents;
    }

    /** Gives up the lease of a closed journal. */
    void release(PostgresJournal journal) {
        open.remove(journal);
        try (Connection c = connector.connect()) {
            leases.release(c, journal);
        } catch (SQLException e) {
            // the lease then expires by itself, and another process takes the mission over a little later
            LOG.log(Level.WARNING, "could not give up the lease of mission '" + journal.missionId() + "': "
                    + e.getMessage() + "; it expires by itself");
        }
    }

    private void renew() {
        List<PostgresJournal> journals = open.stream().filter(j -> j.failure() == null).toList();
        if (journals.isEmpty()) {
            return;
        }
        try (Connection c = connector.connect()) {
            c.setAutoCommit(false);
            List<PostgresJournal> lost = leases.renew(c, journals);
            if (!lost.isEmpty()) {
                // who holds them now, for the message; a journal that lost its lease writes nothing more
                leases.fence(c, lost);
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            // the appends fail on their own if the database is gone; the next renewal tries again
            LOG.log(Level.WARNING, "could not renew the mission leases of '" + owner + "': " + e.getMessage());
        }
    }

    /** Closes the journals opened here (giving their leases up), writes what was queued and stops the threads. */
    @Override
    public void close() {
        List.copyOf(open).forEach(PostgresJournal::close);
        renewer.shutdownNow();
        committers.forEach(GroupCommitter::close);
    }

    /** Settings of a {@link MissionPool}; all but the data source have defaults. */
    public static final class Builder {

        private final DataSource dataSource;
        private String schema = "orchestrator";
        private String owner = defaultOwner();
        private Duration leaseDuration = Duration.ofSeconds(30);
        private long snapshotEvents = 10_000;
        private int maxBatch = 4_096;
        private int writers = 1;
        private ThreadFactory threadFactory = Thread.ofPlatform().daemon().name("postgres-journal-", 0).factory();

        private Builder(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        }

        /** The schema of the journal's tables, created if missing; {@code orchestrator} by default. */
        public Builder schema(String name) {
            this.schema = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * This process's name in its leases; {@code pid@host} by default. It must differ between processes: a pool
         * may reclaim at once a lease its own owner name holds (the journal of a run that failed here).
         */
        public Builder owner(String name) {
            this.owner = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * How long a lease lasts unless renewed (it is renewed every third of it); 30 s by default. A process that
         * stops for longer (crash, partition, long pause) loses its missions to the next {@link #takeOver()}. It is
         * also the longest the pool waits for the database to answer a request: an append the database never
         * answers (a partition) fails after it with {@link JournalUnavailableException}, and its mission stops.
         */
        public Builder leaseDuration(Duration duration) {
            this.leaseDuration = Objects.requireNonNull(duration, "duration");
            return this;
        }

        /** After how many events a mission's engine snapshot is due; 10,000 by default. */
        public Builder snapshotEvery(long events) {
            this.snapshotEvents = events;
            return this;
        }

        /** The most events one transaction of the group commit writes; 4,096 by default. */
        public Builder maxBatch(int events) {
            this.maxBatch = events;
            return this;
        }

        /**
         * How many writers commit the appends, each on its own connection; 1 by default. A mission's events always go
         * to the same writer (they must commit in order, so one batch of a mission is in flight at a time); with
         * several, the batches of different missions commit side by side and the database flushes them together,
         * which a pool running many missions at once gains from. Each writer holds a connection of the data source.
         */
        public Builder writers(int count) {
            this.writers = count;
            return this;
        }

        /** Makes the pool's threads; daemon platform threads named {@code postgres-journal-N} by default. */
        public Builder threadFactory(ThreadFactory factory) {
            this.threadFactory = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /**
         * Checks the settings, creates or migrates the schema, and starts the pool's threads.
         *
         * @throws IllegalArgumentException listing every setting to change
         * @throws IllegalStateException if the schema cannot be created or migrated
         */
        public MissionPool build() {
            List<String> problems = new ArrayList<>();
            if (leaseDuration.compareTo(Duration.ofMillis(300)) < 0) {
                problems.add("leaseDuration must be at least 300 ms, was " + leaseDuration);
            }
            if (snapshotEvents < 1) {
                problems.add("snapshotEvery must be at least 1 event, was " + snapshotEvents);
            }
            if (writers < 1 || writers > 64) {
                problems.add("writers must be between 1 and 64, was " + writers);
            }
            if (maxBatch < 1) {
                problems.add("maxBatch must be at least 1 event, was " + maxBatch);
            }
            if (owner.isBlank()) {
                problems.add("owner must not be blank");
            }
            try {
                new Schema(schema);
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(String.join("; ", problems));
            }
            return new MissionPool(this);
        }

        private static String defaultOwner() {
            String host;
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                host = "unknown-host";
            }
            return ProcessHandle.current().pid() + "@" + host;
        }
    }
}
