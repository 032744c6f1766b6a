package io.cartola.rebuild;

import java.time.LocalDate;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What a rebuild did.
 *
 * @param accounts accounts whose raw answers were read
 * @param days account-days with answers with data
 * @param written views written because the rebuilt one differed from the stored one (or there was none)
 * @param unchanged views already as the rebuild makes them
 * @param answers stored answers read; {@code unreadable} of them could not be read as an envelope (named in the log)
 * @param after present when the run stopped before the end: invoke again with {@code "after"} set to it
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RebuildResult(LocalDate from, LocalDate to, int accounts, int days, int written, int unchanged, int answers,
        int unreadable, String after, String message) {
}
