package dev.orchestrator.examples;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;

/**
 * A span exporter that keeps the spans it is given and prints them as a tree: each span under its parent, children
 * in the order they started, each line with its start after the earliest root's and its length. For an example's
 * console; a real application exports over OTLP.
 */
final class SpanTree implements SpanExporter {

    /** The task an agent's span worked on, as MissionTelemetry names it ("t1#1", "triage"). */
    private static final AttributeKey<String> TASK = AttributeKey.stringKey("orchestrator.task.id");
    private static final Comparator<SpanData> BY_START = Comparator.comparingLong(SpanData::getStartEpochNanos);

    private final ConcurrentLinkedQueue<SpanData> spans = new ConcurrentLinkedQueue<>();

    @Override
    public CompletableResultCode export(Collection<SpanData> batch) {
        spans.addAll(batch);
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
    }

    /** Prints the tree of the spans ended so far; a span whose parent was not ended is printed as a root. */
    void print(PrintStream out) {
        Set<String> ids = spans.stream().map(SpanData::getSpanId).collect(Collectors.toSet());
        Map<String, List<SpanData>> children = new HashMap<>();
        List<SpanData> roots = new ArrayList<>();
        for (SpanData span : spans) {
            if (ids.contains(span.getParentSpanId())) {
                children.computeIfAbsent(span.getParentSpanId(), k -> new ArrayList<>()).add(span);
            } else {
                roots.add(span);
            }
        }
        roots.sort(BY_START);
        long origin = roots.isEmpty() ? 0 : roots.getFirst().getStartEpochNanos();
        for (SpanData root : roots) {
            print(out, root, 0, origin, children);
        }
    }

    private static void print(PrintStream out, SpanData span, int depth, long origin,
            Map<String, List<SpanData>> children) {
        String task = span.getAttributes().get(TASK);
        out.printf(Locale.ROOT, "  %+9.1f ms %9.1f ms  %s%s%s%n", (span.getStartEpochNanos() - origin) / 1e6,
                (span.getEndEpochNanos() - span.getStartEpochNanos()) / 1e6, "  ".repeat(depth), span.getName(),
                task == null ? "" : " (" + task + ")");
        for (SpanData child : children.getOrDefault(span.getSpanId(), List.of()).stream().sorted(BY_START).toList()) {
            print(out, child, depth + 1, origin, children);
        }
    }
}
