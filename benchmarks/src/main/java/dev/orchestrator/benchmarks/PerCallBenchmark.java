package dev.orchestrator.benchmarks;

import dev.langchain4j.agentic.AgenticServices;
import dev.langchain4j.agentic.UntypedAgent;
import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.ChatResponse;
import dev.orchestrator.api.LlmGateway;
import dev.orchestrator.api.Message;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one model call costs the framework itself, on a model that answers at once: through this SDK's gateway
 * (in-memory journal), and through a LangChain4j {@code sequenceBuilder} agent whose one sub-agent makes one call.
 *
 * <pre>{@code java -cp ... org.openjdk.jmh.Main PerCallBenchmark -prof gc}</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 20, time = 250, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 10, time = 250, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class PerCallBenchmark {

    /**
     * A fresh mission per iteration, whose Worker tasks each lend their gateway for {@link #CALLS_PER_TASK} calls,
     * as a Worker's task ends after a bounded number of turns: a task's recorded calls are kept until it ends (a
     * resume answers from them), so one never-ending task would measure its growing pile of calls, not a call.
     */
    @State(Scope.Benchmark)
    public static class Orchestrator {
        /** A Worker's turns by default ({@code Mission.Builder.maxWorkerTurns}). */
        static final int CALLS_PER_TASK = 40;
        /**
         * The most todos a plan may have ({@code PlanCheck.MAX_TODOS}): 400,000 calls, enough for an iteration of
         * 250 ms at down to 0.625 µs a call; the lease says so when a faster engine runs out of them.
         */
        static final int TODOS = 10_000;

        private final ChatRequest request = ChatRequest.builder().message(Message.user("Answer one call.")).build();
        private Path workspace;
        private GatewayLease lease;
        private LlmGateway gateway;
        private int calls;

        /** Starts the mission whose Workers lend their gateways. */
        @Setup(Level.Iteration)
        public void start() throws Exception {
            workspace = Files.createTempDirectory("per-call-benchmark");
            lease = new GatewayLease(TODOS, workspace);
            gateway = lease.gateway();
            calls = 0;
        }

        ChatResponse call() throws InterruptedException {
            if (++calls > CALLS_PER_TASK) {
                gateway = lease.next();
                calls = 1;
            }
            return gateway.chat(request);
        }

        /** Ends the mission. */
        @TearDown(Level.Iteration)
        public void stop() throws Exception {
            lease.close();
            Files.deleteIfExists(workspace);
        }
    }

    /** A sequence agent with one sub-agent, built once: building agents is set-up, not a call. */
    @State(Scope.Benchmark)
    public static class LangChain4j {
        private final Map<String, Object> input = Map.of("input", "Answer one call.");
        private UntypedAgent sequence;

        /** Builds the sequence. */
        @Setup(Level.Trial)
        public void build() {
            EchoAgent echo = AgenticServices.agentBuilder(EchoAgent.class)
                    .chatModel(FakeChatModel.instant())
                    .outputKey("answer")
                    .build();
            sequence = AgenticServices.sequenceBuilder().subAgents(echo).outputKey("answer").build();
        }
    }

    /** One call through the mission's gateway; every {@value Orchestrator#CALLS_PER_TASK}th moves to a new task. */
    @Benchmark
    public ChatResponse orchestratorGatewayCall(Orchestrator state) throws InterruptedException {
        return state.call();
    }

    /** One invocation of the sequence agent: one sub-agent, one call. */
    @Benchmark
    public Object langChain4jSequenceCall(LangChain4j state) {
        return state.sequence.invoke(state.input);
    }
}
