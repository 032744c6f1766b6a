package io.cartola.fetch;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.cartola.records.Accounts;

/**
 * The accounts a run fetches, read line by line (a list in the store may hold 100,000 accounts):
 * blank lines, surrounding spaces and lines starting with {@code #} are ignored; a bad line (over 20
 * characters, spaces inside, a repeat) is reported with its line number and skipped, and the rest go on.
 *
 * @param problems the lines skipped, each as {@code <source> line <n>: <rule>}
 */
public record AccountList(List<String> accounts, List<String> problems) {

    /** Reads a text object with one account per line. */
    public static AccountList read(InputStream in, String source) {
        Builder list = new Builder(source);
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            int number = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                number++;
                String entry = line.strip();
                if (!entry.isEmpty() && !entry.startsWith("#")) {
                    list.add(entry, "line " + number, number);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the account list " + source, e);
        }
        return list.build();
    }

    /** A list given as values (the {@code cartola.accounts} setting); entries are numbered from 1. */
    public static AccountList of(List<String> values, String source) {
        Builder list = new Builder(source);
        for (int i = 0; i < values.size(); i++) {
            list.add(values.get(i).strip(), "entry " + (i + 1), i + 1);
        }
        return list.build();
    }

    private static final class Builder {
        private final String source;
        private final List<String> accounts = new ArrayList<>();
        private final List<String> problems = new ArrayList<>();
        private final Map<String, Integer> seen = new HashMap<>();

        Builder(String source) {
            this.source = source;
        }

        void add(String account, String where, int number) {
            String problem = Accounts.problem(account);
            Integer first = problem == null ? seen.putIfAbsent(account, number) : null;
            if (problem == null && first != null) {
                problem = "repeats " + Accounts.mask(account) + " of " + where.replaceAll("[0-9]+", String.valueOf(first));
            }
            if (problem != null) {
                problems.add(source + " " + where + ": " + problem);
            } else {
                accounts.add(account);
            }
        }

        AccountList build() {
            return new AccountList(List.copyOf(accounts), List.copyOf(problems));
        }
    }
}
