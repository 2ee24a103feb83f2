package dev.orchestrator.core.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.orchestrator.api.ModelPrice;
import dev.orchestrator.api.Usage;
import java.math.BigDecimal;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ModelPricesTest {

    @Test
    void datedModelNamesFindTheirUndatedPrice() {
        ModelPrices prices = ModelPrices.defaults();

        assertEquals(prices.priceOf("gpt-4o-mini"), prices.priceOf("gpt-4o-mini-2024-07-18"));
        assertEquals(prices.priceOf("claude-sonnet-4-5"), prices.priceOf("claude-sonnet-4-5-20250929"));
        assertEquals(Optional.empty(), prices.priceOf("llama3.2"));
        assertEquals(Optional.empty(), prices.priceOf("scripted"));
        assertEquals(Optional.empty(), prices.priceOf(""));
    }

    @Test
    void costCountsEveryKindOfTokenAtItsOwnPrice() {
        // 1M uncached input at $3, 0.1M output at $15, 2M cache reads at $0.30, 0.4M cache writes at $3.75
        Usage usage = new Usage(1_000_000, 100_000, 2_000_000, 400_000);

        assertEquals(0, new BigDecimal("6.60").compareTo(
                ModelPrices.defaults().cost("claude-sonnet-4-5-20250929", usage).orElseThrow()));
    }

    @Test
    void pricesCanBeOverriddenAndAddedWithoutChangingTheDefaults() {
        ModelPrices custom = ModelPrices.defaults()
                .with("gpt-4o-mini", ModelPrice.perMillionTokens("1", "2"))
                .with("llama3.2", ModelPrice.perMillionTokens("0", "0"));

        assertEquals(0, BigDecimal.ONE.compareTo(custom.cost("gpt-4o-mini", Usage.of(1_000_000, 0)).orElseThrow()));
        assertEquals(0, BigDecimal.ZERO.compareTo(custom.cost("llama3.2", Usage.of(5, 5)).orElseThrow()));
        assertEquals(0, new BigDecimal("0.15").compareTo(
                ModelPrices.defaults().cost("gpt-4o-mini", Usage.of(1_000_000, 0)).orElseThrow()));
        assertEquals(Optional.empty(), ModelPrices.empty().cost("gpt-4o-mini", Usage.ZERO));
    }
}
