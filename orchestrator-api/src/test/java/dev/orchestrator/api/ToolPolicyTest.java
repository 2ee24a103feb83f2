package dev.orchestrator.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.orchestrator.api.ToolPolicy.Decision;
import dev.orchestrator.api.ToolPolicy.Request;
import org.junit.jupiter.api.Test;

class ToolPolicyTest {

    private static Request command(String json) {
        return new Request("worker", "t", "run_command", json);
    }

    @Test
    void deniedCommandPrefixesAreRefusedAndOthersAllowed() {
        ToolPolicy policy = ToolPolicy.denyCommands("git push", "rm -rf");

        assertInstanceOf(Decision.Refuse.class, policy.decide(command("{\"command\":\"  git push origin\"}")));
        assertInstanceOf(Decision.Refuse.class, policy.decide(command("{\"command\": \"rm -rf /\"}")));
        assertEquals(Decision.ALLOW, policy.decide(command("{\"command\":\"git status\"}")));
        assertEquals(Decision.ALLOW, policy.decide(new Request("worker", "t", "write_file", "{\"path\":\"x\"}")));
    }

    @Test
    void allowedCommandPrefixesAreTheOnlyOnesThatRunAndEscapesAreRead() {
        ToolPolicy policy = ToolPolicy.allowCommands("mvn ", "ls");

        assertEquals(Decision.ALLOW, policy.decide(command("{\"command\":\"mvn -q test\"}")));
        assertEquals(Decision.ALLOW, policy.decide(command("{\"timeout_seconds\":5,\"command\":\"ls \\\"a b\\\"\"}")));
        Decision refused = policy.decide(command("{\"command\":\"curl \\u0068ttp://x\"}"));
        assertInstanceOf(Decision.Refuse.class, refused);
        assertEquals(true, ((Decision.Refuse) refused).message().contains("curl http://x"));
    }

    @Test
    void aReadOnlyMissionOnlyLooksAndAPersonCanBeAsked() {
        ToolPolicy readOnly = ToolPolicy.readOnly();
        assertEquals(Decision.ALLOW, readOnly.decide(new Request("worker", "t", "search", "{}")));
        assertInstanceOf(Decision.Refuse.class, readOnly.decide(new Request("worker", "t", "edit_file", "{}")));
        assertInstanceOf(Decision.Refuse.class, readOnly.decide(command("{\"command\":\"ls\"}")));

        ToolPolicy asking = ToolPolicy.ask(call -> call.tool().equals("run_command"),
                call -> call.arguments().contains("ls"));
        assertEquals(Decision.ALLOW, asking.decide(command("{\"command\":\"ls\"}")));
        assertInstanceOf(Decision.Refuse.class, asking.decide(command("{\"command\":\"make\"}")));
        assertEquals(Decision.ALLOW, asking.decide(new Request("worker", "t", "write_file", "{}")));
        assertInstanceOf(Decision.Refuse.class, asking.andThen(readOnly).decide(new Request("w", "t", "write_file",
                "{}")));
    }
}
