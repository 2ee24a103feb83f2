package dev.orchestrator.core.internal.limit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * What one limiter is for: calls with the same provider, model and API key share one quota at the provider, so
 * they share one limiter.
 *
 * @param provider the provider's {@code name()}
 * @param model the model the calls use
 * @param keyId names the API key without being it: a caller-supplied id, or {@link #ofApiKey a hash} of the key
 */
public record LimiterKey(String provider, String model, String keyId) {

    /** Checks every part is present. */
    public LimiterKey {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(keyId, "keyId");
    }

    /**
     * A key that identifies {@code apiKey} by the first 16 hex digits of its SHA-256, so that two missions with
     * the same key share a limiter while the key itself is kept nowhere.
     */
    public static LimiterKey ofApiKey(String provider, String model, String apiKey) {
        return new LimiterKey(provider, model, keyIdOf(apiKey));
    }

    /** The id of {@code apiKey}: the first 16 hex digits of its SHA-256, which says nothing about the key. */
    public static String keyIdOf(String apiKey) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(apiKey.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256, which every Java platform must have", e);
        }
    }

    @Override
    public String toString() {
        return provider + "/" + model + (keyId.isEmpty() ? "" : " (" + keyId + ")");
    }
}
