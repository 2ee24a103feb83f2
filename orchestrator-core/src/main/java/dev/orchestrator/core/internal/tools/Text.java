package dev.orchestrator.core.internal.tools;

import dev.orchestrator.api.ToolException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** UTF-8 decoding that refuses malformed input, as the file tools need: a binary file is not text to edit. */
final class Text {

    private Text() {
    }

    /** {@code bytes} as UTF-8 text, or empty when they are not. */
    static Optional<String> tryDecode(byte[] bytes) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    /**
     * {@code bytes} as UTF-8 text.
     *
     * @throws ToolException if they are not
     */
    static String decode(byte[] bytes, String shownAs) {
        return tryDecode(bytes).orElseThrow(() -> new ToolException(shownAs + " is not UTF-8 text"));
    }
}
