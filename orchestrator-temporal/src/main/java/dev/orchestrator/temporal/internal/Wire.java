package dev.orchestrator.temporal.internal;

import dev.orchestrator.api.AgentResult;
import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.api.ModelPrice;
import dev.orchestrator.api.Task;
import dev.orchestrator.api.VerifyResult;
import dev.orchestrator.core.journal.JournalCodec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON that crosses Temporal: events in the journal's own form, tasks and answers as their records named by
 * kind. Temporal's converter is Jackson 2, which knows neither the API's sealed types nor its Optionals, so what
 * Temporal carries are strings of core's Jackson 3 JSON: one form on disk, in a database and in a history.
 */
public final class Wire {

    private static final JournalCodec EVENTS = new JournalCodec();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Wire() {
    }

    /**
     * Loads and primes the JSON codecs and the state fold. A workflow task must yield within a second (Temporal's
     * deadlock detector), and a first task that loads Jackson and Vavr on a busy machine may not: a worker, or a
     * replay, does this first.
     */
    public static void warmUp() {
        MissionEvent started = new MissionEvent.MissionStarted("warm-up", "warm up", "", "true", "",
                java.time.Instant.EPOCH);
        new dev.orchestrator.core.internal.engine.MissionSteps("warm up", "true", 1, 1, java.util.Set.of())
                .apply(event(event(started)));
        task(tag(new Task.Triage("warm up", "")));
        answer(tag(new AgentResult.Brief("warm up")));
    }

    /** {@return {@code event} as the journal writes it} */
    public static String event(MissionEvent event) {
        return new String(EVENTS.encode(event), StandardCharsets.UTF_8);
    }

    /** {@return the event in {@code json}} */
    public static MissionEvent event(String json) {
        return EVENTS.decode(json.getBytes(StandardCharsets.UTF_8), -1);
    }

    /** {@return the events in {@code json}, in order} */
    public static List<MissionEvent> events(List<String> json) {
        return json.stream().map(Wire::event).toList();
    }

    /** A value of a sealed type: the name of its record and the record as JSON. */
    public record Tagged(String kind, String json) {
    }

    /** {@return {@code value} named by its record} */
    public static Tagged tag(Record value) {
        return new Tagged(value.getClass().getSimpleName(), JSON.writeValueAsString(value));
    }

    /** {@return the task {@code tagged} holds} */
    public static Task task(Tagged tagged) {
        Class<? extends Task> type = switch (tagged.kind()) {
            case "Triage" -> Task.Triage.class;
            case "Plan" -> Task.Plan.class;
            case "Work" -> Task.Work.class;
            case "Review" -> Task.Review.class;
            case "Fix" -> Task.Fix.class;
            default -> throw new IllegalArgumentException("no task of kind " + tagged.kind() + ": the workflow and "
                    + "this worker run different versions; run workers of the workflow's version");
        };
        return JSON.readValue(tagged.json(), type);
    }

    /** {@return the answer {@code tagged} holds} */
    public static AgentResult answer(Tagged tagged) {
        Class<? extends AgentResult> type = switch (tagged.kind()) {
            case "Brief" -> AgentResult.Brief.class;
            case "Plan" -> AgentResult.Plan.class;
            case "Done" -> AgentResult.Done.class;
            case "Failed" -> AgentResult.Failed.class;
            case "Verdict" -> AgentResult.Verdict.class;
            default -> throw new IllegalArgumentException("an agent answered with " + tagged.kind()
                    + ", which a mission cannot use: answer with one of AgentResult's records");
        };
        return JSON.readValue(tagged.json(), type);
    }

    /** {@return {@code result} as JSON} */
    public static String result(MissionResult result) {
        return JSON.writeValueAsString(result);
    }

    /** {@return the result in {@code json}} */
    public static MissionResult result(String json) {
        return JSON.readValue(json, MissionResult.class);
    }

    /** {@return {@code prices} (a mission's own, by model) as JSON} */
    public static String prices(Map<String, ModelPrice> prices) {
        return JSON.writeValueAsString(prices);
    }

    /** {@return the prices in {@code json}, or none for null} */
    public static Map<String, ModelPrice> prices(String json) {
        return json == null ? Map.of() : JSON.readValue(json, new TypeReference<Map<String, ModelPrice>>() { });
    }

    /** {@return {@code verify} as JSON} */
    public static String verify(VerifyResult verify) {
        return JSON.writeValueAsString(verify);
    }

    /** {@return the verify result in {@code json}} */
    public static VerifyResult verify(String json) {
        return JSON.readValue(json, VerifyResult.class);
    }
}
