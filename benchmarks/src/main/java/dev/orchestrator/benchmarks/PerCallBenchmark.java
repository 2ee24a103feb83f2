package dev.orchestrator.benchmarks;

import dev.langchain4j.agentic.AgenticServices;
import dev.langchain4j.agentic.UntypedAgent;
import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.ChatResponse;
import dev.orchestrator.api.LlmGateway;
import dev.orchestrator.api.Message;
import dev.orchestrator.core.llm.ScriptedProvider;
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
@Warmup(iterations = 10, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class PerCallBenchmark {

    /**
     * A fresh mission per iteration: the in-memory journal keeps every call's event, so one mission for the whole
     * run would grow by millions of events and measure the journal's size instead of the call.
     */
    @State(Scope.Benchmark)
    public static class Orchestrator {
        private final ChatRequest request = ChatRequest.builder().message(Message.user("Answer one call.")).build();
        private Path workspace;
        private GatewayLease lease;
        private LlmGateway gateway;

        /** Starts the mission whose Worker lends its gateway. */
        @Setup(Level.Iteration)
        public void start() throws Exception {
            workspace = Files.createTempDirectory("per-call-benchmark");
            ScriptedProvider provider = ScriptedTeam.script(1, ScriptedProvider.text("done")).build();
            lease = new GatewayLease(provider, workspace);
            gateway = lease.gateway();
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

    /** One call through the mission's gateway. */
    @Benchmark
    public ChatResponse orchestratorGatewayCall(Orchestrator state) {
        return state.gateway.chat(state.request);
    }

    /** One invocation of the sequence agent: one sub-agent, one call. */
    @Benchmark
    public Object langChain4jSequenceCall(LangChain4j state) {
        return state.sequence.invoke(state.input);
    }
}
