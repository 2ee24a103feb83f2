package example;

import static dev.orchestrator.core.llm.ScriptedReplies.brief;
import static dev.orchestrator.core.llm.ScriptedReplies.issues;
import static dev.orchestrator.core.llm.ScriptedReplies.plan;
import static dev.orchestrator.core.llm.ScriptedReplies.text;
import static dev.orchestrator.core.llm.ScriptedReplies.todo;
import static dev.orchestrator.core.llm.ScriptedReplies.writeFile;

import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.core.llm.OpenAiCompatible;
import dev.orchestrator.test.MissionAssert;
import dev.orchestrator.test.MissionRecorder;
import dev.orchestrator.test.MockLlmExtension;
import dev.orchestrator.test.MockLlmServer;
import dev.orchestrator.test.MockReply;
import dev.orchestrator.test.WorkspaceDir;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(MockLlmExtension.class)
class KitOnJUnit5Test {

    @Test
    void aMissionOnTheMockServerCompletes(MockLlmServer server, @WorkspaceDir Path workspace,
            MissionRecorder recorder) {
        server.respondWith(request -> MockReply.of(request.toolNames().contains("write_brief") ? brief("One file.")
                : request.toolNames().contains("submit_plan") ? plan(todo("t1", "Write the changelog"))
                : request.toolNames().contains("report_issues") ? issues()
                : request.body().contains("\"role\":\"tool\"") ? text("done")
                : writeFile("CHANGELOG.md", "# Changes\n")));
        MissionResult result = Mission.builder().goal("changelog").workspace(workspace)
                .verifyWith("test -e CHANGELOG.md")
                .provider(OpenAiCompatible.builder().baseUrl(server.openAiBaseUrl()).apiKey("test").model("m").build())
                .listener(recorder).build().run();
        MissionAssert.assertThat(result, recorder).completed().todosDone(1).ranTool("write_file");
        System.out.println("KIT: " + result.outcome() + " on JUnit "
                + Test.class.getPackage().getImplementationVersion());
    }
}
