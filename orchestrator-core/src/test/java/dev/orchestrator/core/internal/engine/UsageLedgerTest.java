package dev.orchestrator.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.orchestrator.api.ModelPrice;
import dev.orchestrator.api.RoleUsage;
import dev.orchestrator.api.Usage;
import dev.orchestrator.core.llm.ModelPrices;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UsageLedgerTest {

    private static final ModelPrices PRICES = ModelPrices.empty()
            .with("big", new ModelPrice(new BigDecimal("10"), new BigDecimal("20"), new BigDecimal("1"),
                    new BigDecimal("12.5")))
            .with("small", ModelPrice.perMillionTokens("1", "2"));

    @Test
    void eachRoleSumsItsCallsOnEveryModelAndIsPricedByModel() {
        UsageLedger ledger = UsageLedger.EMPTY
                .add("worker", "big", new Usage(1_000_000, 0, 0, 0))
                .add("docs", "small", new Usage(0, 1_000_000, 0, 0))
                .add("worker", "small", new Usage(0, 0, 1_000_000, 0))
                .add("worker", "big", new Usage(0, 0, 1_000_000, 1_000_000));

        assertEquals(List.of(
                new RoleUsage("docs", 1, new Usage(0, 1_000_000, 0, 0), Optional.of(new BigDecimal("2"))),
                new RoleUsage("worker", 3, new Usage(1_000_000, 0, 2_000_000, 1_000_000),
                        Optional.of(new BigDecimal("24.5")))),
                ledger.byRole(PRICES).stream().map(UsageLedgerTest::stripped).toList());
        assertEquals(new Usage(1_000_000, 0, 1_000_000, 1_000_000), ledger.byModel().get("big").get());
    }

    @Test
    void aRoleWithACallOfAnUnpricedModelHasNoDollars() {
        UsageLedger ledger = UsageLedger.EMPTY.add("worker", "big", Usage.of(5, 5))
                .add("worker", "local", Usage.of(5, 5));

        RoleUsage worker = ledger.byRole(PRICES).getFirst();

        assertEquals(2, worker.calls());
        assertEquals(Optional.empty(), worker.dollars());
    }

    private static RoleUsage stripped(RoleUsage usage) {
        return new RoleUsage(usage.role(), usage.calls(), usage.usage(),
                usage.dollars().map(BigDecimal::stripTrailingZeros));
    }
}
