package dev.orchestrator.opentelemetry;

import io.opentelemetry.api.common.AttributeKey;
import java.util.List;

/**
 * The attribute names this module writes: the GenAI semantic conventions' where they have one, the SDK's own
 * ({@code orchestrator.*}) for what they do not describe.
 */
final class GenAi {

    static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
    static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("gen_ai.provider.name");
    static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
    static final AttributeKey<String> RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
    static final AttributeKey<Long> MAX_TOKENS = AttributeKey.longKey("gen_ai.request.max_tokens");
    static final AttributeKey<Double> TEMPERATURE = AttributeKey.doubleKey("gen_ai.request.temperature");
    static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
    static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
    static final AttributeKey<Long> CACHE_READ_TOKENS = AttributeKey.longKey("gen_ai.usage.cache_read.input_tokens");
    static final AttributeKey<Long> CACHE_CREATION_TOKENS =
            AttributeKey.longKey("gen_ai.usage.cache_creation.input_tokens");
    static final AttributeKey<List<String>> FINISH_REASONS =
            AttributeKey.stringArrayKey("gen_ai.response.finish_reasons");
    static final AttributeKey<String> AGENT_NAME = AttributeKey.stringKey("gen_ai.agent.name");
    static final AttributeKey<String> TOOL_NAME = AttributeKey.stringKey("gen_ai.tool.name");
    static final AttributeKey<String> TOOL_CALL_ID = AttributeKey.stringKey("gen_ai.tool.call.id");
    static final AttributeKey<String> TOOL_TYPE = AttributeKey.stringKey("gen_ai.tool.type");
    static final AttributeKey<String> TOKEN_TYPE = AttributeKey.stringKey("gen_ai.token.type");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    // contents, only when the user opts in
    static final AttributeKey<String> SYSTEM_INSTRUCTIONS = AttributeKey.stringKey("gen_ai.system_instructions");
    static final AttributeKey<String> INPUT_MESSAGES = AttributeKey.stringKey("gen_ai.input.messages");
    static final AttributeKey<String> OUTPUT_MESSAGES = AttributeKey.stringKey("gen_ai.output.messages");
    static final AttributeKey<String> TOOL_ARGUMENTS = AttributeKey.stringKey("gen_ai.tool.call.arguments");
    static final AttributeKey<String> TOOL_RESULT = AttributeKey.stringKey("gen_ai.tool.call.result");

    static final AttributeKey<String> MISSION_ID = AttributeKey.stringKey("orchestrator.mission.id");
    static final AttributeKey<String> MISSION_GOAL = AttributeKey.stringKey("orchestrator.mission.goal");
    static final AttributeKey<String> MISSION_OUTCOME = AttributeKey.stringKey("orchestrator.mission.outcome");
    static final AttributeKey<Long> EVENTS_REPLAYED = AttributeKey.longKey("orchestrator.mission.events_replayed");
    static final AttributeKey<String> TASK_ID = AttributeKey.stringKey("orchestrator.task.id");
    static final AttributeKey<String> TODO_ID = AttributeKey.stringKey("orchestrator.todo.id");
    static final AttributeKey<String> TODO = AttributeKey.stringKey("orchestrator.todo.description");
    static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("orchestrator.attempt");
    static final AttributeKey<String> CALL_ID = AttributeKey.stringKey("orchestrator.call.id");
    static final AttributeKey<String> PURPOSE = AttributeKey.stringKey("orchestrator.call.purpose");
    static final AttributeKey<String> LIMITER = AttributeKey.stringKey("orchestrator.limiter");
    static final AttributeKey<String> CAUSE = AttributeKey.stringKey("orchestrator.cause");
    static final AttributeKey<Long> DELAY_MS = AttributeKey.longKey("orchestrator.delay_ms");
    static final AttributeKey<String> ERROR_MESSAGE = AttributeKey.stringKey("orchestrator.error");
    static final AttributeKey<String> ROLE = AttributeKey.stringKey("orchestrator.role");
    static final AttributeKey<String> TEXT = AttributeKey.stringKey("orchestrator.text");
    static final AttributeKey<String> RETRY_AT = AttributeKey.stringKey("orchestrator.retry_at");
    static final AttributeKey<Double> LIMIT = AttributeKey.doubleKey("orchestrator.limiter.limit");
    static final AttributeKey<String> RUN = AttributeKey.stringKey("orchestrator.mission.run");

    private GenAi() {
    }
}
