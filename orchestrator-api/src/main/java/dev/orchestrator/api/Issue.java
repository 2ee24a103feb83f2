package dev.orchestrator.api;

import java.util.List;
import java.util.Objects;

/**
 * Something a review found still wrong.
 *
 * @param description what is wrong, precisely enough to fix
 * @param files the files concerned, relative to the workspace; may be empty
 */
public record Issue(String description, List<String> files) {

    /** Checks the description and copies the list. */
    public Issue {
        Objects.requireNonNull(description, "description");
        files = List.copyOf(files);
    }
}
