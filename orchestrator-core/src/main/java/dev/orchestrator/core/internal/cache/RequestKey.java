package dev.orchestrator.core.internal.cache;

import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.Message;
import dev.orchestrator.api.ToolCall;
import dev.orchestrator.api.ToolSpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The SHA-256 of a request's canonical form: model, system prompt, the SHA-256 of each message, the SHA-256 of the
 * tools, output limit and temperature, each field length-prefixed so that no two different requests write the same
 * bytes. The metadata (role, task, turn) is left out: two tasks asking the same thing ask the same request. The form
 * depends on the request's content alone, so the key is the same in every JVM (the journal keeps it).
 *
 * <p>A message is hashed on its own, so that a {@link Hasher} that saw the previous request of a conversation
 * hashes only the messages added since: a growing conversation's call costs its new messages, not its length.
 */
public record RequestKey(long a, long b, long c, long d) {

    /**
     * The metadata entry in which the engine passes the key of the request an agent made ({@link #hex()}) to the
     * providers behind it, so that the response cache does not hash the request again.
     */
    public static final String METADATA = "request-hash";

    private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.ISO_8859_1);
    // the fixed fields of the form, encoded once rather than at every key
    private static final byte[] USER = utf8("u");
    private static final byte[] ASSISTANT = utf8("a");
    private static final byte[] ASSISTANT_END = utf8("/a");
    private static final byte[] TOOL_ERROR = utf8("e");
    private static final byte[] TOOL_RESULT = utf8("r");
    private static final byte[] TOOLS = utf8("tools");
    private static final byte[] NO_TEMPERATURE = utf8("-");
    // a new digest is cloned from this one: looking the algorithm up among the providers costs far more
    private static final MessageDigest SHA_256 = lookUp();

    /** The key of {@code request}, sent to {@code model} (the request's own model, else the provider's default). */
    public static RequestKey of(ChatRequest request, String model) {
        return new Hasher(new Shared()).key(request, model);
    }

    /** {@return the key as 64 hex digits, as the journal records it with each model call} */
    public String hex() {
        // written into one array: four HexFormat strings and their concatenation cost a fan-out's every Worker more
        byte[] digits = new byte[64];
        for (int i = 0; i < 64; i++) {
            // the word by a branch, not from an array of the four: that array was allocated at every call
            long word = i < 16 ? a : i < 32 ? b : i < 48 ? c : d;
            digits[i] = HEX_DIGITS[(int) (word >>> (60 - 4 * (i & 15))) & 0xf];
        }
        return new String(digits, StandardCharsets.ISO_8859_1);
    }

    /**
     * What the conversations of one mission have in common and need hash only once: the digest of each tool list
     * and the hash state after each model and system prompt (every Worker sends the same tools and system prompt;
     * hashing them again was most of a fan-out's work before its calls). Thread-safe; it keeps at most
     * {@value #MOST_KEPT} of each, and hashes anything beyond as if it kept nothing.
     */
    public static final class Shared {

        static final int MOST_KEPT = 64;

        /** As many keys as there are carriers at once find a spare digest; more clone their own. */
        private static final int SPARE_DIGESTS = 8;

        private final Map<List<ToolSpec>, byte[]> tools = new ConcurrentHashMap<>();
        private final Map<Prefix, MessageDigest> prefixes = new ConcurrentHashMap<>();
        // digests of messages, each reset by its last digest(): a key takes one and puts it back rather than cloning
        // a new one (five objects, and the 256-byte schedule its first block allocates), which a fan-out's every
        // Worker did for its first message
        private final AtomicReferenceArray<MessageDigest> spare = new AtomicReferenceArray<>(SPARE_DIGESTS);
        // the tasks of one role pass the same specs and system prompt: compared by identity, that is cheaper than
        // the maps' equals
        private volatile ToolsDigest lastTools;
        private volatile PrefixDigest lastPrefix;

        /** Nothing hashed yet. */
        public Shared() {
        }

        private record Prefix(String model, String system) {
        }

        private record ToolsDigest(List<ToolSpec> specs, byte[] digest) {
        }

        private record PrefixDigest(String model, String system, MessageDigest template) {
        }

        private byte[] toolsDigest(List<ToolSpec> specs) {
            ToolsDigest last = lastTools;
            if (last != null && sameInstances(last.specs(), specs)) {
                return last.digest();
            }
            byte[] digest = tools.get(specs);
            if (digest == null) {
                digest = RequestKey.toolsDigest(sha256(), specs);
                if (tools.size() < MOST_KEPT) {
                    tools.putIfAbsent(specs, digest);
                }
            }
            lastTools = new ToolsDigest(specs, digest);
            return digest;
        }

        /** A digest in its initial state, to give back with {@link #giveBack(MessageDigest)} once reset. */
        private MessageDigest take() {
            for (int i = 0; i < SPARE_DIGESTS; i++) {
                MessageDigest digest = spare.getAndSet(i, null);
                if (digest != null) {
                    return digest;
                }
            }
            return sha256();
        }

        /** Keeps {@code digest}, which is in its initial state, for the next {@link #take()}, if a slot is free. */
        private void giveBack(MessageDigest digest) {
            for (int i = 0; i < SPARE_DIGESTS; i++) {
                if (spare.compareAndSet(i, null, digest)) {
                    return;
                }
            }
        }

        /** A digest that has hashed {@code model} and {@code system}, for the caller to go on with. */
        private MessageDigest afterPrefix(String model, String system) {
            PrefixDigest last = lastPrefix;
            if (last != null && last.model() == model && last.system() == system) {
                return copy(last.template());
            }
            Prefix prefix = new Prefix(model, system);
            MessageDigest known = prefixes.get(prefix);
            if (known == null) {
                known = sha256();
                put(known, model);
                put(known, system);
                if (prefixes.size() < MOST_KEPT) {
                    // kept as a template that is only ever cloned, never updated
                    prefixes.putIfAbsent(prefix, known);
                    known = prefixes.get(prefix);
                }
            }
            lastPrefix = new PrefixDigest(model, system, known);
            return copy(known);
        }
    }

    /**
     * Keys the requests of one conversation. It remembers the digests of the last request's messages and tools:
     * messages are immutable and a conversation passes the same instances again, so a request that starts with
     * them (by identity) has only its new messages hashed. Thread-safe; meant for one conversation at a time.
     */
    public static final class Hasher {

        private final Shared shared;
        private List<Message> messages = List.of();
        private byte[][] digests = new byte[0][];
        private List<ToolSpec> tools;
        private byte[] toolsDigest;

        /** A hasher of its own, that shares nothing with other conversations. */
        public Hasher() {
            this(new Shared());
        }

        /** A hasher that takes the digests of tool lists and system prompts from {@code shared}. */
        public Hasher(Shared shared) {
            this.shared = shared;
        }

        /** The key of {@code request}, sent to {@code model}. */
        public synchronized RequestKey key(ChatRequest request, String model) {
            List<Message> now = request.messages();
            byte[][] next = new byte[now.size()][];
            // a digest per key rather than one kept per conversation: a fan-out's Workers each held theirs (about 200
            // bytes) for as long as their call waited, and every young collection in the meantime copied it
            MessageDigest digest = null;
            for (int i = 0; i < next.length; i++) {
                if (i < messages.size() && messages.get(i) == now.get(i)) {
                    next[i] = digests[i];
                } else {
                    digest = digest == null ? shared.take() : digest;
                    next[i] = messageDigest(digest, now.get(i));
                }
            }
            if (digest != null) {
                // every messageDigest ended in digest(), which resets it; one that threw is not given back
                shared.giveBack(digest);
            }
            messages = now;
            digests = next;
            if (tools == null || !sameInstances(tools, request.tools())) {
                tools = request.tools();
                toolsDigest = shared.toolsDigest(tools);
            }
            MessageDigest whole = shared.afterPrefix(model, request.system());
            for (byte[] message : next) {
                whole.update(message);
            }
            whole.update(toolsDigest);
            put(whole, Integer.toString(request.maxOutputTokens()));
            if (request.temperature().isPresent()) {
                put(whole, Double.toString(request.temperature().getAsDouble()));
            } else {
                put(whole, NO_TEMPERATURE);
            }
            ByteBuffer hash = ByteBuffer.wrap(whole.digest());
            return new RequestKey(hash.getLong(), hash.getLong(), hash.getLong(), hash.getLong());
        }
    }

    private static boolean sameInstances(List<ToolSpec> before, List<ToolSpec> now) {
        if (before.size() != now.size()) {
            return false;
        }
        for (int i = 0; i < now.size(); i++) {
            if (before.get(i) != now.get(i)) {
                return false;
            }
        }
        return true;
    }

    private static byte[] messageDigest(MessageDigest digest, Message message) {
        switch (message) {
            case Message.User user -> {
                put(digest, USER);
                put(digest, user.text());
            }
            case Message.Assistant assistant -> {
                put(digest, ASSISTANT);
                put(digest, assistant.text());
                for (ToolCall call : assistant.toolCalls()) {
                    put(digest, call.id());
                    put(digest, call.name());
                    put(digest, call.arguments());
                }
                put(digest, ASSISTANT_END);
            }
            case Message.ToolResult result -> {
                put(digest, result.isError() ? TOOL_ERROR : TOOL_RESULT);
                put(digest, result.toolCallId());
                put(digest, result.toolName());
                put(digest, result.content());
            }
        }
        return digest.digest();
    }

    private static byte[] toolsDigest(MessageDigest digest, List<ToolSpec> tools) {
        put(digest, TOOLS);
        for (ToolSpec tool : tools) {
            put(digest, tool.name());
            put(digest, tool.description());
            put(digest, tool.inputSchema());
        }
        return digest.digest();
    }

    private static void put(MessageDigest digest, String field) {
        put(digest, utf8(field));
    }

    /** Writes {@code bytes} length-prefixed; the digest only reads them. */
    private static void put(MessageDigest digest, byte[] bytes) {
        digest.update((byte) (bytes.length >>> 24));
        digest.update((byte) (bytes.length >>> 16));
        digest.update((byte) (bytes.length >>> 8));
        digest.update((byte) bytes.length);
        digest.update(bytes);
    }

    private static byte[] utf8(String field) {
        return field.getBytes(StandardCharsets.UTF_8);
    }

    private static MessageDigest sha256() {
        return copy(SHA_256);
    }

    private static MessageDigest copy(MessageDigest digest) {
        try {
            return (MessageDigest) digest.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's SHA-256 can be cloned", e);
        }
    }

    private static MessageDigest lookUp() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
