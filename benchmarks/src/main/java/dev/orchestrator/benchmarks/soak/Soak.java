package dev.orchestrator.benchmarks.soak;

import dev.orchestrator.api.Agent;
import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.ChatResponse;
import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.api.MissionResult.Outcome;
import dev.orchestrator.core.journal.FileJournal;
import dev.orchestrator.core.journal.SyncPolicy;
import dev.orchestrator.core.llm.ScriptedProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The soak: thousands of Commander → Worker → Reviewer cycles on the scripted model in one JVM, watching what the
 * JVM retains. An iteration is one Worker todo (a write_file and a read_file call, then its answer) with the
 * Commander's fix plan and the Reviewer's review around it. Two modes: {@code long}, one mission whose every review
 * finds an issue and whose fix plan brings the next todos (10 a review, since a mission has at most 1,000 reviews),
 * and {@code missions}, one small mission (triage, plan, one todo, verify, review) after the other, each with a
 * journal of its own. Every {@code every} iterations it records the heap used after a full GC, the live platform
 * threads (without the JDK's own pools), the open file descriptors and the journal bytes on disk; then it prints the table and the slope of the
 * retained heap per 1,000 iterations from iteration 1,000 on.
 *
 * <pre>
 * java -Xmx256m -cp "$CP" dev.orchestrator.benchmarks.soak.Soak target/soak long 10000 500
 * java -Xmx256m -cp "$CP" dev.orchestrator.benchmarks.soak.Soak target/soak missions 10000 500
 * </pre>
 */
public final class Soak {

    /** Todos each review's fix plan brings in the long mission. */
    static final int TODOS_PER_REVIEW = 10;

    /**
     * One measurement.
     *
     * @param iteration the iterations done
     * @param heapBytes the heap used after a full GC
     * @param threads the live platform threads, without the JDK's own pools
     * @param descriptors the open file descriptors, or -1 where /proc/self/fd is missing
     * @param journalBytes the bytes of the journal files on disk
     */
    public record Sample(int iteration, long heapBytes, int threads, long descriptors, long journalBytes) {
    }

    private Soak() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : "target/soak").toAbsolutePath();
        String mode = args.length > 1 ? args[1] : "long";
        int iterations = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        int every = args.length > 3 ? Integer.parseInt(args[3]) : 500;
        Files.createDirectories(root);
        Path dir = Files.createTempDirectory(root, mode + "-");
        long start = System.nanoTime();
        List<Sample> samples = mode.equals("long") ? longMission(dir, iterations, every)
                : missions(dir, iterations, every);
        System.out.printf(Locale.ROOT, "%s, %,d iterations in %,d s, %s, -Xmx%d MB%n%n", mode, iterations,
                (System.nanoTime() - start) / 1_000_000_000, Runtime.version(),
                Runtime.getRuntime().maxMemory() >> 20);
        System.out.print(table(samples));
        System.out.printf(Locale.ROOT, "%nretained heap from iteration 1,000 on: slope %+.3f MB per 1,000 iterations, "
                + "drift %+.3f MB%n", slopeMbPer1000(samples, 1_000), driftMb(samples, 1_000));
    }

    /** One mission of {@code iterations} Worker todos; a sample every {@code every} todos, and one after it closed. */
    public static List<Sample> longMission(Path dir, int iterations, int every) throws IOException {
        Path workspace = Files.createDirectories(dir.resolve("workspace"));
        Path journalDir = dir.resolve("journal");
        int reviews = (iterations + TODOS_PER_REVIEW - 1) / TODOS_PER_REVIEW;
        List<Sample> samples = new ArrayList<>();
        samples.add(sample(0, journalDir));
        AtomicInteger done = new AtomicInteger();
        MissionResult result;
        try (FileJournal journal = FileJournal.builder(journalDir).syncPolicy(SyncPolicy.none()).open()) {
            result = Mission.builder().goal("a long mission").workspace(workspace).provider(provider(reviews))
                    .verifyWith("true").maxIterations(reviews).journal(journal)
                    .listener((event, progress) -> {
                        // on the listener thread, between events: the mission goes on meanwhile
                        if (event instanceof MissionEvent.TaskFinished && done.incrementAndGet() % every == 0) {
                            samples.add(sample(done.get(), journalDir));
                        }
                    }).build().run();
        }
        check(result);
        samples.add(sample(done.get(), journalDir)); // after the mission closed: threads and descriptors at rest
        return samples;
    }

    /** {@code iterations} missions of one todo each, one after the other; a sample every {@code every} missions. */
    public static List<Sample> missions(Path dir, int iterations, int every) throws IOException {
        Path journals = Files.createDirectories(dir.resolve("journals"));
        List<Sample> samples = new ArrayList<>();
        ScriptedProvider provider = provider(1);
        runMission(dir, journals, provider, 0); // warms up what every mission shares, so the baseline has it
        samples.add(sample(0, journals));
        for (int i = 1; i <= iterations; i++) {
            runMission(dir, journals, provider, i);
            if (i % every == 0) {
                samples.add(sample(i, journals));
            }
        }
        return samples;
    }

    private static void runMission(Path dir, Path journals, ScriptedProvider provider, int i) throws IOException {
        Path workspace = Files.createDirectories(dir.resolve("workspace"));
        try (FileJournal journal = FileJournal.builder(journals.resolve("m" + i)).syncPolicy(SyncPolicy.none())
                .open()) {
            check(Mission.builder().goal("a small mission").workspace(workspace).provider(provider)
                    .verifyWith("true").maxIterations(1).journal(journal).build().run());
        }
    }

    private static void check(MissionResult result) {
        if (result.outcome() != Outcome.COMPLETED) {
            throw new IllegalStateException("the soak's mission ended " + result.outcome() + ": " + result.reason());
        }
    }

    /**
     * The script: a brief, a plan of one todo, Workers that write and read a file, a Reviewer that finds an issue
     * until review {@code reviews}, a Commander whose fix plan brings {@value #TODOS_PER_REVIEW} todos.
     */
    static ScriptedProvider provider(int reviews) {
        return ScriptedProvider.builder()
                .on(task("triage"), ScriptedProvider.toolCall("write_brief", "{\"brief\":\"Keep it small.\"}"))
                .on(task("plan"), ScriptedProvider.toolCall("submit_plan",
                        "{\"todos\":[{\"id\":\"t0\",\"description\":\"write t0\"}]}"))
                .onRole(Agent.WORKER, Soak::worker)
                .onRole(Agent.REVIEWER, request -> review(request, reviews))
                .onRole(Agent.COMMANDER, Soak::fixes)
                .build();
    }

    private static ChatResponse worker(ChatRequest request) {
        String todo = request.metadata(ChatRequest.TASK).orElseThrow().split("#")[0];
        String file = "out/" + todo + ".txt";
        return switch (ScriptedProvider.turnOf(request)) {
            case 0 -> ScriptedProvider.toolCall("write_file", "{\"path\":\"" + file + "\",\"content\":\"" + todo
                    + " was here\"}").apply(request);
            case 1 -> ScriptedProvider.toolCall("read_file", "{\"path\":\"" + file + "\"}").apply(request);
            default -> ScriptedProvider.text("wrote and read " + file).apply(request);
        };
    }

    private static ChatResponse review(ChatRequest request, int reviews) {
        int iteration = Integer.parseInt(request.metadata(ChatRequest.TASK).orElseThrow().substring("review-".length()));
        String issues = iteration < reviews ? "[{\"description\":\"round " + iteration + " wants more\"}]" : "[]";
        return ScriptedProvider.toolCall("report_issues", "{\"issues\":" + issues + "}").apply(request);
    }

    private static ChatResponse fixes(ChatRequest request) {
        String iteration = request.metadata(ChatRequest.TASK).orElseThrow().substring("fix-".length());
        StringBuilder todos = new StringBuilder();
        for (int i = 0; i < TODOS_PER_REVIEW; i++) {
            todos.append(i == 0 ? "" : ",").append("{\"id\":\"f").append(iteration).append('-').append(i)
                    .append("\",\"description\":\"more for round ").append(iteration).append("\"}");
        }
        return ScriptedProvider.toolCall("plan_fixes", "{\"todos\":[" + todos + "]}").apply(request);
    }

    private static Predicate<ChatRequest> task(String taskId) {
        return request -> request.metadata(ChatRequest.TASK).filter(taskId::equals).isPresent();
    }

    /** Measures now, after a full GC. */
    static Sample sample(int iteration, Path journals) {
        for (int i = 0; i < 3; i++) {
            System.gc(); // several: one collection may leave what a finalisation or a reference queue frees next
        }
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        int threads = (int) Thread.getAllStackTraces().keySet().stream().filter(Soak::ours).count();
        return new Sample(iteration, heap, threads, count(Path.of("/proc/self/fd")), bytes(journals));
    }

    /**
     * Whether a live thread counts: not the JDK's own pools, which it grows and shrinks as it likes (the carriers of
     * virtual threads, which linger for a while after use; the process reaper).
     */
    private static boolean ours(Thread thread) {
        return !thread.getName().startsWith("ForkJoinPool-") && !thread.getName().equals("process reaper");
    }

    private static long count(Path dir) {
        if (!Files.isDirectory(dir)) {
            return -1;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long bytes(Path dir) {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The samples as a Markdown table. */
    static String table(List<Sample> samples) {
        StringBuilder out = new StringBuilder("| iteration | heap after GC | threads | descriptors | journal |\n"
                + "|---:|---:|---:|---:|---:|\n");
        for (Sample s : samples) {
            out.append(String.format(Locale.ROOT, "| %,d | %.2f MB | %d | %d | %,d kB |%n", s.iteration(),
                    s.heapBytes() / 1048576.0, s.threads(), s.descriptors(), s.journalBytes() >> 10));
        }
        return out.toString();
    }

    /** The least-squares slope of the retained heap, in MB per 1,000 iterations, over the samples from {@code from}. */
    static double slopeMbPer1000(List<Sample> samples, int from) {
        List<Sample> used = samples.stream().filter(s -> s.iteration() >= from).toList();
        double n = used.size();
        double mx = used.stream().mapToDouble(Sample::iteration).sum() / n;
        double my = used.stream().mapToDouble(s -> s.heapBytes() / 1048576.0).sum() / n;
        double sxy = 0;
        double sxx = 0;
        for (Sample s : used) {
            sxy += (s.iteration() - mx) * (s.heapBytes() / 1048576.0 - my);
            sxx += (s.iteration() - mx) * (s.iteration() - mx);
        }
        return sxx == 0 ? 0 : sxy / sxx * 1_000;
    }

    /** The retained heap at the last sample minus that at the first sample from {@code from}, in MB. */
    static double driftMb(List<Sample> samples, int from) {
        List<Sample> used = samples.stream().filter(s -> s.iteration() >= from).toList();
        return used.isEmpty() ? 0 : (used.getLast().heapBytes() - used.getFirst().heapBytes()) / 1048576.0;
    }
}
