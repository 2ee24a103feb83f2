package dev.orchestrator.core.internal.cache;

import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.Message;
import dev.orchestrator.api.ToolCall;
import dev.orchestrator.api.ToolSpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The SHA-256 of a request's canonical form: model, system prompt, messages, tools, output limit and temperature,
 * each field length-prefixed so that no two different requests write the same bytes. The metadata (role, task,
 * turn) is left out: two tasks asking the same thing ask the same request.
 */
public record RequestKey(long a, long b, long c, long d) {

    /** The key of {@code request}, sent to {@code model} (the request's own model, else the provider's default). */
    public static RequestKey of(ChatRequest request, String model) {
        MessageDigest digest = sha256();
        put(digest, model);
        put(digest, request.system());
        for (Message message : request.messages()) {
            switch (message) {
                case Message.User user -> {
                    put(digest, "u");
                    put(digest, user.text());
                }
                case Message.Assistant assistant -> {
                    put(digest, "a");
                    put(digest, assistant.text());
                    for (ToolCall call : assistant.toolCalls()) {
                        put(digest, call.id());
                        put(digest, call.name());
                        put(digest, call.arguments());
                    }
                    put(digest, "/a");
                }
                case Message.ToolResult result -> {
                    put(digest, result.isError() ? "e" : "r");
                    put(digest, result.toolCallId());
                    put(digest, result.toolName());
                    put(digest, result.content());
                }
            }
        }
        put(digest, "tools");
        for (ToolSpec tool : request.tools()) {
            put(digest, tool.name());
            put(digest, tool.description());
            put(digest, tool.inputSchema());
        }
        put(digest, Integer.toString(request.maxOutputTokens()));
        put(digest, request.temperature().isPresent() ? Double.toString(request.temperature().getAsDouble()) : "-");
        ByteBuffer hash = ByteBuffer.wrap(digest.digest());
        return new RequestKey(hash.getLong(), hash.getLong(), hash.getLong(), hash.getLong());
    }

    /** {@return the key as 64 hex digits, as the journal records it with each model call} */
    public String hex() {
        HexFormat hex = HexFormat.of();
        return hex.toHexDigits(a) + hex.toHexDigits(b) + hex.toHexDigits(c) + hex.toHexDigits(d);
    }

    private static void put(MessageDigest digest, String field) {
        byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
        digest.update(ByteBuffer.allocate(Integer.BYTES).putInt(bytes.length).array());
        digest.update(bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
