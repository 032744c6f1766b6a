package io.cartola.fetch;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.DoubleAccumulator;
import java.util.concurrent.atomic.LongAdder;

import io.cartola.records.AccountState;

/**
 * What a run saw of its accounts' states, beside its outcomes: how old the oldest data was when the run began
 * ({@code OldestDataAgeHours}), and how many accounts a lost callback keeps on synchronous requests
 * ({@code AccountsOnSync}: a trend up means callbacks do not arrive).
 */
public final class RunGauges {

    private final DoubleAccumulator oldestHours = new DoubleAccumulator(Math::max, 0);
    private final LongAdder onSync = new LongAdder();
    private final LongAdder seen = new LongAdder();

    /** An account's state as this run wrote it, at {@code now}. */
    void seen(AccountState state, Instant now) {
        seen.increment();
        oldestHours.accumulate(state.dataAge(now).toSeconds() / 3600.0);
        if (state.syncUntilCallback()) {
            onSync.increment();
        }
    }

    /** The gauges as metrics; none when no account's state was read (a planning run, a batch of duplicates). */
    Map<String, Number> metrics() {
        Map<String, Number> values = new LinkedHashMap<>();
        if (seen.sum() > 0) {
            values.put("OldestDataAgeHours", Math.round(oldestHours.get() * 100) / 100.0);
            values.put("AccountsOnSync", onSync.intValue());
        }
        return values;
    }
}
