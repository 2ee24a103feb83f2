package dev.orchestrator.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.Issue;
import dev.orchestrator.api.VerifyResult;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerifyIssueTest {

    private static final Issue FOUND = new Issue("a method without a test", List.of("src/A.java"));

    @Test
    void aPassingVerifyAddsNoIssue() {
        assertEquals(List.of(FOUND), MissionRun.withVerifyIssue(List.of(FOUND),
                new VerifyResult("mvn -q test", 0, "", false)));
    }

    @Test
    void aFailingVerifyComesFirstWithTheEndOfItsOutput() {
        String output = "x".repeat(MissionRun.VERIFY_OUTPUT_IN_ISSUE) + "\nBUILD FAILURE\n";

        List<Issue> issues = MissionRun.withVerifyIssue(List.of(FOUND),
                new VerifyResult("mvn -q test", 1, output, false));

        assertEquals(2, issues.size());
        assertEquals(FOUND, issues.get(1));
        String issue = issues.getFirst().description();
        assertTrue(issue.startsWith("the verify command `mvn -q test` fails"), issue);
        assertTrue(issue.endsWith("BUILD FAILURE"), "the end, where failures show: " + issue);
        assertTrue(issue.contains("[… 14 characters before]"), issue);
    }

    @Test
    void aFailingVerifyThatPrintedNothingSaysSoInsteadOfQuotingNothing() {
        String issue = MissionRun.withVerifyIssue(List.of(), new VerifyResult("test -f a.txt", 1, " \n", false))
                .getFirst().description();

        assertTrue(issue.endsWith("It printed nothing: run its parts to see which one fails."), issue);
        assertFalse(issue.contains("output:"), issue);
    }
}
