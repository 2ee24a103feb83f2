package dev.orchestrator.core.internal.engine;

import dev.orchestrator.api.RoleUsage;
import dev.orchestrator.api.Usage;
import dev.orchestrator.core.llm.ModelPrices;
import io.vavr.collection.HashMap;
import io.vavr.collection.Map;
import java.util.List;
import java.util.TreeMap;

/**
 * The usage of a mission's model calls by role and by the model that answered, folded from its
 * {@code LlmCallCompleted} events: the dollar budget prices it by model, the result reports it by role. Prices are
 * applied when it is read, so the fold stays pure and a resumed mission counts the same.
 *
 * @param entries the calls and tokens of each role on each model
 */
record UsageLedger(Map<Key, Entry> entries) {

    static final UsageLedger EMPTY = new UsageLedger(HashMap.empty());

    /**
     * A role on a model.
     *
     * @param role the agents' role
     * @param model the model that answered, as the provider named it
     */
    record Key(String role, String model) {
    }

    /**
     * What the calls of one role on one model used.
     *
     * @param calls how many
     * @param usage their tokens
     */
    record Entry(long calls, Usage usage) {

        Entry plus(Entry other) {
            return new Entry(calls + other.calls, usage.plus(other.usage));
        }
    }

    /** The ledger with one more call of {@code role} answered by {@code model}. */
    UsageLedger add(String role, String model, Usage usage) {
        return with(new Key(role, model), new Entry(1, usage));
    }

    /** The ledger with {@code entry} added to what {@code key} had. */
    UsageLedger with(Key key, Entry entry) {
        return new UsageLedger(entries.put(key, entry, Entry::plus));
    }

    /** The tokens of each model, summed over roles. */
    Map<String, Usage> byModel() {
        return entries.foldLeft(HashMap.empty(), (sum, e) -> sum.put(e._1.model(), e._2.usage(), Usage::plus));
    }

    /** Each role's calls, tokens and dollars at {@code prices}, by role name. */
    List<RoleUsage> byRole(ModelPrices prices) {
        TreeMap<String, RoleUsage> roles = new TreeMap<>();
        entries.forEach((key, entry) -> roles.merge(key.role(), new RoleUsage(key.role(), entry.calls(),
                entry.usage(), prices.cost(key.model(), entry.usage())), RoleUsage::plus));
        return List.copyOf(roles.values());
    }
}
