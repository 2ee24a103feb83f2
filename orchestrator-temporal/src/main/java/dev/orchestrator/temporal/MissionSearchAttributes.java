package dev.orchestrator.temporal;

import io.temporal.common.SearchAttributeKey;

/**
 * The search attributes a mission's workflow keeps when it is started with
 * {@link StartOptions.Builder#searchAttributes(boolean)}, so that missions can be listed by visibility queries
 * ({@code MissionOutcome = 'BUDGET_EXHAUSTED'}) and in Temporal's UI. Register them on the cluster first, each a
 * keyword: {@code temporal operator search-attribute create --name MissionId --type Keyword}, and so on; a workflow
 * that sets one the cluster does not know cannot go on.
 */
public final class MissionSearchAttributes {

    /** The mission's id, set when it starts. */
    public static final SearchAttributeKey<String> MISSION_ID = SearchAttributeKey.forKeyword("MissionId");

    /** Where the mission is: {@code triage}, {@code planning}, {@code working}, {@code reviewing}, {@code finished}. */
    public static final SearchAttributeKey<String> STATE = SearchAttributeKey.forKeyword("MissionState");

    /** How the mission ended, once it has: a {@link dev.orchestrator.api.MissionResult.Outcome}'s name. */
    public static final SearchAttributeKey<String> OUTCOME = SearchAttributeKey.forKeyword("MissionOutcome");

    private MissionSearchAttributes() {
    }
}
