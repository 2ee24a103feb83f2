package dev.orchestrator.core.llm;

import dev.orchestrator.test.RecordedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * The model's side of a whole mission of independent todos, for a loopback server: whichever answer tool the
 * request offers (a brief, a plan of {@code todos} todos, no issues); a Worker writes its todo's file in its first
 * turn and ends with a short text in its second, so each todo costs two calls, as a real one costs at least.
 */
public final class PlayedModel {

    private static final Pattern THING = Pattern.compile("thing (\\d+)");

    private PlayedModel() {
    }

    /** The Chat Completions body that answers {@code request} in a mission planned as {@code todos} todos. */
    public static String answer(RecordedRequest request, int todos) {
        JsonNode tools = request.json().path("tools");
        List<String> names = new ArrayList<>();
        tools.forEach(tool -> names.add(tool.path("function").path("name").asString()));
        if (names.contains("write_brief")) {
            return toolCall("write_brief", "{\"brief\":\"Many small independent todos.\"}");
        }
        if (names.contains("submit_plan")) {
            StringBuilder plan = new StringBuilder();
            for (int i = 1; i <= todos; i++) {
                plan.append(i > 1 ? "," : "").append("{\"id\":\"t").append(i).append("\",\"description\":\"thing ")
                        .append(i).append("\"}");
            }
            return toolCall("submit_plan", "{\"todos\":[" + plan + "]}");
        }
        if (names.contains("report_issues")) {
            return toolCall("report_issues", "{\"issues\":[]}");
        }
        Matcher thing = THING.matcher(request.body());
        if (!request.body().contains("\"role\":\"assistant\"") && thing.find()) {
            return toolCall("write_file", "{\"path\":\"t" + thing.group(1) + ".txt\",\"content\":\"done\"}");
        }
        return text("done", "stop");
    }

    /** A Chat Completions body whose answer is {@code content}, ended for {@code finishReason}. */
    static String text(String content, String finishReason) {
        String quoted = content.replace("\\", "\\\\").replace("\"", "\\\"");
        return "{\"id\":\"c\",\"object\":\"chat.completion\",\"model\":\"loopback-model\",\"choices\":[{\"index\":0,"
                + "\"message\":{\"role\":\"assistant\",\"content\":\"" + quoted + "\"},\"finish_reason\":\""
                + finishReason + "\"}],\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":2,\"total_tokens\":22}}";
    }

    /** A Chat Completions body that calls tool {@code name} with {@code arguments}. */
    static String toolCall(String name, String arguments) {
        String quoted = arguments.replace("\\", "\\\\").replace("\"", "\\\"");
        return "{\"id\":\"c\",\"object\":\"chat.completion\",\"model\":\"loopback-model\",\"choices\":[{\"index\":0,"
                + "\"message\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_" + name
                + "\",\"type\":\"function\",\"function\":{\"name\":\"" + name + "\",\"arguments\":\"" + quoted
                + "\"}}]},\"finish_reason\":\"tool_calls\"}],\"usage\":{\"prompt_tokens\":20,"
                + "\"completion_tokens\":10,\"total_tokens\":30}}";
    }
}
