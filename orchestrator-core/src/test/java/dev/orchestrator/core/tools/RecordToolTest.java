package dev.orchestrator.core.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.ToolException;
import dev.orchestrator.api.ToolResult;
import dev.orchestrator.core.internal.json.Json;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class RecordToolTest {

    enum Unit { CELSIUS, FAHRENHEIT }

    record Place(String city, Optional<String> country) {
    }

    record Forecast(Place place, int days, double threshold, boolean hourly, Unit unit, List<String> fields,
            Map<String, Integer> limits, Optional<Long> seed) {
    }

    record Unsupported(Object anything) {
    }

    private static final RecordTool<Forecast> TOOL = RecordTool.of("forecast", "Weather ahead", Forecast.class,
            (args, context) -> ToolResult.ok(args.place().city() + " " + args.days()));

    @Test
    void theSchemaFollowsTheRecordsComponentsAndOnlyOptionalOnesAreNotRequired() {
        JsonNode schema = Json.MAPPER.readTree(TOOL.inputSchema());

        assertEquals("object", schema.path("type").asString());
        JsonNode properties = schema.path("properties");
        assertEquals("object", properties.path("place").path("type").asString());
        assertEquals("[\"city\"]", properties.path("place").path("required").toString());
        assertEquals("integer", properties.path("days").path("type").asString());
        assertEquals("number", properties.path("threshold").path("type").asString());
        assertEquals("boolean", properties.path("hourly").path("type").asString());
        assertEquals("[\"CELSIUS\",\"FAHRENHEIT\"]", properties.path("unit").path("enum").toString());
        assertEquals("string", properties.path("fields").path("items").path("type").asString());
        assertEquals("integer", properties.path("limits").path("additionalProperties").path("type").asString());
        assertEquals("integer", properties.path("seed").path("type").asString());
        assertEquals("[\"place\",\"days\",\"threshold\",\"hourly\",\"unit\",\"fields\",\"limits\"]",
                schema.path("required").toString());
    }

    @Test
    void argumentsArriveAsTheRecord() {
        Forecast forecast = TOOL.parse("""
                {"place":{"city":"Oslo"},"days":3,"threshold":0.5,"hourly":true,"unit":"CELSIUS",
                 "fields":["rain"],"limits":{"wind":20},"seed":7}""");

        assertEquals(new Forecast(new Place("Oslo", Optional.empty()), 3, 0.5, true, Unit.CELSIUS, List.of("rain"),
                Map.of("wind", 20), Optional.of(7L)), forecast);
    }

    @Test
    void aMissingOrMistypedArgumentIsRefusedWithItsName() {
        ToolException missing = assertThrows(ToolException.class, () -> TOOL.parse("{\"place\":{\"city\":\"Oslo\"}}"));
        ToolException mistyped = assertThrows(ToolException.class, () -> TOOL.parse("""
                {"place":{"city":"Oslo"},"days":"soon","threshold":0.5,"hourly":true,"unit":"CELSIUS",
                 "fields":[],"limits":{}}"""));

        assertEquals("missing required argument 'days' (integer)", missing.getMessage());
        assertTrue(mistyped.getMessage().contains("soon"), mistyped.getMessage());
    }

    @Test
    void aComponentWithoutASchemaIsRefusedWhenTheToolIsMade() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RecordTool.of("x", "x",
                Unsupported.class, (args, context) -> ToolResult.ok("")));

        assertTrue(e.getMessage().startsWith("no JSON schema for component Unsupported.anything of type "
                + "java.lang.Object"), e.getMessage());
    }
}
